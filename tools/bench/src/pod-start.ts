/**
 * Issue item 3: from the engine creating the Pod's first container until every container's
 * readiness endpoint answers, on the chart's Pod run by Docker (@sidecar/pod startDockerPod).
 * Two figures per start: a fine one (each container's readinessProbe endpoint, as the chart
 * defines it, polled every 10 ms; measured from the first container's `Created` time), and
 * startDockerPod's own readyAfterMs, which performs the chart's startup and readiness probes at
 * their periods as the kubelet would, so it moves in probe-period steps.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  docker,
  probeOnce,
  renderChartPod,
  startDockerPod,
  type ChartContainer,
  type DockerPod,
} from '@sidecar/pod';

export interface PodStartRun {
  /** First container created -> every readiness endpoint answered (10 ms polling). */
  readyMs: number;
  /** First container created -> this container's readiness endpoint answered. */
  containerReadyMs: Record<string, number>;
  /** startDockerPod: first `docker run` -> all startup and readiness probes passed. */
  probedReadyMs: number;
  /** The containers' exit codes after the kubelet-style stop. */
  exitCodes: Record<string, number>;
}

const POLL_MS = 10;
const PORT_WAIT_MS = 180_000;

export async function measurePodStart(options: {
  runs: number;
  imageTag: string;
  log: (line: string) => void;
}): Promise<PodStartRun[]> {
  const token = randomBytes(16).toString('hex');
  const values = { 'api.image.tag': options.imageTag, 'nginx.image.tag': options.imageTag };
  // The Pod startDockerPod will run (it sets the token the same way), for its readiness probes.
  const containers = renderChartPod({ 'auth.tokens[0]': token, ...values }).containers.filter(
    (c) => c.readinessProbe,
  );
  const runs: PodStartRun[] = [];
  for (let run = 0; run < options.runs; run++) {
    await waitForFreePorts(containers, options.log);
    const watch = { stopped: false };
    const readyAt = pollUntilReady(containers, watch);
    // Awaited below once the Pod runs; a Pod that fails to start rejects it unobserved.
    readyAt.catch(() => undefined);
    let pod: DockerPod | undefined;
    try {
      pod = await startDockerPod({
        token,
        namePrefix: 'sidecar-bench',
        values,
      });
      const ready = await readyAt;
      const created = await Promise.all(
        pod.pod.containers.map((c) =>
          docker('inspect', '--format', '{{.Created}}', pod!.containerName(c.name)),
        ),
      );
      const firstCreated = Math.min(...created.map(parseDockerTime));
      const containerReadyMs = Object.fromEntries(
        [...ready].map(([name, at]) => [name, at - firstCreated]),
      );
      const readyMs = Math.max(...Object.values(containerReadyMs));
      const { readyAfterMs } = pod;
      const exitCodes = await pod.stop();
      pod = undefined;
      runs.push({ readyMs, containerReadyMs, probedReadyMs: readyAfterMs, exitCodes });
      options.log(
        `pod start ${run + 1}/${options.runs}: ready ${readyMs} ms after the first container was created (${JSON.stringify(containerReadyMs)}; probes at their periods: ${readyAfterMs} ms); exit codes ${JSON.stringify(exitCodes)}`,
      );
    } finally {
      watch.stopped = true;
      if (pod) await pod.stop();
    }
  }
  return runs;
}

/** The Pod uses the ports of tools/ports.env on the host: wait (bounded) while others hold them. */
async function waitForFreePorts(
  containers: ChartContainer[],
  log: (line: string) => void,
): Promise<void> {
  const deadline = Date.now() + PORT_WAIT_MS;
  if (await anyReady(containers))
    log(`the Pod's ports are in use; waiting up to ${PORT_WAIT_MS / 1000} s`);
  while (await anyReady(containers)) {
    if (Date.now() > deadline) {
      throw new Error(
        "something else answers on the Pod's ports (tools/ports.env): stop it (`docker ps`, `make up`) and rerun",
      );
    }
    await sleep(1_000);
  }
}

async function anyReady(containers: ChartContainer[]): Promise<boolean> {
  const results = await Promise.all(containers.map((c) => probeOf(c)));
  return results.some((ok) => ok);
}

function probeOf(container: ChartContainer): Promise<boolean> {
  const probe = { ...container.readinessProbe!, timeoutSeconds: 0.5 };
  return probeOnce(probe, container.ports ?? [], '127.0.0.1').then((result) => result.ok);
}

/** Resolves with the time at which each container first answered its readiness endpoint. */
async function pollUntilReady(
  containers: ChartContainer[],
  watch: { stopped: boolean },
): Promise<Map<string, number>> {
  const pending = new Set(containers);
  const readyAt = new Map<string, number>();
  while (pending.size > 0) {
    if (watch.stopped) throw new Error('the Pod stopped before it was ready');
    await Promise.all(
      [...pending].map(async (c) => {
        if (!(await probeOf(c))) return;
        readyAt.set(c.name, Date.now());
        pending.delete(c);
      }),
    );
    if (pending.size > 0) await sleep(POLL_MS);
  }
  return readyAt;
}

/** Docker's RFC 3339 times carry nanoseconds; Date.parse wants at most milliseconds. */
export function parseDockerTime(value: string): number {
  const normalized = value.trim().replace(/(\.\d{3})\d*/, '$1');
  const ms = Date.parse(normalized);
  if (Number.isNaN(ms)) throw new Error(`not a Docker timestamp: ${value}`);
  return ms;
}
