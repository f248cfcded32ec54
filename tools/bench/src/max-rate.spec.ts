import { parseWrk, wrkMs } from './max-rate';

const REPORT = `Running 5s test @ http://127.0.0.1:4001/public/hello
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     1.81ms    5.85ms 149.53ms   97.69%
    Req/Sec    28.39k     2.10k   31.00k    80.00%
  Latency Distribution
     50%  850.00us
     75%    1.23ms
     90%    1.52ms
     99%   28.41ms
  141283 requests in 5.00s, 27.22MB read
  Non-2xx or 3xx responses: 283
  Socket errors: connect 0, read 2, write 0, timeout 1
Requests/sec:  28256.56
Transfer/sec:      5.44MB
`;

describe('parseWrk', () => {
  it('counts only successful responses, and every failure', () => {
    expect(parseWrk(REPORT, 'u')).toEqual({
      requests: 141_000,
      requestsPerSecond: 28_200,
      p50Ms: 0.85,
      p99Ms: 28.41,
      failures: 286,
    });
  });

  it('fails on output that is not a report', () => {
    expect(() => parseWrk('unable to connect to 127.0.0.1:9 Connection refused', 'u')).toThrow(
      'wrk printed no report',
    );
  });
});

describe('wrkMs', () => {
  it.each([
    ['850.00us', 0.85],
    ['1.05ms', 1.05],
    ['2.00s', 2000],
  ])('reads %s as %d ms', (text, ms) => expect(wrkMs(text)).toBeCloseTo(ms));
});
