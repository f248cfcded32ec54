import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { count, describeFigures, startLoad } from './load';

/** The load loop against a local server whose answers each test chooses. */
let server: Server;
let url: string;
let answer: (n: number, response: import('node:http').ServerResponse) => void;

beforeAll(async () => {
  let n = 0;
  server = createServer((_request, response) => answer((n += 1), response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const bounds = { concurrency: 3, maxRequests: 60, maxDurationMs: 10_000, requestTimeoutMs: 2_000 };

describe('startLoad', () => {
  it('sends exactly maxRequests and counts every 2xx', async () => {
    answer = (_n, response) => response.end('ok');
    const figures = await startLoad({ url, ...bounds }).finished;
    expect(figures).toMatchObject({ sent: 60, ok: 60, non2xx: {}, connectionErrors: {} });
  });

  it('counts non-2xx answers by status', async () => {
    answer = (n, response) => {
      response.statusCode = n % 2 ? 503 : 200;
      response.end();
    };
    const figures = await startLoad({ url, ...bounds }).finished;
    expect(figures.sent).toBe(60);
    expect(figures.ok + count(figures.non2xx)).toBe(60);
    expect(figures.non2xx[503]).toBeGreaterThan(0);
    expect(describeFigures(figures)).toMatch(
      /60 requests in .* non-2xx \(503: \d+\), 0 connection errors/,
    );
  });

  it('counts a connection closed without an answer as a connection error', async () => {
    answer = (n, response) => (n % 3 ? response.end('ok') : response.socket?.destroy());
    const figures = await startLoad({ url, ...bounds }).finished;
    expect(figures.sent).toBe(60);
    expect(count(figures.connectionErrors)).toBeGreaterThan(0);
    expect(figures.ok + count(figures.connectionErrors)).toBe(60);
  });

  it('stops when told, and waits for the requests in flight', async () => {
    answer = (_n, response) => setTimeout(() => response.end('slow'), 200);
    const load = startLoad({ url, ...bounds, maxRequests: 1_000_000 });
    const figures = await load.stop();
    expect(figures.sent).toBe(bounds.concurrency);
    expect(figures.ok).toBe(bounds.concurrency);
  });

  it('stops at maxDurationMs however many requests are left', async () => {
    answer = (_n, response) => setTimeout(() => response.end('slow'), 100);
    const started = Date.now();
    const figures = await startLoad({ url, ...bounds, maxRequests: 1_000_000, maxDurationMs: 500 })
      .finished;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(figures.sent).toBeLessThan(50);
    expect(figures.ok).toBe(figures.sent);
  });
});
