import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  freePort,
  request,
  startNginx,
  waitFor,
  workspacePaths,
  type NginxHandle,
} from '@sidecar/testkit';

const run = promisify(execFile);

/** The built API as a process this suite can pause, kill and restart on the same port. */
export interface ApiProcess {
  pid: number;
  /** Every line the process wrote (stdout and stderr), as written: scanned for secrets too. */
  lines: string[];
  signal(signal: NodeJS.Signals): void;
  running(): boolean;
  /** Resolves with the exit code (null after a signal). */
  exited: Promise<number | null>;
}

export interface Sidecar {
  /** http://127.0.0.1:<nginx port> */
  url: string;
  nginxPort: number;
  apiPort: number;
  token: string;
  api: ApiProcess;
  nginx: NginxHandle;
  /** Every API process this sidecar ran, restarts included. */
  apiLines(): string[];
  /** Starts the API again on its port (after a kill) and waits for /readyz. */
  restartApi(): Promise<void>;
  /** `nginx -s reload` with this run's prefix and config, as an operator would type it. */
  reload(): Promise<void>;
  /** The nginx master's pid and its workers' pids, from the pid file and /proc. */
  nginxPids(): { master: number; workers: number[] };
  stop(): Promise<void>;
}

export interface SidecarOptions {
  token: string;
  /** NGINX template variables (NGINX_PUBLIC_RATE, NGINX_PROXY_READ_TIMEOUT, ...). */
  nginxEnv?: Record<string, string>;
  /** Extra API environment (SHUTDOWN_DELAY_MS, ...). */
  apiEnv?: Record<string, string>;
}

/**
 * The Pod as two processes on 127.0.0.1, like tools/pod's processes Pod, but with the handles
 * fault injection needs: the API's pid and output, and the nginx prefix for reloads.
 */
export async function startSidecar(options: SidecarOptions): Promise<Sidecar> {
  const apiPort = await freePort();
  const nginxPort = await freePort();
  const retired: string[][] = [];
  let api = await startApi(apiPort, options);
  const nginx = await startNginx({ nginxPort, apiPort, env: options.nginxEnv }).catch(
    async (error: Error) => {
      api.signal('SIGKILL');
      await api.exited;
      throw error;
    },
  );
  const sidecar: Sidecar = {
    url: nginx.url,
    nginxPort,
    apiPort,
    token: options.token,
    get api() {
      return api;
    },
    nginx,
    apiLines: () => [...retired.flat(), ...api.lines],
    restartApi: async () => {
      retired.push(api.lines);
      api = await startApi(apiPort, options);
    },
    reload: async () => {
      const binary = process.env.NGINX_BINARY ?? 'nginx';
      await run(binary, ['-p', `${nginx.prefix}/`, '-c', 'nginx.conf', '-s', 'reload']);
    },
    nginxPids: () => {
      const master = Number(readFileSync(join(nginx.prefix, 'nginx.pid'), 'utf8'));
      const children = readFileSync(`/proc/${master}/task/${master}/children`, 'utf8');
      return { master, workers: children.split(' ').filter(Boolean).map(Number) };
    },
    stop: async () => {
      await nginx.stop();
      if (api.running()) {
        api.signal('SIGTERM');
        await api.exited;
      }
    },
  };
  return sidecar;
}

async function startApi(port: number, options: SidecarOptions): Promise<ApiProcess> {
  const main = workspacePaths().apiMain;
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx nx build api\` first`);
  const child: ChildProcess = spawn(process.execPath, [main], {
    env: {
      PATH: process.env.PATH,
      LOG_LEVEL: 'info',
      ...options.apiEnv,
      HOST: '127.0.0.1',
      PORT: String(port),
      API_TOKENS: options.token,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts.filter((line) => line.trim() !== ''));
    });
  }
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const handle: ApiProcess = {
    pid: child.pid ?? 0,
    lines,
    signal: (signal) => child.kill(signal),
    running: () => child.exitCode === null && child.signalCode === null,
    exited,
  };
  await waitFor(`the API on 127.0.0.1:${port}/readyz`, async () => {
    if (child.exitCode !== null) throw new Error(`the API exited: ${lines.join('\n')}`);
    const status = await request(`http://127.0.0.1:${port}/readyz`).then(
      (res) => res.status,
      () => undefined,
    );
    return status === 200 ? true : undefined;
  });
  return handle;
}

/** NGINX variables for load runs: /public/'s per-client rate limit out of the way. */
export const NO_PUBLIC_RATE_LIMIT = {
  NGINX_PUBLIC_RATE: '100000r/s',
  NGINX_PUBLIC_BURST: '100000',
};

/** The sidecar's access-log lines (JSON), parsed. */
export function accessLog(sidecar: Sidecar): AccessLogLine[] {
  return sidecar.nginx.output.stdout.map((line) => JSON.parse(line) as AccessLogLine);
}

export interface AccessLogLine {
  requestId: string;
  method: string;
  uri: string;
  protocol: string;
  status: number;
  upstreamAddress: string;
  upstreamStatus: string;
  requestTime: number;
}
