import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forEachLine } from './lines';
import { renderTemplates, type Environment } from './render-templates';
import { requireTool } from './system-tools';
import { freePort } from './http';
import { readNginxDefaults, workspacePaths } from './workspace';

/**
 * The image's NGINX_ENVSUBST_FILTER (an ENV of docker/nginx/Dockerfile, which configures its
 * entrypoint): the variables the templates may use. docker/nginx/src/dockerfile.spec.ts holds the
 * two together.
 */
export const NGINX_ENVSUBST_FILTER = '^(NGINX_|API_PORT)';

export interface NginxConfigOptions {
  /** Port NGINX listens on (NGINX_PORT). */
  nginxPort: number;
  /** Port of the API it proxies to (API_PORT). */
  apiPort: number;
  /** Template variables over the image's defaults, e.g. NGINX_PUBLIC_RATE or NGINX_PROXY_READ_TIMEOUT. */
  env?: Environment;
  /**
   * Port of NGINX's stub_status on loopback (NGINX_STATUS_PORT); a free one when not given, so
   * that NGINX instances run side by side.
   */
  statusPort?: number;
}

export interface StartNginxOptions extends NginxConfigOptions {
  /**
   * 'capture' keeps the output lines on the handle (tests); 'inherit' passes them through; a
   * function gets each line as it comes (make dev).
   */
  output?: 'capture' | 'inherit' | ((line: string) => void);
  /** How long to wait for GET /healthz to answer. */
  readyTimeoutMs?: number;
  /** The nginx binary; NGINX_BINARY or `nginx` on PATH by default. */
  nginxBinary?: string;
}

export interface NginxHandle {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The writable directory: rendered config, pid, temp files. Removed by stop(). */
  prefix: string;
  /** stdout (the JSON access log) and stderr (the error log), line by line, when captured. */
  output: { stdout: string[]; stderr: string[] };
  /**
   * Renders the templates again with the same environment, tests the result (`nginx -t`) and
   * reloads (SIGHUP). Rejects with nginx's message when the new config is invalid: NGINX then
   * keeps serving with the config it has.
   */
  reload(): Promise<void>;
  /** Graceful stop (SIGQUIT, as the image's STOPSIGNAL), then the prefix is removed. */
  stop(): Promise<void>;
}

/**
 * The environment of a run on this machine: the image's defaults (docker/nginx/defaults.env), the
 * two things that differ from the image (the static site in the repository, loopback), the
 * caller's overrides, then the filter, the ports and the writable directory of this run.
 */
export function nginxEnvironment(options: NginxConfigOptions, prefix: string): Environment {
  return {
    ...readNginxDefaults(),
    NGINX_STATIC_ROOT: workspacePaths().nginxHtml,
    NGINX_LISTEN_ADDRESS: '127.0.0.1',
    ...options.env,
    NGINX_ENVSUBST_FILTER,
    NGINX_PORT: String(options.nginxPort),
    API_PORT: String(options.apiPort),
    ...(options.statusPort === undefined ? {} : { NGINX_STATUS_PORT: String(options.statusPort) }),
    NGINX_ENVSUBST_OUTPUT_DIR: prefix,
  };
}

/** Renders the config into a fresh writable directory; returns it and the nginx arguments. */
export async function renderNginxConfig(
  given: NginxConfigOptions,
): Promise<{ prefix: string; args: string[]; options: NginxConfigOptions }> {
  const options = { ...given, statusPort: given.statusPort ?? (await freePort()) };
  const prefix = await mkdtemp(join(tmpdir(), 'sidecar-nginx-'));
  // Run as root, nginx's workers drop to `nobody`, which must reach the temp directories inside.
  await chmod(prefix, 0o755);
  await renderInto(prefix, options);
  // The image's CMD, with this run's prefix for /tmp.
  return { prefix, args: ['-p', `${prefix}/`, '-c', 'nginx.conf'], options };
}

async function renderInto(prefix: string, options: NginxConfigOptions): Promise<void> {
  await renderTemplates({
    templateDir: workspacePaths().nginxTemplates,
    env: nginxEnvironment(options, prefix),
  });
}

