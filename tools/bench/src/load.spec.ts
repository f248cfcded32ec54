import { Tally } from '@sidecar/testkit';
import { benchResult } from './load';

const result = (status: number, latencyMs: number, sentAt: number) => ({
  sentAt,
  doneAt: sentAt + latencyMs,
  latencyMs,
  method: 'GET',
  url: 'http://127.0.0.1:1/',
  status,
  ...(status === 0 ? { error: 'ECONNRESET' } : {}),
});

describe('benchResult', () => {
  it('counts successful responses per second, and every other outcome as a failure', () => {
    const tally = new Tally();
    // 100 requests over 1 s (the last answered at 1,000 ms): 97 answered 200, 2 with 503, 1 reset.
    for (let i = 0; i < 100; i += 1) {
      tally.add(result(i < 97 ? 200 : i < 99 ? 503 : 0, i === 99 ? 10 : 2, i * 9.9));
    }
    const figures = benchResult(tally.summary(), 'http://127.0.0.1:1/');
    expect(figures).toMatchObject({ requests: 97, p50Ms: 2, p99Ms: 2, failures: 3 });
    expect(figures.requestsPerSecond).toBeCloseTo(97 / 0.9901, 6);
  });

  it('fails without one successful response', () => {
    const tally = new Tally();
    tally.add(result(503, 1, 0));
    expect(() => benchResult(tally.summary(), 'http://127.0.0.1:1/')).toThrow(
      'no successful response',
    );
  });
});
