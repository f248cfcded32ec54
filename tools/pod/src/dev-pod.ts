import { watch } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { startNginx, workspacePaths, type Environment, type NginxHandle } from '@sidecar/testkit';
import { watchApi } from './api-watch';
import { requireFreePorts } from './ports';

export interface DevPodOptions {
  token: string;
  apiPort: number;
  nginxPort: number;
  /** Template variables over the image's defaults (NGINX_PUBLIC_RATE, ...), as `make up`. */
  nginxEnv?: Environment;
  /** Each output line of the API or NGINX, by its source ('api', 'nginx'). */
  output: (source: 'api' | 'nginx', line: string) => void;
  /** What the dev loop does: rebuilds, restarts, reloads. */
  log: (line: string) => void;
  /** Aborted (Ctrl-C) while starting: what has started is stopped, and the start rejects. */
  signal?: AbortSignal;
}

export interface DevPod {
  baseUrl: string;
  /** Stops watching, then NGINX, then the API. */
  stop(): Promise<void>;
}

/** After a save, the other writes of the same save (editors write in steps). */
const SETTLE_MS = 50;

/**
 * `make dev`: the Pod of `make up` as local processes, watching. The API rebuilds and restarts
 * on each save (api-watch.ts); NGINX runs with the image's config, rendered again, tested and
 * reloaded when a template or defaults.env changes; it serves docker/nginx/html from the
 * repository, so a saved page is served as saved.
 */
export async function startDevPod(options: DevPodOptions): Promise<DevPod> {
  const { token, apiPort, nginxPort, log, signal } = options;
  await requireFreePorts([
    { name: 'API_PORT', port: apiPort },
    { name: 'NGINX_PORT', port: nginxPort },
  ]);
  // What has started, stopped newest first: by stop(), or when the start fails or is aborted.
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const stopOne of stops.splice(0).reverse()) await stopOne();
  };
  try {
    const api = await watchApi({
      apiPort,
      env: { API_TOKENS: token },
      output: (line) => options.output('api', line),
      log,
    });
    stops.push(api.stop);
    signal?.throwIfAborted();
    const nginx = await startNginx({
      nginxPort,
      apiPort,
      env: options.nginxEnv,
      output: (line) => options.output('nginx', line),
    });
    stops.push(nginx.stop);
    signal?.throwIfAborted();
    stops.push(watchNginxConfig(nginx, log));
    return { baseUrl: nginx.url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Reloads NGINX when its templates or defaults change; returns the function that stops it. */
function watchNginxConfig(nginx: NginxHandle, log: (line: string) => void): () => Promise<void> {
  const { nginxTemplates, nginxDefaults } = workspacePaths();
  const dir = join(nginxTemplates, '..');
  const isConfig = (file: string) =>
    join(dir, file) === nginxDefaults || join(dir, file).startsWith(nginxTemplates + sep);
  let timer: NodeJS.Timeout | undefined;
  const reload = () =>
    nginx.reload().then(
      () => log('nginx: config reloaded'),
      (error: Error) =>
        log(`nginx: the new config is invalid, still serving the last one:\n${error.message}`),
    );
  const watcher = watch(dir, { recursive: true }, (_event, file) => {
    if (!file || !isConfig(file)) return;
    clearTimeout(timer);
    timer = setTimeout(() => void reload(), SETTLE_MS);
  });
  log(
    `nginx: watching ${relative(workspacePaths().root, nginxTemplates)} and ${relative(workspacePaths().root, nginxDefaults)}`,
  );
  return async () => {
    clearTimeout(timer);
    watcher.close();
  };
}
