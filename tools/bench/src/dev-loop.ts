/**
 * Issue item 6, the development loop: `nx run-many -t lint test build` cold (--skip-nx-cache:
 * every task runs) against fully cached (right after a run, so every task is a cache hit).
 * A cold run of the whole workspace takes minutes, so there are fewer of them by default.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { findWorkspaceRoot } from '@sidecar/testkit';

export const DEV_LOOP_COMMAND = ['nx', 'run-many', '-t', 'lint', 'test', 'build'];
// Static output: one `> nx run project:target` line per task, with the cache it came from.
const OUTPUT_STYLE = '--outputStyle=static';

export interface DevLoopRuns {
  coldSeconds: number[];
  cachedSeconds: number[];
  /** Runs whose Nx command failed (a failing test counts: its time is still the loop's). */
  failedRuns: number;
  /** The tasks Nx named as failed, over all runs. A failed task is not cached, so it reruns. */
  failedTasks: string[];
  /** Per cached run, the tasks that ran instead of coming from the cache (expected: none). */
  cacheMisses: string[][];
}

/** Nx's output without the colour codes it writes to a terminal. */
function plainText(output: string): string {
  // eslint-disable-next-line no-control-regex -- colour codes, when Nx writes them
  return output.replace(/\x1b\[[0-9;]*m/g, '');
}

/** The `- project:target` lines under Nx's "Failed tasks:" summary. */
export function failedTasksOf(output: string): string[] {
  const plain = plainText(output);
  const summary = plain.split(/Failed tasks:/).at(-1) ?? '';
  if (summary === plain) return [];
  return [...summary.matchAll(/^\s*- ([\w@/.-]+:[\w:-]+)\s*$/gm)].map(
    (match) => match[1] as string,
  );
}

/** The tasks of a static-style Nx run that ran, rather than being read from the cache. */
export function tasksRunOf(output: string): string[] {
  return [...plainText(output).matchAll(/^> nx run (\S+)(.*)$/gm)]
    .filter((match) => !/\[(local cache|remote cache|existing outputs match)/.test(match[2] ?? ''))
    .map((match) => match[1] as string);
}

export async function measureDevLoop(options: {
  coldRuns: number;
  cachedRuns: number;
  log: (line: string) => void;
}): Promise<DevLoopRuns> {
  const runs: DevLoopRuns = {
    coldSeconds: [],
    cachedSeconds: [],
    failedRuns: 0,
    failedTasks: [],
    cacheMisses: [],
  };
  const time = async (kind: 'cold' | 'cached', run: number, total: number) => {
    const { seconds, failure, tasksRun } = await timeNx(
      kind === 'cold'
        ? [...DEV_LOOP_COMMAND, OUTPUT_STYLE, '--skip-nx-cache']
        : [...DEV_LOOP_COMMAND, OUTPUT_STYLE],
    );
    (kind === 'cold' ? runs.coldSeconds : runs.cachedSeconds).push(seconds);
    if (kind === 'cached') runs.cacheMisses.push(tasksRun);
    if (failure) {
      runs.failedRuns++;
      for (const task of failedTasksOf(failure)) {
        if (!runs.failedTasks.includes(task)) runs.failedTasks.push(task);
      }
    }
    const misses =
      kind === 'cached' && tasksRun.length > 0
        ? `; not from the cache: ${tasksRun.join(', ')}`
        : '';
    options.log(
      `dev loop ${kind} ${run}/${total}: ${seconds.toFixed(1)} s${misses}${failure ? ` (FAILED)\n${failure}` : ''}`,
    );
  };
  // Each cold run fills the cache; the cached runs follow the last one.
  for (let run = 1; run <= options.coldRuns; run++) await time('cold', run, options.coldRuns);
  for (let run = 1; run <= options.cachedRuns; run++) await time('cached', run, options.cachedRuns);
  return runs;
}

async function timeNx(
  args: string[],
): Promise<{ seconds: number; failure?: string; tasksRun: string[] }> {
  const started = performance.now();
  const child = spawn('npx', args, {
    cwd: findWorkspaceRoot(),
    // As a developer runs it: without the task context (NX_* variables) of any Nx the bench may
    // run under, no terminal UI; Nx's output reaches the log only when the run fails.
    env: {
      ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NX_'))),
      NX_TUI: 'false',
      NX_NO_CLOUD: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => (output += chunk.toString());
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const [code] = await once(child, 'exit');
  const seconds = (performance.now() - started) / 1000;
  const tasksRun = tasksRunOf(output);
  return code === 0
    ? { seconds, tasksRun }
    : {
        seconds,
        tasksRun,
        failure: `npx ${args.join(' ')} exited ${code}:\n${output.slice(-20_000)}`,
      };
}
