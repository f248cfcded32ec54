import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderNginxConfig, workspacePaths } from '@sidecar/testkit';
import { probeUntilSuccess } from '@sidecar/pod';

/** A server process of the bench: its URL, its pid (for /proc) and a graceful stop. */
export interface BenchServer {
  url: string;
  pid: number;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/** `taskset -c <cpus> <command>` when pinned: taskset execs the command, so the pid is its. */
function pinned(cpus: string | undefined, command: string, args: string[]): [string, string[]] {
  return cpus === undefined ? [command, args] : ['taskset', ['-c', cpus, command, ...args]];
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return once(child, 'exit').then(([code]) => code as number | null);
}

export interface ApiOptions {
  port: number;
  cpus?: string;
  env?: Record<string, string>;
}

/** The built API (dist/apps/api/main.js), as the image runs it; its logs go to /dev/null. */
export async function startApi(options: ApiOptions): Promise<BenchServer> {
  const main = workspacePaths().apiMain;
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx nx build api\` first`);
  const [command, args] = pinned(options.cpus, process.execPath, [main]);
  const child = spawn(command, args, {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      ...options.env,
      HOST: '127.0.0.1',
      PORT: String(options.port),
    },
    stdio: 'ignore',
  });
  const exited = exitOf(child);
  const ready = await probeUntilSuccess(
    {
      httpGet: { path: '/readyz', port: options.port },
      periodSeconds: 0.02,
      failureThreshold: 500,
    },
    [],
    '127.0.0.1',
  );
  if (!ready.ok) {
    child.kill('SIGKILL');
    throw new Error(`the API did not become ready: ${ready.detail}`);
  }
  return {
    url: `http://127.0.0.1:${options.port}`,
    pid: child.pid as number,
    exited,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface NginxOptions {
  nginxPort: number;
  apiPort: number;
  /** false: the bench-only variant without upstream keepalive (see withoutUpstreamKeepalive). */
  upstreamKeepalive: boolean;
  /** Template variables over the image's defaults. */
  env: Record<string, string>;
  cpus?: string;
}

/**
 * The real nginx binary with the image's rendered config (@sidecar/testkit renderNginxConfig).
 * Its access log goes to /dev/null: written as in the container, collected by no one.
 */
export async function startSidecarNginx(options: NginxOptions): Promise<BenchServer> {
  const { prefix, args } = await renderNginxConfig(options);
  if (!options.upstreamKeepalive) {
    const site = join(prefix, 'conf.d', 'sidecar.conf');
    await writeFile(site, withoutUpstreamKeepalive(await readFile(site, 'utf8')));
  }
  const binary = process.env.NGINX_BINARY ?? 'nginx';
  const [command, argv] = pinned(options.cpus, binary, [...args, '-g', 'daemon off;']);
  const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = exitOf(child);
  const healthy = await probeUntilSuccess(
    {
      httpGet: { path: '/healthz', port: options.nginxPort },
      periodSeconds: 0.02,
      failureThreshold: 500,
    },
    [],
    '127.0.0.1',
  );
  const stop = async () => {
    // SIGQUIT: nginx's graceful stop, the image's STOPSIGNAL.
    if (child.exitCode === null) child.kill('SIGQUIT');
    const code = await exited;
    await rm(prefix, { recursive: true, force: true });
    return code;
  };
  if (!healthy.ok) {
    await stop();
    throw new Error(`nginx did not become healthy: ${healthy.detail}`);
  }
  return { url: `http://127.0.0.1:${options.nginxPort}`, pid: child.pid as number, exited, stop };
}

/**
 * BENCH ONLY: the rendered sidecar.conf with the `keepalive` and `keepalive_timeout` directives
 * of its `upstream` block removed, so NGINX opens a new connection to the API for every request
 * (https://nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive). The templates have no
 * variable for this; the shipped config always keeps connections alive.
 */
export function withoutUpstreamKeepalive(config: string): string {
  const upstream = /upstream\s+\w+\s*\{[^}]*\}/.exec(config);
  if (!upstream) throw new Error('the rendered sidecar.conf has no upstream block');
  const block = upstream[0];
  const stripped = block.replace(/^\s*keepalive(_timeout)?\s+[^;]*;[^\n]*\n/gm, '');
  if (/\bkeepalive\s/.test(stripped) || !/\bkeepalive\s/.test(block)) {
    throw new Error('the upstream block changed shape: update withoutUpstreamKeepalive');
  }
  return config.replace(block, stripped);
}
