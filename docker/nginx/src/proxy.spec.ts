import { gunzipSync } from 'node:zlib';
import {
  accessLogLine,
  API_TOKEN,
  freePort,
  request,
  startApi,
  startNginx,
  waitFor,
  type ApiProcess,
  type NginxHandle,
  type Response,
} from '@sidecar/testkit';

// The Pod on loopback: the built API and NGINX as two processes, NGINX in front.
let apiPort: number;
let api: ApiProcess | undefined;
let nginx: NginxHandle;

beforeAll(async () => {
  apiPort = await freePort();
  api = await startApi(apiPort);
  nginx = await startNginx({ nginxPort: await freePort(), apiPort });
});
afterAll(async () => {
  await nginx?.stop();
  await api?.stop();
});

const get = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
  request(`${nginx.url}${path}`, { headers });
const json = (res: Response): Record<string, unknown> =>
  JSON.parse(res.text) as Record<string, unknown>;
const GENERATED_ID = /^[0-9a-f]{32}$/;

function expectProblem(res: Response, status: number): Record<string, unknown> {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/problem+json');
  const problem = json(res);
  expect(problem).toMatchObject({
    type: 'about:blank',
    status,
    requestId: res.headers['x-request-id'],
  });
  expect(typeof problem.title).toBe('string');
  return problem;
}

describe('routes', () => {
  it('serves the static site itself', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('Hello from NGINX!');
    expect(page.text).toMatch(/id="answer"[\s\S]*id="request-id"/);
    const script = await get('/app.js');
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.text).toContain("fetch('/public/hello'");
    expect((await accessLogLine(nginx, String(page.headers['x-request-id']))).upstreamAddress).toBe(
      '',
    );
  });

  it('answers /healthz itself, without an access-log line', async () => {
    const res = await get('/healthz', { 'X-Request-ID': 'probe-7' });
    expect(res.status).toBe(200);
    expect(json(res)).toEqual({ status: 'ok' });
    // NGINX logs in order: once a later request's line is there, the probe's would be too.
    await get('/', { 'X-Request-ID': 'after-probe-7' });
    await accessLogLine(nginx, 'after-probe-7');
    const ids = nginx.output.stdout.map(
      (line) => (JSON.parse(line) as { requestId: string }).requestId,
    );
    expect(ids).not.toContain('probe-7');
  });

  it('proxies /public/ to the API', async () => {
    const hello = await get('/public/hello');
    expect(hello.status).toBe(200);
    expect(json(hello).message).toBe('Hello from the public API!');
    const openapi = await get('/public/openapi.json');
    expect(openapi.status).toBe(200);
    expect(json(openapi)).toHaveProperty('openapi');
  });

  it('proxies /api/ to the API, bearer auth and request bodies included', async () => {
    const denied = await get('/api/hello');
    expect(denied.status).toBe(401);
    expect(denied.headers['content-type']).toMatch(/^application\/problem\+json/);
    const hello = await get('/api/hello', { Authorization: `Bearer ${API_TOKEN}` });
    expect(hello.status).toBe(200);
    const created = await request(`${nginx.url}/api/greetings`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${API_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'NGINX' }),
    });
    expect(created.status).toBe(201);
    expect(created.text).toContain('NGINX');
  });

  it("maps /express/ to the API's / and nothing else of the API under it", async () => {
    const root = await get('/express/');
    expect(root.status).toBe(200);
    expect(root.text).toBe('Hello from Express!');
    const other = await get('/express/public/hello');
    expectProblem(other, 404);
    expect(
      (await accessLogLine(nginx, String(other.headers['x-request-id']))).upstreamAddress,
    ).toBe('');
  });

  it('answers unknown paths with a problem+json 404 of its own', async () => {
    const res = await get('/no-such-page');
    expect(expectProblem(res, 404).title).toBe('Not Found');
    expect((await accessLogLine(nginx, String(res.headers['x-request-id']))).upstreamAddress).toBe(
      '',
    );
  });

  it('refuses to POST to the static site with a problem+json 405', async () => {
    expectProblem(await request(`${nginx.url}/index.html`, { method: 'POST', body: 'x' }), 405);
  });

  it('answers problem+json whatever the extension of the missing path', async () => {
    expectProblem(await get('/missing.js'), 404);
  });
});

describe('request ids', () => {
  it("passes the client's X-Request-ID to the API and returns it once", async () => {
    const res = await get('/public/hello', { 'X-Request-ID': 'client-id-42' });
    expect(res.headers['x-request-id']).toBe('client-id-42');
    expect(json(res).requestId).toBe('client-id-42');
    expect(res.headers['x-request-id']).not.toContain(',');
  });

  it('generates an id when the client sends none: logged by NGINX, seen by the API', async () => {
    const res = await get('/public/hello');
    const id = String(res.headers['x-request-id']);
    expect(id).toMatch(GENERATED_ID);
    expect(json(res).requestId).toBe(id);
    expect((await accessLogLine(nginx, id)).uri).toBe('/public/hello');
    await waitFor('the API log line', () => api?.logs.find((line) => line.requestId === id));
  });

  it('replaces an id that is not a safe token', async () => {
    const res = await get('/public/hello', { 'X-Request-ID': 'has spaces and "quotes"' });
    expect(res.headers['x-request-id']).toMatch(GENERATED_ID);
    expect(json(res).requestId).toBe(res.headers['x-request-id']);
  });
});

describe('response headers', () => {
  it.each(['/', '/public/hello', '/no-such-page'])(
    'sets the security headers on %s',
    async (path) => {
      const res = await get(path);
      expect(res.headers).toMatchObject({
        server: 'nginx',
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
        'referrer-policy': 'no-referrer',
      });
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    },
  );

  it('compresses text for clients that accept gzip', async () => {
    for (const path of ['/', '/public/openapi.json']) {
      const res = await get(path, { 'Accept-Encoding': 'gzip' });
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers.vary).toContain('Accept-Encoding');
      const plain = await get(path);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(gunzipSync(res.body).toString('utf8')).toBe(plain.text);
    }
  });
});

describe('the access log', () => {
  it('writes one JSON line per request with its id, status and timings', async () => {
    const res = await get('/public/hello?x=1', {
      'X-Request-ID': 'log-line-check',
      'User-Agent': 'jest "quoted"',
    });
    const line = await accessLogLine(nginx, 'log-line-check');
    expect(line).toMatchObject({
      method: 'GET',
      uri: '/public/hello?x=1',
      status: res.status,
      upstreamAddress: `127.0.0.1:${apiPort}`,
      upstreamStatus: '200',
      userAgent: 'jest "quoted"',
    });
    expect(typeof line.requestTime).toBe('number');
    for (const timing of [
      line.upstreamConnectTime,
      line.upstreamHeaderTime,
      line.upstreamResponseTime,
    ]) {
      expect(timing).toMatch(/^\d+\.\d{3}$/);
    }
  });
});

describe('while the API is down', () => {
  it('keeps serving its own routes, answers 502 problem+json, and recovers', async () => {
    await api?.stop();
    api = undefined;
    expect((await get('/')).status).toBe(200);
    expect((await get('/healthz')).status).toBe(200);
    const down = await get('/public/hello');
    expect(expectProblem(down, 502).title).toBe('Bad Gateway');

    api = await startApi(apiPort);
    const back = await waitFor('the API behind NGINX again', async () => {
      const res = await get('/public/hello');
      return res.status === 200 ? res : undefined;
    });
    expect(json(back).message).toBe('Hello from the public API!');
  });
});
