import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageValues, pinnedImage } from '@sidecar/testkit';
import { plainEnv, renderChartPod, type ChartContainer, type ChartPod } from './chart-pod';
import { docker, engineHasBridge } from './docker';
import { probeUntilSuccess } from './kubelet-probe';
import { requireFreePorts } from './ports';

export interface DockerPodOptions {
  /** A bearer token the API will accept. */
  token: string;
  /** Extra chart values, e.g. image tags (strings) or ports (numbers). */
  values?: Record<string, string | number>;
  /** Container names are `<namePrefix>-<container>`. */
  namePrefix?: string;
  log?: (line: string) => void;
  /** Aborted (Ctrl-C) while the Pod starts: it is stopped and removed, and the start rejects. */
  signal?: AbortSignal;
}

export interface DockerPod {
  baseUrl: string;
  pod: ChartPod;
  /** From the first `docker run` until every startup and readiness probe had passed. */
  readyAfterMs: number;
  containerName(container: string): string;
  /** Stops the containers as the kubelet does and returns each one's exit code. */
  stop(): Promise<Record<string, number>>;
}

/** The variable that sets each container's port (tools/ports.env; the chart's api.port, nginx.port). */
const PORT_VARIABLES: Record<string, string> = { api: 'API_PORT', nginx: 'NGINX_PORT' };

/** Variables the chart sets to 0.0.0.0 for the Pod IP; on the host's network, loopback only. */
const BIND_ADDRESS_VARIABLES = ['HOST', 'NGINX_LISTEN_ADDRESS'];

/**
 * Runs the chart's Pod on Docker: the containers, environment, users, read-only root
 * filesystems, volumes and probes all come from `helm template`, so this Pod is the one the
 * chart deploys. The containers share one network namespace, as a Pod's do: the host's where
 * the engine has no bridge (this project's machines), else the first container's, with its
 * ports published on 127.0.0.1. Either way its ports must be free on 127.0.0.1 first.
 */
export async function startDockerPod(options: DockerPodOptions): Promise<DockerPod> {
  const { token, namePrefix = 'sidecar-pod', log = () => undefined, signal } = options;
  const pod = renderChartPod({
    'auth.tokens[0]': token,
    // The exporter's image as this machine has it (make setup pulled it, or made a stand-in).
    ...imageValues(pinnedImage('NGINX_EXPORTER_IMAGE'), 'metrics.nginxExporter.image'),
    ...options.values,
  });
  const containerName = (container: string) => `${namePrefix}-${container}`;
  const names = pod.containers.map((c) => containerName(c.name));
  await docker('rm', '--force', ...names).catch(() => undefined);
  await requireFreePorts(
    pod.containers.flatMap((c) =>
      (c.ports ?? []).map((p) => ({
        name: PORT_VARIABLES[c.name] ?? `the ${c.name} container's port`,
        port: p.containerPort,
      })),
    ),
  );

  const secretDir = await mkdtemp(join(tmpdir(), 'sidecar-pod-secret-'));
  await chmod(secretDir, 0o755);
  await writeFile(join(secretDir, 'tokens'), `${token}\n`, { mode: 0o644 });
  const hostNetwork = !(await engineHasBridge());

  const started = Date.now();
  const stop = () => stopDockerPod(pod, containerName, secretDir, log);
  try {
    for (const [index, container] of pod.containers.entries()) {
      signal?.throwIfAborted();
      const network = hostNetwork
        ? ['--network', 'host']
        : index === 0
          ? publishAll(pod.containers)
          : ['--network', `container:${names[0]}`];
      log(`starting ${container.name} (${container.image})`);
      await docker(
        'run',
        '--detach',
        '--name',
        containerName(container.name),
        ...network,
        ...runOptions(container, pod, secretDir, hostNetwork),
        container.image,
        ...(container.args ?? []),
      );
      // A native sidecar must be started before the next container starts, as the kubelet does.
      if (container.restartPolicy === 'Always') {
        await passProbe(container, 'startupProbe', signal);
      }
    }
    for (const container of pod.containers) {
      await passProbe(container, 'startupProbe', signal);
      await passProbe(container, 'readinessProbe', signal);
    }
    signal?.throwIfAborted();
  } catch (error) {
    if (signal?.aborted) {
      log('stopped while starting: removing the containers');
      await stop();
      throw error;
    }
    const logs = await Promise.all(
      names.map((name) => docker('logs', '--tail', '20', name).catch(() => '')),
    );
    await stop().catch(() => undefined);
    throw new Error(`${(error as Error).message}\n${logs.join('\n')}`);
  }
  const readyAfterMs = Date.now() - started;
  const nginx = pod.containers.find((c) => c.name === 'nginx');
  const port = nginx?.ports?.[0]?.containerPort;
  if (port === undefined) throw new Error('the chart has no nginx container with a port');
  log(`ready after ${readyAfterMs} ms`);
  return { baseUrl: `http://127.0.0.1:${port}`, pod, readyAfterMs, containerName, stop };
}

