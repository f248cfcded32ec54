import { describeLoad, startLoad, type Result } from '@sidecar/testkit';
import type { KindCluster } from './cluster';
import { releasePods } from './release-pods';
import { capture, say, waitFor } from './shell';

/**
 * Faults under load (issue 20, item 5): while four connections load /api/hello through the
 * Service, one container of one Pod is killed with SIGKILL on its node (no drain, no preStop: a
 * crash). The kubelet restarts it. Measured: the failed requests, when the last one failed, how
 * long until the Pod is Ready again, and the 2xx answers the other Pod gave meanwhile.
 *
 * The bound, per fault: every failure comes within FAILURE_WINDOW_MS of the kill. A killed
 * container's in-flight requests fail at once; after that, requests reach the Pod until its
 * readiness probe fails (periodSeconds 2 x failureThreshold 1 in the chart, plus the probe's 1 s
 * timeout) and the endpoint update reaches kube-proxy, or until the restarted container answers.
 */
const FAILURE_WINDOW_MS = 2_000 + 1_000 + 2_000;
const LOAD = { workers: 4, durationSeconds: 180, timeoutSeconds: 5 };
const SETTLE_MS = 2_000;

interface ContainerStatus {
  name: string;
  containerID?: string;
  restartCount: number;
}
interface FaultPod {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName: string };
  status: {
    conditions?: { type: string; status: string }[];
    containerStatuses?: ContainerStatus[];
    initContainerStatuses?: ContainerStatus[];
  };
}

export interface FaultFigures {
  container: string;
  requests: number;
  failed: number;
  /** From the kill to the last failed request's send; 0 when none failed. */
  lastFailureMs: number;
  /** From the kill to the Pod's Ready condition, with the container restarted. */
  readyAgainMs: number;
  /** 2xx answers between the kill and Ready again: the other Pod kept serving. */
  okMeanwhile: number;
}

function statusOf(pod: FaultPod, container: string): ContainerStatus | undefined {
  return [
    ...(pod.status.containerStatuses ?? []),
    ...(pod.status.initContainerStatuses ?? []),
  ].find((status) => status.name === container);
}

function ready(pod: FaultPod): boolean {
  return pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/** SIGKILL to the container's main process, from its node (kind's node is a Docker container). */
function killOnNode(pod: FaultPod, status: ContainerStatus): void {
  const id = status.containerID?.replace(/^containerd:\/\//, '');
  if (!id) throw new Error(`${pod.metadata.name}/${status.name} has no container id`);
  capture(
    'docker',
    [
      'exec',
      pod.spec.nodeName,
      'sh',
      '-c',
      `kill -KILL "$(crictl inspect --output go-template --template '{{.info.pid}}' ${id})"`,
    ],
    { quiet: true },
  );
}

export async function killUnderLoad(
  cluster: KindCluster,
  namespace: string,
  token: string,
  container: 'api' | 'nginx',
): Promise<FaultFigures> {
  const pods = () =>
    releasePods<FaultPod>(cluster, namespace).filter((pod) => !pod.metadata.deletionTimestamp);
  const [victim, ...others] = pods();
  if (!victim || others.length === 0) throw new Error('needs two Pods of the release');
  const status = statusOf(victim, container);
  if (!status) throw new Error(`${victim.metadata.name} has no container ${container}`);
  const url = `${cluster.serviceUrl}/api/hello`;
  const load = startLoad({
    targets: [{ url, headers: { authorization: `Bearer ${token}` } }],
    keepResults: true,
    ...LOAD,
  });
  let killedAt = 0;
  let readyAt = 0;
  try {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    killedAt = Date.now();
    killOnNode(victim, status);
    say(`SIGKILL ${victim.metadata.name}/${container} (restarts before: ${status.restartCount})`);
    await waitFor(
      `${victim.metadata.name} Ready again with ${container} restarted`,
      120_000,
      () => {
        const pod = pods().find((p) => p.metadata.name === victim.metadata.name);
        const now = pod && statusOf(pod, container);
        return pod && now && now.restartCount > status.restartCount && ready(pod)
          ? true
          : undefined;
      },
    );
    readyAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  } finally {
    await load.stop();
  }
  const results: Result[] = load.results;
  const failures = results.filter((r) => r.status < 200 || r.status > 299);
  const figures: FaultFigures = {
    container,
    requests: results.length,
    failed: failures.length,
    lastFailureMs: failures.length
      ? Math.round(Math.max(...failures.map((r) => r.sentAt)) - killedAt)
      : 0,
    readyAgainMs: readyAt - killedAt,
    okMeanwhile: results.filter(
      (r) => r.sentAt >= killedAt && r.doneAt <= readyAt && r.status >= 200 && r.status <= 299,
    ).length,
  };
  say(`SIGKILL ${container}: ${describeLoad(load.summary())}`);
  const problems: string[] = [];
  const early = failures.filter((r) => r.sentAt < killedAt - LOAD.timeoutSeconds * 1_000);
  if (early.length) problems.push(`${early.length} requests failed before the kill`);
  if (figures.lastFailureMs > FAILURE_WINDOW_MS) {
    problems.push(
      `a request failed ${figures.lastFailureMs} ms after the kill, past the bound of ${FAILURE_WINDOW_MS} ms`,
    );
  }
  if (figures.okMeanwhile === 0) problems.push('no request succeeded while the Pod was down');
  if (problems.length) throw new Error(`SIGKILL ${container}: ${problems.join('; ')}`);
  return figures;
}

export function describeFault(f: FaultFigures): string {
  return `${f.failed} of ${f.requests} requests failed, the last ${f.lastFailureMs} ms after the kill (bound ${FAILURE_WINDOW_MS} ms); Ready again after ${(f.readyAgainMs / 1000).toFixed(1)} s; ${f.okMeanwhile} answered 2xx meanwhile`;
}
