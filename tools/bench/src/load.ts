import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  /** Requests per second across all connections, evenly paced; unset: as fast as answered. */
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
  /** Connection, read, write and timeout errors and statuses above 399: expected to be 0. */
  failures: number;
}

/**
 * One bounded run of wrk (Debian's `wrk`, https://github.com/wg/wrk) with one thread against a
 * loopback URL. Its Lua script (wrk-report.lua) paces the connections for a fixed rate and prints
 * the results as JSON, with latencies in microseconds.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const host = new URL(options.url).hostname;
  if (host !== '127.0.0.1') throw new Error(`load goes to 127.0.0.1 only, not ${host}`);
  const args = [
    '--threads',
    '1',
    '--connections',
    String(options.connections),
    '--duration',
    `${options.durationSeconds}s`,
    '--timeout',
    '10s',
    '--script',
    join(__dirname, 'wrk-report.lua'),
    options.url,
  ];
  const [command, argv] =
    options.cpus === undefined ? ['wrk', args] : ['taskset', ['-c', options.cpus, 'wrk', ...args]];
  const env = { ...process.env };
  // Each connection sends one request every connections/rate seconds.
  if (options.rate !== undefined)
    env.WRK_PACE_MS = String((1000 * options.connections) / options.rate);
  else delete env.WRK_PACE_MS;
  const { stdout } = await run(command, argv, {
    env,
    timeout: (options.durationSeconds + 30) * 1000,
  });
  return parseWrkReport(stdout);
}

/** The JSON line wrk-report.lua's done() prints, among wrk's own summary lines. */
export function parseWrkReport(stdout: string): LoadResult {
  const line = stdout.split('\n').find((candidate) => candidate.startsWith('{"requests":'));
  if (!line) throw new Error(`no result line from wrk:\n${stdout}`);
  const r = JSON.parse(line) as {
    requests: number;
    durationUs: number;
    statusErrors: number;
    socketErrors: number;
    p50Us: number;
    p99Us: number;
  };
  // wrk counts every response in `requests`, statuses above 399 included; socket errors are apart.
  const successful = r.requests - r.statusErrors;
  if (successful <= 0) throw new Error(`wrk got no successful response:\n${stdout}`);
  return {
    requests: successful,
    requestsPerSecond: successful / (r.durationUs / 1e6),
    p50Ms: r.p50Us / 1000,
    p99Ms: r.p99Us / 1000,
    failures: r.statusErrors + r.socketErrors,
  };
}