async function passProbe(
  container: ChartContainer,
  kind: 'startupProbe' | 'readinessProbe',
  signal: AbortSignal | undefined,
): Promise<void> {
  const probe = container[kind];
  if (!probe) return;
  const result = await probeUntilSuccess(probe, container.ports ?? [], '127.0.0.1', signal);
  if (!result.ok) throw new Error(`${container.name} ${kind}: ${result.detail}`);
}

function runOptions(
  container: ChartContainer,
  pod: ChartPod,
  secretDir: string,
  hostNetwork: boolean,
): string[] {
  const args: string[] = ['--stop-timeout', String(pod.terminationGracePeriodSeconds)];
  const security = container.securityContext ?? {};
  if (security.runAsUser !== undefined)
    args.push('--user', `${security.runAsUser}:${security.runAsGroup ?? security.runAsUser}`);
  if (security.readOnlyRootFilesystem) args.push('--read-only');
  for (const [name, value] of Object.entries(plainEnv(container))) {
    const bound = hostNetwork && BIND_ADDRESS_VARIABLES.includes(name) ? '127.0.0.1' : value;
    args.push('--env', `${name}=${bound}`);
  }
  for (const mount of container.volumeMounts ?? []) {
    const volume = pod.volumes.find((candidate) => candidate.name === mount.name);
    if (volume?.emptyDir) {
      args.push('--tmpfs', `${mount.mountPath}:rw,mode=1777`);
    } else if (volume?.secret) {
      const source = mount.subPath ? join(secretDir, mount.subPath) : secretDir;
      args.push('--volume', `${source}:${mount.mountPath}:ro`);
    } else {
      throw new Error(
        `volume ${mount.name} of ${container.name} is neither an emptyDir nor a Secret`,
      );
    }
  }
  return args;
}

/** On a bridge, the shared namespace's ports are published on loopback only. */
function publishAll(containers: ChartContainer[]): string[] {
  return containers.flatMap((c) =>
    (c.ports ?? []).flatMap((p) => [
      '--publish',
      `127.0.0.1:${p.containerPort}:${p.containerPort}`,
    ]),
  );
}

/**
 * The kubelet's order: app containers get their stop signal together (the image's STOPSIGNAL:
 * SIGTERM for node, SIGQUIT for nginx) and the grace period; native sidecars stop after them.
 */
async function stopDockerPod(
  pod: ChartPod,
  containerName: (container: string) => string,
  secretDir: string,
  log: (line: string) => void,
): Promise<Record<string, number>> {
  const grace = String(pod.terminationGracePeriodSeconds);
  const apps = pod.containers.filter((c) => c.restartPolicy !== 'Always');
  const sidecars = pod.containers.filter((c) => c.restartPolicy === 'Always');
  const exitCodes: Record<string, number> = {};
  for (const group of [apps, sidecars]) {
    await Promise.all(
      group.map(async (container) => {
        const name = containerName(container.name);
        await docker('stop', '--time', grace, name).catch(() => undefined);
        const code = await docker('inspect', '--format', '{{.State.ExitCode}}', name).catch(
          () => '-1',
        );
        exitCodes[container.name] = Number(code);
        log(`${container.name} exited with ${code}`);
      }),
    );
  }
  await docker('rm', '--force', ...pod.containers.map((c) => containerName(c.name))).catch(
    () => undefined,
  );
  await rm(secretDir, { recursive: true, force: true });
  return exitCodes;
}
