import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  attackArgs,
  describeLoad,
  epochMs,
  errorKind,
  parseResult,
  runLoad,
  startLoad,
  Tally,
  targetLine,
  summaryOfReport,
} from './load';

/** vegeta against a local server whose answers each test chooses; every run is bounded. */
let server: Server;
let url: string;
let answer: (n: number, request: IncomingMessage, response: ServerResponse) => void;
let inFlight = 0;
let maxInFlight = 0;

beforeAll(async () => {
  let n = 0;
  server = createServer((request, response) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    response.on('close', () => (inFlight -= 1));
    answer((n += 1), request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
beforeEach(() => {
  maxInFlight = 0;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => resolve(body));
  });

describe('runLoad', () => {
  it('sends the targets in turn, with their methods, headers and bodies', async () => {
    const seen: string[] = [];
    answer = async (_n, request, response) => {
      const body = await readBody(request);
      seen.push(`${request.method} ${request.url} ${request.headers.authorization ?? '-'} ${body}`);
      response.statusCode = request.method === 'POST' ? 201 : 200;
      response.end('ok');
    };
    const summary = await runLoad({
      targets: [
        { url: `${url}/a`, headers: { authorization: 'Bearer t' } },
        {
          method: 'POST',
          url: `${url}/b`,
          headers: { 'content-type': 'application/json' },
          body: '{"name":"load"}',
        },
      ],
      rate: 20,
      workers: 2,
      durationSeconds: 1,
    });
    expect(summary.requests).toBe(seen.length);
    expect(summary.requests).toBeGreaterThan(1);
    expect(new Set(seen)).toEqual(new Set(['GET /a Bearer t ', 'POST /b - {"name":"load"}']));
    expect((summary.statuses['200'] ?? 0) + (summary.statuses['201'] ?? 0)).toBe(summary.requests);
    expect(summary).toMatchObject({ ok: summary.requests, non2xx: 0, errors: 0, errorKinds: {} });
    expect(describeLoad(summary)).toContain('0 non-2xx, 0 errors {}');
  });

  it('counts answers by status and failures by kind', async () => {
    answer = (n, _request, response) => {
      if (n % 3 === 0) response.socket?.destroy();
      else {
        response.statusCode = n % 3 === 1 ? 200 : 503;
        response.end();
      }
    };
    const summary = await runLoad({
      targets: [{ url }],
      rate: 30,
      workers: 3,
      durationSeconds: 1,
    });
    expect(summary.statuses['200']).toBeGreaterThan(0);
    expect(summary.statuses['503']).toBeGreaterThan(0);
    expect(summary.non2xx).toBe(summary.statuses['503']);
    expect(summary.errors).toBeGreaterThan(0);
    expect(
      Object.keys(summary.errorKinds).every((kind) => ['EOF', 'ECONNRESET'].includes(kind)),
    ).toBe(true);
    expect(summary.ok + summary.non2xx + summary.errors).toBe(summary.requests);
  });

  it('counts a request without an answer in time as a timeout', async () => {
    answer = () => undefined;
    const summary = await runLoad({
      targets: [{ url }],
      rate: 1,
      workers: 1,
      durationSeconds: 1,
      timeoutSeconds: 1,
    });
    expect(summary).toMatchObject({ requests: 1, errors: 1, errorKinds: { timeout: 1 } });
  });

  it('as fast as answered: never more than `workers` requests in flight', async () => {
    answer = (_n, _request, response) => setTimeout(() => response.end('ok'), 5);
    const summary = await runLoad({ targets: [{ url }], workers: 4, durationSeconds: 1 });
    expect(summary.ok).toBe(summary.requests);
    expect(summary.requests).toBeGreaterThan(4);
    expect(maxInFlight).toBeLessThanOrEqual(4);
  });
});

describe('startLoad', () => {
  it('runs until stopped, then waits for the requests in flight and keeps every result', async () => {
    let started = 0;
    answer = (_n, _request, response) => {
      started += 1;
      setTimeout(() => response.end('slow'), 300);
    };
    const load = startLoad({ targets: [{ url }], rate: 20, workers: 4, keepResults: true });
    while (started === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const summary = await load.stop();
    expect(summary.requests).toBe(started);
    expect(summary.ok).toBe(summary.requests);
    expect(load.results).toHaveLength(summary.requests);
    for (const result of load.results) {
      expect(result).toMatchObject({ method: 'GET', url, status: 200 });
      expect(result.doneAt).toBeGreaterThan(result.sentAt);
    }
  });
});

describe('the pieces', () => {
  it('writes targets in vegeta JSON format, the body in base64', () => {
    expect(
      JSON.parse(
        targetLine({
          method: 'POST',
          url: 'http://127.0.0.1:1/x',
          headers: { a: 'b' },
          body: 'hi',
        }),
      ),
    ).toEqual({ method: 'POST', url: 'http://127.0.0.1:1/x', body: 'aGk=', header: { a: ['b'] } });
  });

  it('bounds workers and connections alike, and runs as fast as answered without a rate', () => {
    const args = attackArgs({ targets: [], workers: 8 });
    expect(args).toEqual(
      expect.arrayContaining([
        '-rate=0',
        '-duration=0s',
        '-workers=8',
        '-max-workers=8',
        '-max-connections=8',
        '-keepalive=true',
      ]),
    );
    expect(() => attackArgs({ targets: [], workers: 0 })).toThrow('workers');
  });

  it("names Go's network errors like Node's codes", () => {
    expect(
      errorKind(
        'Get "http://127.0.0.1:1/": read tcp 127.0.0.1:2->127.0.0.1:1: read: connection reset by peer',
      ),
    ).toBe('ECONNRESET');
    expect(
      errorKind('Get "http://127.0.0.1:1/": dial tcp 127.0.0.1:1: connect: connection refused'),
    ).toBe('ECONNREFUSED');
    expect(errorKind('Get "http://127.0.0.1:1/": EOF')).toBe('EOF');
    expect(
      errorKind(
        'Get "http://127.0.0.1:1/": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
      ),
    ).toBe('timeout');
    expect(errorKind('something new')).toBe('something new');
  });

  it('reads a result line of vegeta encode, with sub-millisecond times', () => {
    const result = parseResult(
      JSON.stringify({
        code: 0,
        timestamp: '2026-01-02T03:04:05.123456789Z',
        latency: 2_500_000,
        error: 'Get "x": EOF',
        method: 'GET',
        url: 'x',
      }),
    );
    expect(result.sentAt).toBeCloseTo(Date.UTC(2026, 0, 2, 3, 4, 5, 123) + 0.456789, 6);
    expect(result).toMatchObject({ latencyMs: 2.5, status: 0, error: 'EOF' });
    expect(epochMs('2026-01-02T03:04:05+01:00')).toBe(Date.UTC(2026, 0, 2, 2, 4, 5));
  });

  it('summarizes: nearest-rank percentiles, statuses, errors and rates', () => {
    const tally = new Tally();
    for (let i = 1; i <= 100; i += 1) {
      tally.add({
        sentAt: i * 10,
        doneAt: i * 10 + i,
        latencyMs: i,
        method: 'GET',
        url: 'x',
        status: i === 100 ? 0 : i % 10 === 0 ? 503 : 200,
        ...(i === 100 ? { error: 'EOF' } : {}),
      });
    }
    expect(tally.summary()).toEqual({
      requests: 100,
      statuses: { 200: 90, 503: 9 },
      ok: 90,
      non2xx: 9,
      errors: 1,
      errorKinds: { EOF: 1 },
      p50Ms: 50,
      p99Ms: 99,
      maxMs: 100,
      durationSeconds: 1.09,
      sentPerSecond: 100,
      okPerSecond: 90 / 1.09,
    });
    expect(new Tally().summary()).toMatchObject({ requests: 0, p99Ms: 0, sentPerSecond: 0 });
  });
});

describe('summaryOfReport', () => {
  it("reads vegeta's own JSON report: statuses, failures, percentiles in ms", () => {
    const summary = summaryOfReport({
      latencies: { '50th': 1_500_000, '99th': 4_000_000, max: 9_000_000 },
      duration: 1_000_000_000,
      wait: 0,
      requests: 10,
      rate: 10,
      status_codes: { '0': 1, '200': 8, '503': 1 },
      errors: ['Get "http://127.0.0.1:1/": dial tcp: connect: connection refused'],
    });
    expect(summary).toEqual({
      requests: 10,
      statuses: { '200': 8, '503': 1 },
      ok: 8,
      non2xx: 1,
      errors: 1,
      errorKinds: { ECONNREFUSED: 1 },
      p50Ms: 1.5,
      p99Ms: 4,
      maxMs: 9,
      durationSeconds: 1,
      sentPerSecond: 10,
      okPerSecond: 8,
    });
  });
});
