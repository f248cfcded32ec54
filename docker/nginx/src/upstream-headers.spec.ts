import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { accessLogLine, freePort, request, startNginx, type NginxHandle } from '@sidecar/testkit';

// What reaches the API, seen by a recording upstream on the API's port.
interface Seen {
  url: string;
  httpVersion: string;
  headers: IncomingHttpHeaders;
  /** The upstream connection's client port: equal for two requests = a reused connection. */
  remotePort: number | undefined;
}

let upstream: Server;
let nginx: NginxHandle;
const seen: Seen[] = [];

beforeAll(async () => {
  const apiPort = await freePort();
  upstream = createServer((req, res) => {
    seen.push({
      url: req.url ?? '',
      httpVersion: req.httpVersion,
      headers: req.headers,
      remotePort: req.socket.remotePort,
    });
    res.setHeader('X-Request-ID', 'echoed-by-upstream');
    res.end('ok');
  });
  await new Promise<void>((resolve) => upstream.listen(apiPort, '127.0.0.1', resolve));
  // One worker: each worker keeps upstream connections of its own, so with two, the second
  // request below may reach a worker that has none open yet.
  nginx = await startNginx({
    nginxPort: await freePort(),
    apiPort,
    env: { NGINX_WORKER_PROCESSES: '1' },
  });
});
afterAll(async () => {
  await nginx?.stop();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

it('forwards the client, scheme, host and request id', async () => {
  const res = await request(`${nginx.url}/api/anything?q=1`, {
    headers: { 'X-Request-ID': 'trace-me', 'X-Forwarded-For': '203.0.113.9' },
  });
  expect(res.status).toBe(200);
  expect(seen.at(-1)).toMatchObject({
    url: '/api/anything?q=1',
    headers: {
      host: '127.0.0.1',
      'x-forwarded-for': '203.0.113.9, 127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': '127.0.0.1',
      'x-request-id': 'trace-me',
    },
  });
  // The upstream's own X-Request-ID is hidden; the client sees NGINX's one.
  expect(res.headers['x-request-id']).toBe('trace-me');
});

it('passes the URI as the client sent it, unnormalised', async () => {
  await request(`${nginx.url}/public/a%2Fb//c?x=%20`);
  expect(seen.at(-1)?.url).toBe('/public/a%2Fb//c?x=%20');
});

it('keeps upstream connections alive over HTTP/1.1', async () => {
  await request(`${nginx.url}/public/one`);
  await request(`${nginx.url}/public/two`);
  const [one, two] = seen.slice(-2);
  expect(one?.httpVersion).toBe('1.1');
  expect(one?.headers.connection).toBeUndefined();
  expect(two?.remotePort).toBe(one?.remotePort);
});

it("passes the W3C trace context to the API untouched, and logs the trace's id", async () => {
  const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
  const tracestate = 'vendor=opaque-value';
  const res = await request(`${nginx.url}/public/traced`, {
    headers: { traceparent, tracestate, 'X-Request-ID': 'traced-request' },
  });
  expect(res.status).toBe(200);
  expect(seen.at(-1)?.headers).toMatchObject({ traceparent, tracestate });
  expect(await accessLogLine(nginx, 'traced-request')).toMatchObject({
    traceId: '0af7651916cd43dd8448eb211c80319c',
  });
});

it('logs no trace id for a request without a valid traceparent', async () => {
  await request(`${nginx.url}/public/untraced`, {
    headers: { traceparent: 'not-a-trace', 'X-Request-ID': 'untraced-request' },
  });
  expect(await accessLogLine(nginx, 'untraced-request')).toMatchObject({ traceId: '' });
});
