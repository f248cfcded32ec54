/**
 * Issue 16, item 6, the API's share of a Pod's start: from spawning the built API to its first
 * 200 on /readyz, split by the API's own 'listening' line (startupMs: Node's start with the
 * bundle's load, the config, the listen) and set against Node starting an empty program, so the
 * bundle's own load stands out.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, workspacePaths } from '@sidecar/testkit';
import { probeOnce } from '@sidecar/pod';
import { pinned } from './processes';

export interface StartupRun {
  /** Spawn -> first 200 from /readyz, polled every 5 ms. */
  readyMs: number;
  /** The API's own split (apps/api/src/main.ts). */
  startupMs: { load: number; config: number; listen: number; total: number };
  /** Spawn -> exit of `node -e ''` (Node's own start and stop, no program). */
  emptyNodeMs: number;
}

export async function measureStartup(options: {
  runs: number;
  cpus?: string;
  log: (line: string) => void;
}): Promise<StartupRun[]> {
  const runs: StartupRun[] = [];
  for (let run = 0; run < options.runs; run++) {
    const emptyNodeMs = await timeEmptyNode(options.cpus);
    const { readyMs, startupMs } = await startOnce(options.cpus);
    runs.push({ readyMs, startupMs, emptyNodeMs });
    options.log(
      `API start ${run + 1}/${options.runs}: ready after ${readyMs.toFixed(1)} ms (${JSON.stringify(startupMs)}); an empty Node program: ${emptyNodeMs.toFixed(1)} ms`,
    );
  }
  return runs;
}

async function timeEmptyNode(cpus?: string): Promise<number> {
  const [command, args] = pinned(cpus, process.execPath, ['-e', '']);
  const started = performance.now();
  const child = spawn(command, args, { stdio: 'ignore' });
  await once(child, 'exit');
  return performance.now() - started;
}

async function startOnce(cpus?: string): Promise<Pick<StartupRun, 'readyMs' | 'startupMs'>> {
  const port = await freePort();
  const [command, args] = pinned(cpus, process.execPath, [workspacePaths().apiMain]);
  const started = performance.now();
  const child = spawn(command, args, {
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  try {
    const probe = { httpGet: { path: '/readyz', port }, timeoutSeconds: 1 };
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the API exited while starting:\n${output}`);
      if ((await probeOnce(probe, [], '127.0.0.1')).ok) break;
      if (performance.now() - started > 10_000) throw new Error('the API was not ready in 10 s');
      await sleep(5);
    }
    const readyMs = performance.now() - started;
    const listening = output
      .split('\n')
      .filter((line) => line.includes('"msg":"listening"'))
      .map((line) => JSON.parse(line) as { startupMs?: StartupRun['startupMs'] })[0];
    if (!listening?.startupMs) throw new Error(`no startupMs on the listening line:\n${output}`);
    return { readyMs, startupMs: listening.startupMs };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
