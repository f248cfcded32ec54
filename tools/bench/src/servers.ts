import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { chmod, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderNginxConfig, workspacePaths } from '@sidecar/testkit';
import { docker, probeUntilSuccess } from '@sidecar/pod';
import type { NginxVariant, RenderedConfig } from './nginx-variants';
import { pinned, withChildren } from './processes';

const run = promisify(execFile);

/** A server process of the bench: its URL, its pid (for /proc) and a graceful stop. */
export interface BenchServer {
  url: string;
  /** The process whose CPU and memory (with its children's) the bench reads in /proc. */
  pid: number;
  /** Moves the server (every thread of it and of its children) onto these CPUs. */
  pinTo(cpus: string): Promise<void>;
  stop(): Promise<void>;
}

/** `taskset -a -p -c`: every thread of the process and of its children (nginx's workers). */
async function pinProcessTree(pid: number, cpus: string): Promise<void> {
  for (const p of await withChildren(pid)) {
    await run('taskset', ['-a', '-p', '-c', cpus, String(p)]);
  }
}

/** Polls GET <path> every 20 ms for up to 10 s, as a readiness probe would. */
async function waitUntilAnswering(port: number, path: string): Promise<void> {
  const ready = await probeUntilSuccess(
    { httpGet: { path, port }, periodSeconds: 0.02, failureThreshold: 500 },
    [],
    '127.0.0.1',
  );
  if (!ready.ok) throw new Error(`nothing answered GET 127.0.0.1:${port}${path}: ${ready.detail}`);
}

/** A Node server: its exit code too (the drain part checks it). */
export interface NodeServer extends BenchServer {
  exited: Promise<number | null>;
}

export interface NodeServerOptions {
  port: number;
  cpus?: string;
  env?: Record<string, string>;
  /** Node's own options before the script, e.g. --cpu-prof. */
  nodeArgs?: string[];
}

/**
 * A Node program on the Node this process runs on (make bench checks it is NODE_VERSION, the
 * Node the image ships). Its output goes to /dev/null: the API still formats and writes every
 * log line, and no reader's CPU is counted.
 */
async function startNodeServer(
  script: string,
  readyPath: string,
  options: NodeServerOptions,
): Promise<NodeServer> {
  if (!existsSync(script)) throw new Error(`${script} is missing`);
  const [command, args] = pinned(options.cpus, process.execPath, [
    ...(options.nodeArgs ?? []),
    script,
  ]);
  const child: ChildProcess = spawn(command, args, {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      ...options.env,
      HOST: '127.0.0.1',
      PORT: String(options.port),
    },
    stdio: 'ignore',
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitUntilAnswering(options.port, readyPath);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  const pid = child.pid as number;
  return {
    url: `http://127.0.0.1:${options.port}`,
    pid,
    exited,
    stop,
    pinTo: (cpus) => pinProcessTree(pid, cpus),
  };
}

/**
 * The built API (dist/apps/api/main.js, or another build of it: `main`), as the image runs it,
 * logging at info.
 */
export function startApi(options: NodeServerOptions & { main?: string }): Promise<NodeServer> {
  const main = options.main ?? workspacePaths().apiMain;
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npx nx build api\` first`);
  return startNodeServer(main, '/readyz', options);
}

/** The reference rows a reader calibrates against: Node's http module alone, minimal Express. */
export type Reference = 'bare-http' | 'minimal-express';

export function startReference(
  reference: Reference,
  options: NodeServerOptions,
): Promise<NodeServer> {
  const script = join(__dirname, 'reference-servers', `${reference}.cjs`);
  return startNodeServer(script, '/public/hello', options);
}

export interface NginxOptions {
  nginxPort: number;
  /** The upstream: the API, or a reference server in its place. */
  apiPort: number;
  /** A bench-only variant of the rendered config (nginx-variants.ts); unset: as shipped. */
  variant?: NginxVariant;
  /** Template variables over the image's defaults. */
  env: Record<string, string>;
  cpus?: string;
  /** Run the sidecar image's nginx (Docker, host network); unset: the nginx on PATH. */
  image?: string;
}

/**
 * NGINX with the image's rendered config (@sidecar/testkit renderNginxConfig): the image's own
 * binary in a container on the host network where an image is given, else the nginx on PATH.
 * The access log goes to /dev/null: written as in the container, collected by no one.
 */
