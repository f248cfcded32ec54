/**
 * The bench's closed-loop maximum: wrk (https://github.com/wg/wrk, Apache-2.0; Debian package
 * wrk), `connections` requests always in flight on one thread, as fast as they are answered.
 *
 * Why not the project's load generator here: vegeta (@sidecar/testkit) writes a result for every
 * request, which is what its other uses need (a schedule kept, every failure counted) and what
 * caps it on one core: measured here, 8.5k req/s against Node's http module while wrk sent 17k.
 * A server the generator cannot saturate serves each request at a higher CPU cost (fewer events
 * per wake-up), so every figure of the maximum-rate table would be the generator's. The latency
 * runs, which keep a schedule, stay with vegeta.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { LoadResult } from './load';
import { pinned } from './processes';

const run = promisify(execFile);

export interface MaxRateOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  /** CPUs for wrk (taskset -c); unset: not pinned. */
  cpus?: string;
}

export async function runMaxRate(options: MaxRateOptions): Promise<LoadResult> {
  const host = new URL(options.url).hostname;
  if (host !== '127.0.0.1') throw new Error(`load goes to 127.0.0.1 only, not ${host}`);
  const args = [
    '-t1',
    `-c${options.connections}`,
    `-d${options.durationSeconds}s`,
    '--latency',
    // As browsers and HTTP libraries ask: NGINX compresses what it may.
    '-H',
    'Accept-Encoding: gzip',
    options.url,
  ];
  const [command, argv] = pinned(options.cpus, 'wrk', args);
  const { stdout } = await run(command, argv).catch(
    (error: NodeJS.ErrnoException & { stderr?: string }) => {
      if (error.code === 'ENOENT' || /wrk: not found|No such file/.test(error.stderr ?? ''))
        throw new Error(
          'wrk is missing: install it (Debian package wrk; brew install wrk), or run make setup',
        );
      throw new Error(`wrk failed on ${options.url}: ${error.stderr ?? error.message}`);
    },
  );
  return parseWrk(stdout, options.url);
}

/** A latency as wrk prints it (850.00us, 1.05ms, 2.00s) in ms. */
export function wrkMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!match) throw new Error(`not a wrk latency: ${text}`);
  const scale: Record<string, number> = { us: 1e-3, ms: 1, s: 1e3, m: 60e3 };
  return Number(match[1]) * (scale[match[2] as string] as number);
}

/** wrk's report (src/wrk.c print_stats): requests, duration, the distribution, failures. */
export function parseWrk(output: string, url: string): LoadResult {
  const total = /^\s*(\d+) requests in ([\d.]+)(us|ms|s|m),/m.exec(output);
  const p50 = /^\s*50%\s+(\S+)$/m.exec(output);
  const p99 = /^\s*99%\s+(\S+)$/m.exec(output);
  if (!total || !p50 || !p99) throw new Error(`wrk printed no report for ${url}:\n${output}`);
  const requests = Number(total[1]);
  const seconds = wrkMs(`${total[2]}${total[3]}`) / 1e3;
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
    output,
  );
  const errors = socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  const ok = requests - non2xx;
  if (ok <= 0) throw new Error(`no successful response from ${url}:\n${output}`);
  return {
    requests: ok,
    requestsPerSecond: ok / seconds,
    p50Ms: wrkMs(p50[1] as string),
    p99Ms: wrkMs(p99[1] as string),
    failures: non2xx + errors,
  };
}
