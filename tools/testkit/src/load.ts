/**
 * The one load generator of the project: vegeta (https://github.com/tsenart/vegeta, MIT), pinned
 * as VEGETA_VERSION in tools/versions.env and installed by tools/toolchain/install.sh. This module
 * spawns `vegeta attack`, feeds it the targets, streams every result through `vegeta encode` and
 * counts them: statuses, errors by kind, latency p50/p99/max, achieved rate. It runs a fixed rate
 * (an open model: requests leave on schedule whether or not earlier ones were answered), as fast
 * as `workers` requests at a time are answered (rate 0, a closed loop), for a duration or until
 * the caller stops it (a rollout: load runs while something else happens).
 *
 * Why vegeta, measured: 200 req/s for 20 s over 8 connections, /api/hello, /public/hello and a
 * POST in turn, through the real NGINX and API of the soak (NGINX closes each connection after
 * `keepalive_time 2s` with `Connection: close`), each generator's figures set against NGINX's own
 * $request_time for the same requests (2 cores shared with other work, load average 12-16):
 *   - autocannon 9 (overallRate): p50 137 ms, p99 825 ms while NGINX logged p50 17 ms, p99 87 ms;
 *     3,896 of the 4,000 requests sent, and in another run 8 ECONNRESET (it writes again on a
 *     connection whose last response said `Connection: close`, RFC 9112 section 9.6).
 *   - a Node http.Agent keep-alive loop, 8 workers on the same schedule: p50 35.5 ms, p99 178 ms,
 *     NGINX p50 28 ms, p99 159 ms, 0 errors (right, but its CPU slows the API it measures).
 *   - vegeta v12.13.0 (-rate=200 -max-workers=8): p50 2.5 ms, p99 69 ms, NGINX p50 2 ms,
 *     p99 62 ms, 4,000 of 4,000 sent, 0 errors.
 * vegeta reports what the server saw, handles `Connection: close` as Go's net/http does, writes
 * every result (send time, latency, status, error) and is one static binary. k6 is AGPL; wrk
 * keeps no per-request results. One exception, where that is the point: make bench's closed-loop
 * maximum runs wrk (tools/bench/src/max-rate.ts says why).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { requirePinnedTool } from './system-tools';

export interface Target {
  /** GET unless set. */
  method?: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  /** Sent in turn, round robin. */
  targets: Target[];
  /** Requests per second over all workers; 0 or unset: as fast as `workers` requests are answered. */
  rate?: number;
  /**
   * Requests in flight at most (vegeta's -workers and -max-workers), hence connections at most.
   * At a fixed rate, a request due while all are busy waits for one, and its latency counts from
   * its send: a schedule that slipped shows as sentPerSecond below the rate.
   */
  workers: number;
  /** Seconds of load; unset: until stop(). */
  durationSeconds?: number;
  /** A request without a complete answer by then counts as an error of kind `timeout`. Default 10. */
  timeoutSeconds?: number;
  /** false: a new connection per request. Default true. */
  keepAlive?: boolean;
  /** Keep every result (send time, latency, status, error) in `results`. Default false. */
  keepResults?: boolean;
  /** CPUs for vegeta (taskset -c); unset: not pinned. */
  cpus?: string;
}

/** One request, as vegeta wrote it. */
export interface Result {
  /** Epoch ms when the request was sent, and when its answer was read (or it failed). */
  sentAt: number;
  doneAt: number;
  latencyMs: number;
  method: string;
  url: string;
  /** The response's status; 0: no response. */
  status: number;
  /** Why no response came (errorKind), if none came. */
  error?: string;
}

