import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  freePort,
  startApi,
  startNginx,
  type ApiProcess,
  type NginxHandle,
} from '@sidecar/testkit';

const run = promisify(execFile);

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
  let api = await startApi(apiPort, { token: options.token, env: options.apiEnv });
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
      api = await startApi(apiPort, { token: options.token, env: options.apiEnv });
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
      await api.stop();
    },
  };
  return sidecar;
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
