import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { startNginx, workspacePaths, type Environment } from '@sidecar/testkit';
import { probeUntilSuccess } from './kubelet-probe';
import { requireFreePorts } from './ports';

export interface ProcessesPodOptions {
  token: string;
  apiPort: number;
  nginxPort: number;
  /** 'inherit' shows both processes' logs (make up); 'ignore' keeps a test run quiet. */
  output?: 'inherit' | 'ignore';
  /** Extra environment for the API process. */
  apiEnv?: Record<string, string>;
  /** Template variables over the image's defaults (NGINX_PUBLIC_RATE, ...). */
  nginxEnv?: Environment;
  /** Aborted (Ctrl-C) while starting: what has started is stopped, and the start rejects. */
  signal?: AbortSignal;
}

export interface ProcessesPod {
  baseUrl: string;
  /** Stops NGINX (SIGQUIT) and the API (SIGTERM) and returns their exit codes. */
  stop(): Promise<{ api: number | null; nginx: 'stopped' }>;
}

/**
 * The Pod as two local processes sharing 127.0.0.1, as the Pod's containers share localhost:
 * the built API (dist/apps/api/main.js) and the real nginx binary with the image's config.
 */
export async function startProcessesPod(options: ProcessesPodOptions): Promise<ProcessesPod> {
  const { signal } = options;
  const main = workspacePaths().apiMain;
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx nx build api\` first`);
  await requireFreePorts([
    { name: 'API_PORT', port: options.apiPort },
    { name: 'NGINX_PORT', port: options.nginxPort },
  ]);
  const api = spawn(process.execPath, ['--enable-source-maps', main], {
    env: {
      ...process.env,
      ...options.apiEnv,
      HOST: '127.0.0.1',
      PORT: String(options.apiPort),
      API_TOKENS: options.token,
    },
    stdio: ['ignore', options.output ?? 'ignore', options.output ?? 'ignore'],
    // Stopped by stop() only: a Ctrl-C in the terminal does not reach it as well.
    detached: true,
  });
  const apiExited = once(api, 'exit').then(([code]) => code as number | null);
  const stopApi = async () => {
    api.kill('SIGTERM');
    await apiExited;
  };
  const ready = await probeUntilSuccess(
    {
      httpGet: { path: '/readyz', port: options.apiPort },
      periodSeconds: 0.05,
      failureThreshold: 200,
    },
    [],
    '127.0.0.1',
    signal,
  ).catch(async (error: Error) => {
    await stopApi();
    throw error;
  });
  if (!ready.ok) {
    api.kill('SIGKILL');
    throw new Error(`the API did not become ready: ${ready.detail}`);
  }
  const nginx = await startNginx({
    nginxPort: options.nginxPort,
    apiPort: options.apiPort,
    env: options.nginxEnv,
    output: options.output === 'inherit' ? 'inherit' : 'capture',
  }).catch(async (error: Error) => {
    await stopApi();
    throw error;
  });
  if (signal?.aborted) {
    await nginx.stop();
    await stopApi();
    signal.throwIfAborted();
  }
  return {
    baseUrl: nginx.url,
    stop: async () => {
      await nginx.stop();
      api.kill('SIGTERM');
      return { api: await apiExited, nginx: 'stopped' };
    },
  };
}
