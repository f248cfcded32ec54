import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { request, waitFor } from './http';
import { forEachLine } from './lines';
import { workspacePaths } from './workspace';

/** The bearer token the API accepts unless a suite passes its own. */
export const API_TOKEN = 'nginx-test-token';

/** The built API as a process a suite can watch, pause, kill and restart on the same port. */
export interface ApiProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  pid: number;
  /** Every line the process wrote (stdout and stderr), as written: suites scan them for secrets. */
  lines: string[];
  /** The API's JSON log lines (pino, on stdout), parsed. */
  logs: Record<string, unknown>[];
  signal(signal: NodeJS.Signals): void;
  running(): boolean;
  /** Resolves with the exit code (null after a signal). */
  exited: Promise<number | null>;
  /** SIGTERM unless it has exited, then waits for the exit. */
  stop(): Promise<void>;
}

export interface StartApiOptions {
  /** The bearer token it accepts (API_TOKENS); API_TOKEN by default. */
  token?: string;
  /** Extra environment (SHUTDOWN_DELAY_MS, LOG_LEVEL, ...). */
  env?: Record<string, string>;
}

/**
 * The built API (`nx build api`, a dependency of the targets that start it) as its own process on
 * 127.0.0.1:port, as in the Pod, on the Node that runs the suite; resolves once GET /readyz
 * answers 200.
 */
export async function startApi(port: number, options: StartApiOptions = {}): Promise<ApiProcess> {
  const main = workspacePaths().apiMain;
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx nx build api\` first`);
  const child = spawn(process.execPath, [main], {
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: 'info',
      ...options.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      API_TOKENS: options.token ?? API_TOKEN,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const logs: Record<string, unknown>[] = [];
  for (const [stream, parse] of [
    [child.stdout, true],
    [child.stderr, false],
  ] as const) {
    forEachLine(stream, (line) => {
      if (line.trim() === '') return;
      lines.push(line);
      if (parse && line.startsWith('{')) logs.push(JSON.parse(line) as Record<string, unknown>);
    });
  }
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const running = () => child.exitCode === null && child.signalCode === null;
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`the API on ${url}/readyz`, async () => {
    if (child.exitCode !== null)
      throw new Error(`the API exited (${child.exitCode}): ${lines.join('\n')}`);
    const status = await request(`${url}/readyz`).then(
      (res) => res.status,
      () => undefined,
    );
    return status === 200 ? true : undefined;
  });
  return {
    url,
    pid: child.pid ?? 0,
    lines,
    logs,
    signal: (signal) => child.kill(signal),
    running,
    exited,
    stop: async () => {
      if (running()) child.kill('SIGTERM');
      await exited;
    },
  };
}
