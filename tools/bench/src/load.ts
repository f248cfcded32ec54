import autocannon from 'autocannon';
import { percentile } from './stats';

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Requests per second across all connections; unset: as fast as the server answers. */
  rate?: number;
}

export interface LoadResult {
  /** 2xx responses per second. */
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses that were not 2xx, plus connection errors and timeouts: expected to be 0. */
  failures: number;
}

/**
 * One bounded run of autocannon (https://github.com/mcollina/autocannon) against a loopback URL.
 * Latencies come from autocannon's `response` event (process.hrtime, sub-millisecond) rather
 * than its summary histogram, which records whole milliseconds only (hdr-histogram with
 * lowestDiscernibleValue 1): too coarse for a goal of "at most 1 ms more p99".
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const host = new URL(options.url).hostname;
  if (host !== '127.0.0.1') throw new Error(`load goes to 127.0.0.1 only, not ${host}`);
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        ...(options.rate === undefined ? {} : { overallRate: options.rate }),
        timeout: 10,
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
  if (latencies.length === 0) throw new Error(`no 2xx response from ${options.url}`);
  return {
    requestsPerSecond: result['2xx'] / result.duration,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    failures: result.non2xx + result.errors + result.timeouts,
  };
}
