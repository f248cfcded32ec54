/**
 * Issue item 6, the development loop: `nx run-many -t lint test build` cold (--skip-nx-cache:
 * every task runs) against fully cached (right after a run, so every task is a cache hit).
 * Runs alternate cold and cached, so drift hits both alike.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { findWorkspaceRoot } from '@sidecar/nginx';

export const DEV_LOOP_COMMAND = ['nx', 'run-many', '-t', 'lint', 'test', 'build'];

export interface DevLoopRuns {
  coldSeconds: number[];
  cachedSeconds: number[];
}

export async function measureDevLoop(options: {
  runs: number;
  log: (line: string) => void;
}): Promise<DevLoopRuns> {
  const runs: DevLoopRuns = { coldSeconds: [], cachedSeconds: [] };
  for (let run = 0; run < options.runs; run++) {
    for (const [kind, extra] of [
      ['cold', ['--skip-nx-cache']],
      ['cached', []],
    ] as const) {
      const seconds = await timeNx([...DEV_LOOP_COMMAND, ...extra]);
      (kind === 'cold' ? runs.coldSeconds : runs.cachedSeconds).push(seconds);
      options.log(`dev loop ${run + 1}/${options.runs} ${kind}: ${seconds.toFixed(1)} s`);
    }
  }
  return runs;
}

async function timeNx(args: string[]): Promise<number> {
  const started = performance.now();
  const child = spawn('npx', args, {
    cwd: findWorkspaceRoot(),
    // No terminal UI; Nx's own summary goes to the bench's log only on failure.
    env: { ...process.env, NX_TUI: 'false', NX_NO_CLOUD: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  child.stderr.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
  const [code] = await once(child, 'exit');
  if (code !== 0) {
    throw new Error(`npx ${args.join(' ')} failed (exit ${code}); fix the build first:\n${output}`);
  }
  return (performance.now() - started) / 1000;
}