export async function startSidecarNginx(options: NginxOptions): Promise<BenchServer> {
  const env = options.image
    ? { ...options.env, NGINX_STATIC_ROOT: '/usr/share/nginx/html' }
    : options.env;
  const { prefix, args } = await renderNginxConfig({ ...options, env });
  if (options.variant) await applyVariant(prefix, options.variant);
  const started = options.image
    ? await runInContainer(options.image, prefix, options)
    : runOnHost(prefix, args, options.cpus);
  const stop = async () => {
    await started.stop();
    await rm(prefix, { recursive: true, force: true });
  };
  try {
    await waitUntilAnswering(options.nginxPort, '/healthz');
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${options.nginxPort}`,
    pid: started.pid,
    stop,
    pinTo: started.pinTo,
  };
}

function runOnHost(prefix: string, args: string[], cpus?: string) {
  const binary = process.env.NGINX_BINARY ?? 'nginx';
  const [command, argv] = pinned(cpus, binary, [...args, '-g', 'daemon off;']);
  const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = once(child, 'exit');
  const pid = child.pid as number;
  return {
    pid,
    pinTo: (cpus: string) => pinProcessTree(pid, cpus),
    stop: async () => {
      // SIGQUIT: nginx's graceful stop, the image's STOPSIGNAL.
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGQUIT');
      await exited;
    },
  };
}

/**
 * The image's nginx as its CMD runs it, with the bench's rendered prefix mounted at /tmp (the
 * image's one writable directory), so a variant needs no image of its own. No log driver: the
 * engine's own CPU to store the access log is not the sidecar's.
 */
async function runInContainer(image: string, prefix: string, options: NginxOptions) {
  // The image's user (uid 10101) writes its pid and temp files there.
  await chmod(prefix, 0o777);
  const name = `sidecar-bench-nginx-${options.nginxPort}`;
  await docker(
    'run',
    '--detach',
    '--rm',
    '--name',
    name,
    '--network',
    'host',
    '--log-driver',
    'none',
    ...(options.cpus === undefined ? [] : ['--cpuset-cpus', options.cpus]),
    '--volume',
    `${prefix}:/tmp`,
    '--entrypoint',
    'nginx',
    image,
    '-p',
    '/tmp/',
    '-c',
    'nginx.conf',
    '-g',
    'daemon off;',
  );
  const pid = Number(await docker('inspect', '--format', '{{.State.Pid}}', name));
  return {
    pid,
    // The container's cgroup holds it to its cpuset: widen that, then its processes.
    pinTo: async (cpus: string) => {
      await docker('update', '--cpuset-cpus', cpus, name);
      await pinProcessTree(pid, cpus);
    },
    // docker stop sends the image's STOPSIGNAL, SIGQUIT; --rm removes the container. A container
    // that already exited (nginx refused its config) is gone: nothing to stop, and the reason is
    // what `nginx -t` says about the same config.
    stop: () =>
      docker('stop', name).then(
        () => undefined,
        async () => {
          const test = await docker(
            'run',
            '--rm',
            '--network',
            'host',
            '--volume',
            `${prefix}:/tmp`,
            '--entrypoint',
            'sh',
            image,
            '-c',
            'nginx -t -p /tmp/ -c nginx.conf 2>&1; true',
          ).catch((error: Error) => error.message);
          throw new Error(`the NGINX container ${name} exited: ${test}`);
        },
      ),
  };
}

/** The rendered config files under a prefix, by path relative to it ('conf.d/sidecar.conf'). */
export async function readRenderedConfig(prefix: string): Promise<RenderedConfig> {
  const files = (await readdir(prefix, { recursive: true })).filter((f) => f.endsWith('.conf'));
  return Object.fromEntries(
    await Promise.all(files.map(async (f) => [f, await readFile(join(prefix, f), 'utf8')])),
  );
}

async function applyVariant(prefix: string, variant: NginxVariant): Promise<void> {
  const before = await readRenderedConfig(prefix);
  const after = variant.edit(before);
  await Promise.all(
    Object.entries(after)
      .filter(([file, text]) => before[file] !== text)
      .map(([file, text]) => writeFile(join(prefix, file), text)),
  );
}