export interface LoadSummary {
  requests: number;
  /** Responses by status, e.g. { 200: 120, 503: 2 }. */
  statuses: Record<string, number>;
  /** 2xx responses. */
  ok: number;
  /** Responses whose status was not 2xx. */
  non2xx: number;
  /** Requests without a response: reset, refused, closed, timed out. */
  errors: number;
  /** The errors by kind, e.g. { ECONNRESET: 2, timeout: 1 }. */
  errorKinds: Record<string, number>;
  /** Latency of every request, answered or not, in ms. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** From the first send to the last answer, in seconds. */
  durationSeconds: number;
  /** Requests per second sent (over the span of send times), and 2xx answers per second. */
  sentPerSecond: number;
  okPerSecond: number;
}

export interface RunningLoad {
  /** Every result so far, with keepResults. */
  results: Result[];
  /** The figures so far. */
  summary(): LoadSummary;
  /** Resolves when vegeta is done: its duration is over, or after stop(). */
  finished: Promise<LoadSummary>;
  /** Stops sending; resolves once every request in flight has its result. */
  stop(): Promise<LoadSummary>;
}

/** The pinned vegeta (tools/versions.env), which `make setup` installs. */
export function vegeta(): string {
  return requirePinnedTool('vegeta');
}

/** The `vegeta attack` arguments for these options (targets come as JSON lines on stdin). */
export function attackArgs(options: LoadOptions): string[] {
  if (!(options.workers >= 1)) throw new Error('workers must be at least 1');
  return [
    'attack',
    '-format=json',
    `-rate=${options.rate ?? 0}`,
    `-duration=${options.durationSeconds ?? 0}s`,
    `-timeout=${options.timeoutSeconds ?? 10}s`,
    `-workers=${options.workers}`,
    `-max-workers=${options.workers}`,
    `-connections=${options.workers}`,
    `-max-connections=${options.workers}`,
    `-keepalive=${options.keepAlive ?? true}`,
    // Bodies are read to the end (so connections stay reusable) but not written into results.
    '-max-body=0',
    '-redirects=-1',
  ];
}

/** One target as a line of vegeta's JSON target format (lib/targets.go: body is base64). */
export function targetLine(target: Target): string {
  return JSON.stringify({
    method: target.method ?? 'GET',
    url: target.url,
    ...(target.body === undefined ? {} : { body: Buffer.from(target.body).toString('base64') }),
    ...(target.headers
      ? {
          header: Object.fromEntries(
            Object.entries(target.headers).map(([name, value]) => [name, [value]]),
          ),
        }
      : {}),
  });
}

/**
 * The kind of a Go net/http error as vegeta writes it (`Get "http://...": read tcp ...: read:
 * connection reset by peer`), named like Node's codes where there is one.
 */
export function errorKind(message: string): string {
  const kinds: [RegExp, string][] = [
    [/connection reset by peer/, 'ECONNRESET'],
    [/connection refused/, 'ECONNREFUSED'],
    [/broken pipe/, 'EPIPE'],
    [/Client\.Timeout|timeout|deadline exceeded/i, 'timeout'],
    [/EOF$/, 'EOF'],
  ];
  return kinds.find(([pattern]) => pattern.test(message))?.[1] ?? message;
}

/** One line of `vegeta encode` (lib/results.go: timestamp RFC 3339, latency in ns). */
export function parseResult(line: string): Result {
  const raw = JSON.parse(line) as {
    code: number;
    timestamp: string;
    latency: number;
    error: string;
    method: string;
    url: string;
  };
  const sentAt = epochMs(raw.timestamp);
  const latencyMs = raw.latency / 1e6;
  return {
    sentAt,
    doneAt: sentAt + latencyMs,
    latencyMs,
    method: raw.method,
    url: raw.url,
    status: raw.code,
    ...(raw.code === 0 ? { error: errorKind(raw.error) } : {}),
  };
}

/** An RFC 3339 time with nanoseconds (Go's time.Time in JSON) as epoch ms, sub-ms digits kept. */
export function epochMs(timestamp: string): number {
  const subMs = /\.\d{3}(\d+)/.exec(timestamp)?.[1] ?? '';
  return Date.parse(timestamp) + (subMs ? Number(subMs) / 10 ** subMs.length : 0);
}