export async function startNginx(options: StartNginxOptions): Promise<NginxHandle> {
  const binary = requireTool(options.nginxBinary ?? process.env.NGINX_BINARY ?? 'nginx', 'nginx');
  const { prefix, args, options: rendered } = await renderNginxConfig(options);
  const mode = options.output ?? 'capture';
  const output = { stdout: [] as string[], stderr: [] as string[] };
  // access_log /dev/stdout cannot open a socket (ENXIO), and Node gives children sockets, not
  // pipes, for stdio. A shell pipeline hands nginx a real pipe, as a container runtime does.
  // Its own process group, so that a last-resort kill reaches nginx, its workers and cat.
  const child = spawn('/bin/sh', ['-c', '"$0" "$@" | cat', binary, ...args, '-g', 'daemon off;'], {
    stdio: [
      'ignore',
      mode === 'inherit' ? 'inherit' : 'pipe',
      mode === 'inherit' ? 'inherit' : 'pipe',
    ],
    detached: true,
  });
  if (mode === 'capture') {
    forEachLine(child.stdout, (line) => output.stdout.push(line));
    forEachLine(child.stderr, (line) => output.stderr.push(line));
  } else if (typeof mode === 'function') {
    forEachLine(child.stdout, mode);
    forEachLine(child.stderr, mode);
  }
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );

  const url = `http://127.0.0.1:${options.nginxPort}`;
  const handle: NginxHandle = {
    url,
    prefix,
    output,
    reload: async () => {
      await renderInto(prefix, rendered);
      await testConfig(binary, args, prefix);
      process.kill(Number(await readFile(join(prefix, 'nginx.pid'), 'utf8')), 'SIGHUP');
    },
    stop: async () => {
      await stopNginx(prefix, child, exited);
      await rm(prefix, { recursive: true, force: true });
    },
  };
  try {
    await waitUntilHealthy(prefix, `${url}/healthz`, options.readyTimeoutMs ?? 10_000, exited);
  } catch (error) {
    await handle.stop();
    const stderr = output.stderr.length > 0 ? `\n${output.stderr.join('\n')}` : '';
    throw new Error(`${(error as Error).message}${stderr}`);
  }
  return handle;
}

/**
 * `nginx -t` of the rendered config; rejects with nginx's message. Its output goes to a file: the
 * config opens /dev/stdout and /dev/stderr, which cannot be opened on the sockets Node gives.
 */
async function testConfig(binary: string, args: string[], prefix: string): Promise<void> {
  const path = join(prefix, 'config-test.log');
  const log = await open(path, 'w');
  try {
    const child = spawn(binary, [...args, '-t', '-q'], { stdio: ['ignore', log.fd, log.fd] });
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error((await readFile(path, 'utf8')).trim());
  } finally {
    await log.close();
  }
}

/**
 * Ready = this nginx wrote its pid file (it does so only once its listening sockets are bound, so
 * another server already on the port cannot pass for it) and GET /healthz answers 200.
 */
async function waitUntilHealthy(
  prefix: string,
  url: string,
  timeoutMs: number,
  exited: Promise<number | null>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let stopped: string | undefined;
  void exited.then(() => {
    stopped = 'nginx stopped before it was ready (its error log follows)';
  });
  while (Date.now() < deadline) {
    if (stopped) throw new Error(stopped);
    if (existsSync(join(prefix, 'nginx.pid')) && (await statusOf(url)) === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nginx did not answer ${url} within ${timeoutMs} ms`);
}

function statusOf(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request(url, { timeout: 1_000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}

/** SIGQUIT to the nginx master (from its pid file), then wait for the pipeline to end. */
async function stopNginx(
  prefix: string,
  relay: ChildProcess,
  exited: Promise<number | null>,
  graceMs = 10_000,
): Promise<void> {
  if (relay.exitCode !== null || relay.signalCode !== null || relay.pid === undefined) return;
  const master = Number(await readFile(join(prefix, 'nginx.pid'), 'utf8').catch(() => ''));
  if (master > 0) {
    try {
      process.kill(master, 'SIGQUIT');
    } catch {
      // Already gone: the pipeline is ending by itself.
    }
  }
  const timer = new Promise<'timeout'>((resolve) =>
    setTimeout(resolve, master > 0 ? graceMs : 0, 'timeout').unref(),
  );
  if ((await Promise.race([exited, timer])) === 'timeout') {
    process.kill(-relay.pid, 'SIGKILL');
    await exited;
  }
}
