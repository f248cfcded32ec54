import { describeLoad, startLoad, type Result } from '@sidecar/testkit';
import type { KindCluster } from './cluster';
import { releasePods } from './release-pods';
import { capture, say, waitFor } from './shell';

/**
 * Faults under load (issue 20, item 5): while four connections load /api/hello through the
 * Service, one container of one Pod dies without a drain or preStop: a crash. The faults:
 * SIGKILL to the API or to NGINX on the node, and the API past its memory limit (the kernel's OOM
 * killer; the API's test-only POST /fault/exhaust-memory allocates until then). The kubelet
 * restarts the container. Measured: the failed requests, when the last one failed, how long until
 * the Pod is Ready again, and the 2xx answers the other Pod gave meanwhile.
 *
 * The bound, per fault: every failure comes within FAILURE_WINDOW_MS of the death. A dead
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
  lastState?: { terminated?: { reason?: string } };
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

/** A way for one container of one Pod to die. */
export interface Fault {
  /** As the test names it: `SIGKILL api`. */
  name: string;
  container: 'api' | 'nginx';
  /** How the kubelet records the death (lastState.terminated.reason). */
  reason: 'Error' | 'OOMKilled';
  /** Makes the container die now. Returns once it is dead, or is bound to be. */
  inject(
    cluster: KindCluster,
    namespace: string,
    victim: FaultPod,
    status: ContainerStatus,
  ): Promise<void>;
}

export interface FaultFigures {
  fault: string;
  requests: number;
  failed: number;
  /** From the fault (its inject returned) to the last failed request's send; 0 when none failed. */
  lastFailureMs: number;
  /** From the fault to the Pod's Ready condition, with the container restarted. */
  readyAgainMs: number;
  /** 2xx answers between the fault and Ready again: the other Pod kept serving. */
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
export function sigkill(container: 'api' | 'nginx'): Fault {
  return {
    name: `SIGKILL ${container}`,
    container,
    reason: 'Error',
    inject: async (_cluster, _namespace, victim, status) => killOnNode(victim, status),
  };
}

/**
 * The API past its memory limit: POST /fault/exhaust-memory on the API's own port, from inside its
 * container (the route is not routed by NGINX, and the NetworkPolicy admits only scrapers to that
 * port). The release must run with FAULT_INJECTION_ENABLED (and NODE_ENV not production).
 */
export const exhaustApiMemory: Fault = {
  name: 'API over its memory limit',
  container: 'api',
  reason: 'OOMKilled',
  inject: async (cluster, namespace, victim) => {
    const script = `fetch('http://127.0.0.1:' + process.env.PORT + '/fault/exhaust-memory', { method: 'POST' }).then(async (r) => { console.log(r.status, await r.text()); process.exit(r.status === 202 ? 0 : 1); })`;
    capture(
      'kubectl',
      ['-n', namespace, 'exec', victim.metadata.name, '-c', 'api', '--', 'node', '-e', script],
      { env: cluster.env },
    );
  },
};

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

export async function faultUnderLoad(
  cluster: KindCluster,
  namespace: string,
  token: string,
  fault: Fault,
): Promise<FaultFigures> {
  const { container } = fault;
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
  let faultAt = 0;
  let readyAt = 0;
  let reason: string | undefined;
  try {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    await fault.inject(cluster, namespace, victim, status);
    faultAt = Date.now();
    say(`${fault.name} in ${victim.metadata.name} (restarts before: ${status.restartCount})`);
    const restarted = await waitFor(
      `${victim.metadata.name} Ready again with ${container} restarted`,
      120_000,
      () => {
        const pod = pods().find((p) => p.metadata.name === victim.metadata.name);
        const now = pod && statusOf(pod, container);
        return pod && now && now.restartCount > status.restartCount && ready(pod) ? now : undefined;
      },
    );
    reason = restarted.lastState?.terminated?.reason;
    readyAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  } finally {
    await load.stop();
  }
  const results: Result[] = load.results;
  const failures = results.filter((r) => r.status < 200 || r.status > 299);
  const figures: FaultFigures = {
    fault: fault.name,
    requests: results.length,
    failed: failures.length,
    lastFailureMs: failures.length
      ? Math.round(Math.max(...failures.map((r) => r.sentAt)) - faultAt)
      : 0,
    readyAgainMs: readyAt - faultAt,
    okMeanwhile: results.filter(
      (r) => r.sentAt >= faultAt && r.doneAt <= readyAt && r.status >= 200 && r.status <= 299,
    ).length,
  };
  say(`${fault.name}: ${describeLoad(load.summary())}`);
  const problems: string[] = [];
  if (reason !== fault.reason) {
    problems.push(`${container} ended with reason ${reason}, not ${fault.reason}`);
  }
  const early = failures.filter((r) => r.sentAt < faultAt - LOAD.timeoutSeconds * 1_000);
  if (early.length) problems.push(`${early.length} requests failed before the fault`);
  if (figures.lastFailureMs > FAILURE_WINDOW_MS) {
    problems.push(
      `a request failed ${figures.lastFailureMs} ms after the fault, past the bound of ${FAILURE_WINDOW_MS} ms`,
    );
  }
  if (figures.okMeanwhile === 0) problems.push('no request succeeded while the Pod was down');
  if (problems.length) throw new Error(`${fault.name}: ${problems.join('; ')}`);
  return figures;
}

export function describeFault(f: FaultFigures): string {
  return `${f.failed} of ${f.requests} requests failed, the last ${f.lastFailureMs} ms after the fault (bound ${FAILURE_WINDOW_MS} ms); Ready again after ${(f.readyAgainMs / 1000).toFixed(1)} s; ${f.okMeanwhile} answered 2xx meanwhile`;
}
