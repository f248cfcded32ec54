import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  token: string;
  /** Open connections (closed loop: each sends its next request when the last one is answered). */
  connections: number;
  /** Seconds of load. */
  durationSeconds: number;
  /** Requests per second over all connections; unbounded when left out. */
  overallRate?: number;
  /** The requests each connection sends in turn; by default the mix described below. */
  requests?: autocannon.Request[];
}

export interface LoadSummary {
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statuses: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  durationSeconds: number;
}

/**
 * Bounded load through the sidecar with autocannon (https://github.com/mcollina/autocannon):
 * by default the protected and the public greeting and a POST, in turn on every connection.
 */
export async function runLoad(options: LoadOptions): Promise<LoadSummary> {
  const authorization = `Bearer ${options.token}`;
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    overallRate: options.overallRate,
    timeout: 10,
    requests: options.requests ?? [
      { method: 'GET', path: '/api/hello', headers: { authorization } },
      { method: 'GET', path: '/public/hello' },
      {
        method: 'POST',
        path: '/api/greetings',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'load' }),
      },
    ],
  });
  return {
    requests: result.requests.total,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statuses: Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count ?? 0]),
    ),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    durationSeconds: result.duration,
  };
}

export function describeLoad(summary: LoadSummary): string {
  return (
    `${summary.requests} requests, ${summary.errors} errors (${summary.timeouts} timeouts), ` +
    `${summary.non2xx} non-2xx, statuses ${JSON.stringify(summary.statuses)}, ` +
    `latency p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms, max ${summary.maxMs} ms`
  );
}

/** NGINX variables for load runs: /public/'s per-client rate limit out of the way. */
export const NO_PUBLIC_RATE_LIMIT = {
  NGINX_PUBLIC_RATE: '100000r/s',
  NGINX_PUBLIC_BURST: '100000',
};