/** Counts results as they come; percentiles over every latency. */
export class Tally {
  private readonly latencies: number[] = [];
  private readonly statuses: Record<string, number> = {};
  private readonly errorKinds: Record<string, number> = {};
  private firstSent = Number.POSITIVE_INFINITY;
  private lastSent = Number.NEGATIVE_INFINITY;
  private lastDone = Number.NEGATIVE_INFINITY;
  private ok = 0;

  add(result: Result): void {
    this.latencies.push(result.latencyMs);
    this.firstSent = Math.min(this.firstSent, result.sentAt);
    this.lastSent = Math.max(this.lastSent, result.sentAt);
    this.lastDone = Math.max(this.lastDone, result.doneAt);
    if (result.status === 0) {
      const kind = result.error ?? 'unknown';
      this.errorKinds[kind] = (this.errorKinds[kind] ?? 0) + 1;
    } else {
      this.statuses[result.status] = (this.statuses[result.status] ?? 0) + 1;
      if (result.status >= 200 && result.status < 300) this.ok += 1;
    }
  }

  summary(): LoadSummary {
    const requests = this.latencies.length;
    const sorted = [...this.latencies].sort((a, b) => a - b);
    // Nearest rank: the smallest latency that q of the requests do not exceed.
    const at = (q: number) => sorted[Math.max(0, Math.ceil(q * requests) - 1)] ?? 0;
    const errors = Object.values(this.errorKinds).reduce((sum, n) => sum + n, 0);
    const span = (to: number) => (requests ? Math.max(0, to - this.firstSent) / 1_000 : 0);
    const perSecond = (n: number, seconds: number) => (seconds > 0 ? n / seconds : 0);
    return {
      requests,
      statuses: { ...this.statuses },
      ok: this.ok,
      non2xx: requests - errors - this.ok,
      errors,
      errorKinds: { ...this.errorKinds },
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      maxMs: sorted.at(-1) ?? 0,
      durationSeconds: span(this.lastDone),
      // n sends span n - 1 intervals.
      sentPerSecond: perSecond(requests - 1, span(this.lastSent)),
      okPerSecond: perSecond(this.ok, span(this.lastDone)),
    };
  }
}

