import { randomBytes } from 'node:crypto';
import { waitFor } from '@sidecar/testkit';
import {
  rawBody,
  rawExchange,
  rawHeader,
  type RawExchange,
  type RawOptions,
} from './harness/raw-http';
import { accessLog, startSidecar, type AccessLogLine, type Sidecar } from './harness/sidecar';

/**
 * Bad input at the sidecar's port, on raw sockets: every request below gets a clear answer (a
 * problem+json error, or NGINX cutting a stalled client), none hangs, and none reaches the API
 * unless it is a request the API should see. "Reached the API" is read from NGINX's own access
 * log: its upstreamAddress is empty when NGINX answered alone.
 */
const token = randomBytes(16).toString('hex');
let sidecar: Sidecar;
beforeAll(async () => {
  sidecar = await startSidecar({ token });
});
afterAll(async () => {
  await sidecar?.stop();
});

interface Case {
  name: string;
  request: string;
  status: number;
  /** True only where the API is the right one to answer. */
  reachesApi: boolean;
}

const host = 'Host: sidecar.test\r\n';
const auth = (): string => `Authorization: Bearer ${token}\r\n`;
const big = (n: number): string => 'a'.repeat(n);

// NGINX's defaults these cases push against: large_client_header_buffers 4 8k (one header line
// or the request line over 8 KiB is refused), https://nginx.org/en/docs/http/ngx_http_core_module.html
const cases = (): Case[] => [
  // Path traversal and encoded-slash tricks.
  {
    name: 'dot segments above the root',
    request: `GET /../../etc/passwd HTTP/1.1\r\n${host}\r\n`,
    status: 400,
    reachesApi: false,
  },
  {
    name: 'dot segments under /public/',
    request: `GET /public/../../etc/passwd HTTP/1.1\r\n${host}\r\n`,
    status: 400,
    reachesApi: false,
  },
  {
    name: 'percent-encoded dot segments',
    request: `GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n${host}\r\n`,
    status: 400,
    reachesApi: false,
  },
  {
    name: "encoded slash to the API's readiness endpoint",
    request: `GET /public/..%2freadyz HTTP/1.1\r\n${host}\r\n`,
    status: 404,
    reachesApi: false,
  },
  {
    name: 'backslash dot segments',
    request: `GET /public\\..\\readyz HTTP/1.1\r\n${host}\r\n`,
    status: 404,
    reachesApi: false,
  },
  {
    name: 'encoded NUL byte',
    request: `GET /public/hello%00.json HTTP/1.1\r\n${host}\r\n`,
    status: 400,
    reachesApi: false,
  },
  // NGINX routes on the decoded path (/api/hello: no rate limit) but passes the URI as sent: the
  // API must not resolve it to /public/hello, or the rate limit could be bypassed.
  {
    name: 'encoded slash from /public/ into /api/',
    request: `GET /public/..%2fapi/hello HTTP/1.1\r\n${host}\r\n`,
    status: 404,
    reachesApi: true,
  },
  // And the reverse must not reach /api/ without a token.
  {
    name: 'encoded slash from /api/ into /public/',
    request: `GET /api/..%2fpublic/hello HTTP/1.1\r\n${host}\r\n`,
    status: 401,
    reachesApi: true,
  },
  // Oversized requests.
  {
    name: 'a header line over 8 KiB',
    request: `GET /public/hello HTTP/1.1\r\n${host}X-Big: ${big(9_000)}\r\n\r\n`,
    status: 400,
    reachesApi: false,
  },
  {
    name: 'headers over 32 KiB in total',
    request: `GET /api/hello HTTP/1.1\r\n${host}${auth()}${Array.from({ length: 40 }, (_, i) => `X-Filler-${i}: ${big(1_000)}\r\n`).join('')}\r\n`,
    status: 400,
    reachesApi: false,
  },
  {
    name: 'a URI over 8 KiB',
    request: `GET /public/${big(9_000)} HTTP/1.1\r\n${host}\r\n`,
    status: 414,
    reachesApi: false,
  },
  // Request smuggling: framing that two parsers could read differently is refused outright.
  {
    name: 'Content-Length and Transfer-Encoding together',
    request: `POST /api/greetings HTTP/1.1\r\n${host}${auth()}Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    status: 400,
    reachesApi: false,
  },
  {
    name: 'two different Content-Lengths',
    request: `POST /api/greetings HTTP/1.1\r\n${host}${auth()}Content-Length: 4\r\nContent-Length: 5\r\n\r\nabcde`,
    status: 400,
    reachesApi: false,
  },
  {
    name: 'a negative Content-Length',
    request: `POST /api/greetings HTTP/1.1\r\n${host}${auth()}Content-Length: -1\r\n\r\n`,
    status: 400,
    reachesApi: false,
  },
  {
    name: 'Transfer-Encoding with a space before the colon',
    request: `POST /api/greetings HTTP/1.1\r\n${host}${auth()}Transfer-Encoding : chunked\r\nContent-Length: 3\r\n\r\nabc`,
    status: 400,
    reachesApi: false,
  },
  {
    name: 'an invalid chunk size',
    request: `POST /api/greetings HTTP/1.1\r\n${host}${auth()}Transfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n`,
    status: 400,
    reachesApi: false,
  },
  {
    name: 'an obsolete folded header line',
    request: `GET /api/hello HTTP/1.1\r\n${host}${auth()}X-Folded: 1\r\n  continued\r\n\r\n`,
    status: 400,
    reachesApi: false,
  },
  // RFC 9112 section 6.1: a transfer coding the server does not understand gets 501.
  {
    name: 'an unknown Transfer-Encoding',
    request: `POST /api/greetings HTTP/1.1\r\n${host}${auth()}Transfer-Encoding: xchunked\r\n\r\n`,
    status: 501,
    reachesApi: false,
  },
  {
    name: 'chunked not the last transfer coding',
    request: `POST /api/greetings HTTP/1.1\r\n${host}${auth()}Transfer-Encoding: chunked, identity\r\n\r\n`,
    status: 501,
    reachesApi: false,
  },
  // Methods.
  {
    name: 'TRACE (cross-site tracing)',
    request: `TRACE /api/hello HTTP/1.1\r\n${host}${auth()}\r\n`,
    status: 405,
    reachesApi: false,
  },
  {
    name: 'CONNECT',
    request: `CONNECT 127.0.0.1:22 HTTP/1.1\r\n${host}\r\n`,
    status: 400,
    reachesApi: false,
  },
  {
    name: 'a lowercase method',
    request: `get /public/hello HTTP/1.1\r\n${host}\r\n`,
    status: 400,
    reachesApi: false,
  },
  {
    name: 'a method with a non-token character',
    request: `G@T /public/hello HTTP/1.1\r\n${host}\r\n`,
    status: 400,
    reachesApi: false,
  },
  // Protocol versions and garbage.
  {
    name: 'HTTP/1.1 without Host',
    request: 'GET /public/hello HTTP/1.1\r\n\r\n',
    status: 400,
    reachesApi: false,
  },
  {
    name: 'HTTP/1.0 with Transfer-Encoding',
    request: 'POST /api/greetings HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    status: 400,
    reachesApi: false,
  },
  {
    name: 'an HTTP/2 preface on the HTTP/1 port',
    request: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n',
    status: 400,
    reachesApi: false,
  },
  {
    name: 'HTTP/3.0 in the request line',
    request: `GET /public/hello HTTP/3.0\r\n${host}\r\n`,
    status: 505,
    reachesApi: false,
  },
  {
    name: 'a TLS ClientHello on the plain port',
    request: '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n',
    status: 400,
    reachesApi: false,
  },
];

/** Runs one exchange and returns it with the access-log lines it produced. */
async function exchangeAndLog(
  send: RawOptions,
  expectedLines = 1,
): Promise<{ exchange: RawExchange; lines: AccessLogLine[] }> {
  const before = sidecar.nginx.output.stdout.length;
  const exchange = await rawExchange(sidecar.nginxPort, send);
  // NGINX writes the access-log line after the response: wait for it.
  await waitFor(`${expectedLines} access-log line(s)`, () =>
    sidecar.nginx.output.stdout.length >= before + expectedLines ? true : undefined,
  );
  return { exchange, lines: accessLog(sidecar).slice(before) };
}

describe('malformed and hostile requests', () => {
  const results: string[] = [];
  afterAll(() => {
    console.log(`[edge cases] ${results.length} cases tried:\n  ${results.join('\n  ')}`);
  });

  it.each(cases().map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { exchange, lines } = await exchangeAndLog({ send: c.request, deadlineMs: 5_000 });
    const reached = lines.filter((line) => line.upstreamAddress !== '').length;
    results.push(
      `${c.name}: ${exchange.status} in ${exchange.elapsedMs} ms, reached the API: ${reached > 0}`,
    );
    expect({ ended: exchange.ended, status: exchange.status }).toEqual({
      ended: expect.stringMatching(/^(response|server)$/),
      status: c.status,
    });
    expect(rawHeader(exchange, 'content-type')).toMatch(/^application\/problem\+json/);
    expect(rawBody(exchange)).toMatchObject({ type: 'about:blank', status: c.status });
    expect(lines).toHaveLength(1);
    expect({ reachedApi: reached > 0 }).toEqual({ reachedApi: c.reachesApi });
    if (c.reachesApi) expect(exchange.response).not.toContain('Hello from the public API');
  });

  it('serves an HTTP/1.0 client and closes its connection after the response', async () => {
    const { exchange } = await exchangeAndLog({
      send: 'GET /public/hello HTTP/1.0\r\n\r\n',
      untilClose: true,
      deadlineMs: 5_000,
    });
    results.push(
      `HTTP/1.0 GET: ${exchange.status}, closed by the server in ${exchange.elapsedMs} ms`,
    );
    expect(exchange.status).toBe(200);
    expect(exchange.ended).toBe('server');
    expect(rawBody(exchange)).toMatchObject({ message: 'Hello from the public API!' });
  });
});

describe('slow clients', () => {
  // nginx.conf.template: client_header_timeout and client_body_timeout are 10s. NGINX then logs a
  // 408 and closes the connection without a response (the client stopped listening, as far as
  // HTTP/1.1 can tell). A margin of two seconds either way.
  const TIMEOUT_MS = 10_000;

  it('cuts stalled headers and stalled bodies at the timeout, and keeps serving others', async () => {
    const stalledHeaders = exchangeAndLog(
      { send: `GET /public/hello HTTP/1.1\r\n${host}`, deadlineMs: TIMEOUT_MS + 5_000 },
      0,
    );
    const stalledBody = exchangeAndLog(
      {
        send: `POST /api/greetings HTTP/1.1\r\n${host}${auth()}Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":`,
        deadlineMs: TIMEOUT_MS + 5_000,
      },
      0,
    );
    // A slowloris crowd of stalled connections: others are still served at once meanwhile.
    const crowd = Array.from({ length: 50 }, () =>
      rawExchange(sidecar.nginxPort, {
        send: `GET /public/hello HTTP/1.1\r\n${host}X-Slow: `,
        deadlineMs: TIMEOUT_MS + 5_000,
      }),
    );
    const started = Date.now();
    const served = await fetch(`${sidecar.url}/api/hello`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const servedMs = Date.now() - started;
    expect(served.status).toBe(200);
    expect(servedMs).toBeLessThan(1_000);

    const [headers, body] = [(await stalledHeaders).exchange, (await stalledBody).exchange];
    const cut = await Promise.all(crowd);
    // The 408 lines land as each connection is cut.
    const timeouts = await waitFor('the 408 access-log lines', () => {
      const lines = accessLog(sidecar).filter((line) => line.status === 408);
      return lines.length >= cut.length + 2 ? lines : undefined;
    });
    console.log(
      `[slow clients] stalled headers cut after ${headers.elapsedMs} ms, stalled body after ${body.elapsedMs} ms, ` +
        `${cut.length} slowloris connections cut after ${Math.min(...cut.map((c) => c.elapsedMs))}-${Math.max(...cut.map((c) => c.elapsedMs))} ms; ` +
        `a normal request meanwhile: ${served.status} in ${servedMs} ms; ${timeouts.length} 408 lines, ` +
        `${timeouts.filter((line) => line.upstreamAddress !== '').length} reached the API`,
    );
    for (const exchange of [headers, body, ...cut]) {
      expect(exchange.ended).toBe('server');
      expect(exchange.elapsedMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 2_000);
      expect(exchange.elapsedMs).toBeLessThan(TIMEOUT_MS + 2_000);
    }
    // NGINX buffers the body before it proxies: a body that never completes never reaches the API.
    expect(timeouts.filter((line) => line.upstreamAddress !== '')).toEqual([]);
  });
});
