import { runLoadReport as vegeta, type LoadSummary } from '@sidecar/testkit';

export interface LoadOptions {
  url: string;
  /** Requests in flight at most, hence connections. */
  connections: number;
  durationSeconds: number;
  /** Requests per second, sent on schedule (an open model); unset: as fast as answered. */
  rate?: number;
  /** CPUs for the generator (taskset -c); unset: not pinned. */
  cpus?: string;
}

export interface LoadResult {
  /** Successful responses, and per second. */
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Requests without a response and statuses other than 2xx: expected to be 0. */
  failures: number;
}

/**
 * One bounded run of the project's load generator (@sidecar/testkit: vegeta) against a loopback
 * URL, tallied by vegeta itself on the generator's CPUs, so that no reading of results takes
 * CPU from the servers being measured.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const host = new URL(options.url).hostname;
  if (host !== '127.0.0.1') throw new Error(`load goes to 127.0.0.1 only, not ${host}`);
  return benchResult(
    await vegeta({
      targets: [{ url: options.url }],
      workers: options.connections,
      durationSeconds: options.durationSeconds,
      rate: options.rate,
      cpus: options.cpus,
    }),
    options.url,
  );
}

/** The bench's figures from a load summary: successful responses only, latency in ms. */
export function benchResult(summary: LoadSummary, url: string): LoadResult {
  if (summary.ok === 0) {
    throw new Error(
      `no successful response from ${url}: statuses ${JSON.stringify(summary.statuses)}, errors ${JSON.stringify(summary.errorKinds)}`,
    );
  }
  return {
    requests: summary.ok,
    requestsPerSecond: summary.okPerSecond,
    p50Ms: summary.p50Ms,
    p99Ms: summary.p99Ms,
    failures: summary.errors + summary.non2xx,
  };
}