/** Starts vegeta; see LoadOptions for the modes. */
export function startLoad(options: LoadOptions): RunningLoad {
  if (options.targets.length === 0) throw new Error('no targets');
  const binary = vegeta();
  const args = attackArgs(options);
  const [command, argv] =
    options.cpus === undefined
      ? [binary, args]
      : ['taskset', ['-c', options.cpus, binary, ...args]];
  const attack = spawn(command, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
  const encode = spawn(binary, ['encode', '-to=json'], { stdio: ['pipe', 'pipe', 'pipe'] });
  attack.stdout.pipe(encode.stdin);
  attack.stdin.end(options.targets.map(targetLine).join('\n') + '\n');

  const stderr: string[] = [];
  attack.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  encode.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const tally = new Tally();
  const results: Result[] = [];
  createInterface({ input: encode.stdout }).on('line', (line) => {
    if (!line) return;
    const result = parseResult(line);
    tally.add(result);
    if (options.keepResults) results.push(result);
  });
  const exited = (child: typeof attack, name: string) =>
    new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    }).then((code) => {
      // `vegeta encode` cannot tell the format of an empty stream: no result, nothing to count.
      const empty = name === 'encode' && tally.summary().requests === 0;
      if (code !== 0 && !(empty && /can't detect encoding/.test(stderr.join(''))))
        throw new Error(`vegeta ${name} exited ${code}: ${stderr.join('').trim()}`);
    });
  const finished = Promise.all([exited(attack, 'attack'), exited(encode, 'encode')]).then(() =>
    tally.summary(),
  );
  return {
    results,
    summary: () => tally.summary(),
    finished,
    stop: () => {
      // SIGINT: vegeta stops sending and writes the results of the requests in flight (attack.go).
      if (attack.exitCode === null && attack.signalCode === null) attack.kill('SIGINT');
      return finished;
    },
  };
}

/** A bounded run: startLoad(options) with a duration, to its end. */
export function runLoad(options: LoadOptions & { durationSeconds: number }): Promise<LoadSummary> {
  return startLoad(options).finished;
}

/** `vegeta report -type=json` (lib/metrics.go): latencies and durations in ns. */
export interface VegetaMetrics {
  latencies: { '50th': number; '99th': number; max: number };
  duration: number;
  wait: number;
  requests: number;
  rate: number;
  status_codes: Record<string, number>;
  errors: string[] | null;
}

/** A LoadSummary from vegeta's own report; error kinds come uncounted there, so they share one. */
export function summaryOfReport(report: VegetaMetrics): LoadSummary {
  const statuses = Object.fromEntries(
    Object.entries(report.status_codes).filter(([code]) => code !== '0'),
  );
  const errors = report.status_codes['0'] ?? 0;
  const ok = Object.entries(statuses)
    .filter(([code]) => Number(code) >= 200 && Number(code) < 300)
    .reduce((sum, [, n]) => sum + n, 0);
  const kinds = [...new Set((report.errors ?? []).map(errorKind))];
  const durationSeconds = (report.duration + report.wait) / 1e9;
  return {
    requests: report.requests,
    statuses,
    ok,
    non2xx: report.requests - errors - ok,
    errors,
    errorKinds: errors > 0 ? { [kinds.join(', ') || 'unknown']: errors } : {},
    p50Ms: report.latencies['50th'] / 1e6,
    p99Ms: report.latencies['99th'] / 1e6,
    maxMs: report.latencies.max / 1e6,
    durationSeconds,
    sentPerSecond: report.rate,
    okPerSecond: durationSeconds > 0 ? ok / durationSeconds : 0,
  };
}

/**
 * A bounded run that vegeta tallies itself (`vegeta attack | vegeta report`, both on `cpus`):
 * for loads faster than this process could read every result without taking CPU from the
 * servers it measures (the bench). Percentiles are vegeta's (a t-digest), not exact ranks.
 */
export async function runLoadReport(
  options: LoadOptions & { durationSeconds: number },
): Promise<LoadSummary> {
  if (options.targets.length === 0) throw new Error('no targets');
  const binary = vegeta();
  const pinnedTo = (args: string[]): [string, string[]] =>
    options.cpus === undefined
      ? [binary, args]
      : ['taskset', ['-c', options.cpus, binary, ...args]];
  const attack = spawn(...pinnedTo(attackArgs(options)), { stdio: ['pipe', 'pipe', 'pipe'] });
  const report = spawn(...pinnedTo(['report', '-type=json']), { stdio: ['pipe', 'pipe', 'pipe'] });
  attack.stdout.pipe(report.stdin);
  attack.stdin.end(options.targets.map(targetLine).join('\n') + '\n');
  const output = { stdout: '', stderr: '' };
  report.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  for (const child of [attack, report]) {
    child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  }
  const exited = (child: typeof attack, name: string) =>
    new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    }).then((code) => {
      if (code !== 0) throw new Error(`vegeta ${name} exited ${code}: ${output.stderr.trim()}`);
    });
  await Promise.all([exited(attack, 'attack'), exited(report, 'report')]);
  return summaryOfReport(JSON.parse(output.stdout) as VegetaMetrics);
}

export function describeLoad(summary: LoadSummary): string {
  return (
    `${summary.requests} requests in ${summary.durationSeconds.toFixed(1)} s ` +
    `(${Math.round(summary.sentPerSecond)}/s sent), statuses ${JSON.stringify(summary.statuses)}, ` +
    `${summary.non2xx} non-2xx, ${summary.errors} errors ${JSON.stringify(summary.errorKinds)}, ` +
    `latency p50 ${summary.p50Ms.toFixed(1)} ms, p99 ${summary.p99Ms.toFixed(1)} ms, max ${summary.maxMs.toFixed(1)} ms`
  );
}
