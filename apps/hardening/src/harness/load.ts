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
  /** The errors by code or message, e.g. { ECONNRESET: 2 }. */
  errorKinds: Record<string, number>;
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
  const errorKinds: Record<string, number> = {};
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        overallRate: options.overallRate,
        timeout: 10,
        // autocannon sends its next request on a connection even after a response that said
        // `Connection: close` (RFC 9112 section 9.6 forbids that), which NGINX says on the last of a
        // connection's keepalive_requests (1000 by default,
        // https://nginx.org/en/docs/http/ngx_http_core_module.html#keepalive_requests): the write then
        // meets a closed socket. Reconnecting well before that keeps such client errors out of the
        // figures; the response that triggers a reconnect is left out of autocannon's counts.
        reconnectRate: 500,
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
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
  instance?.on('reqError', (error: { code?: string; message?: string }) => {
    const kind = error.code ?? error.message ?? 'unknown';
    errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
  });
  const result = await finished;
  return {
    requests: result.requests.total,
    errorKinds,
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
    `${summary.requests} requests, ${summary.errors} errors ${JSON.stringify(summary.errorKinds)} ` +
    `(${summary.timeouts} timeouts), ` +
    `${summary.non2xx} non-2xx, statuses ${JSON.stringify(summary.statuses)}, ` +
    `latency p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms, max ${summary.maxMs} ms`
  );
}

/** NGINX variables for load runs: /public/'s per-client rate limit out of the way. */
export const NO_PUBLIC_RATE_LIMIT = {
  NGINX_PUBLIC_RATE: '100000r/s',
  NGINX_PUBLIC_BURST: '100000',
};
