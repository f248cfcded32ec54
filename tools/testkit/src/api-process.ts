import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request, waitFor } from './http';
import { workspacePaths } from './workspace';

export const API_TOKEN = 'nginx-test-token';

export interface ApiProcess {
  url: string;
  /** The API's JSON log lines (pino), parsed. */
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

/**
 * The built API (`nx build api`, a dependency of the test targets that start it) as its own
 * process on 127.0.0.1:port, as in the Pod; resolves once GET /readyz answers 200.
 */
export async function startApi(port: number): Promise<ApiProcess> {
  const main = workspacePaths().apiMain;
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx nx build api\` first`);
  const child = spawn(process.execPath, [main], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      API_TOKENS: API_TOKEN,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const stderr: string[] = [];
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines)
      if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`the API on ${url}/readyz`, async () => {
    if (child.exitCode !== null)
      throw new Error(`the API exited (${child.exitCode}): ${stderr.join('')}`);
    const status = await request(`${url}/readyz`).then(
      (res) => res.status,
      () => undefined,
    );
    return status === 200 ? true : undefined;
  });
  return {
    url,
    logs,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
