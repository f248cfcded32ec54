/**
 * Issue 16, item 6, on the cluster: from a Pod's creation to its Ready condition, on the kind
 * cluster that `make deploy` made (KIND_CLUSTER; the release RELEASE in the namespace NAMESPACE,
 * as tools/deploy names them). Each run deletes one of the release's Pods; its ReplicaSet creates a
 * replacement, and a `kubectl get pods --watch` stamps, on this machine, the first event of the
 * new Pod (its creation) and the one where it turns Ready. The API server's own timestamps have
 * whole seconds only. Not a default part: it needs the cluster (`make deploy` first).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClusterStartRun {
  /** The replacement Pod's first watch event -> its Ready condition True. */
  readyMs: number;
  /** From the same first event to each phase, as the watch saw it (ms). */
  phases: Partial<Record<Phase, number>>;
}

/** The phases of a Pod's start, in order, as its status shows them. */
export const PHASES = [
  'sandbox ready (PodReadyToStartContainers)',
  'every container running',
  'every startup probe passed',
  'Ready',
] as const;
export type Phase = (typeof PHASES)[number];

interface WatchedPod {
  metadata: { name: string; deletionTimestamp?: string };
  status?: {
    conditions?: Array<{ type: string; status: string }>;
    containerStatuses?: Array<{ state?: { running?: object }; started?: boolean }>;
  };
}

/** The phases a Pod has reached, from one status. */
export function phasesReached(pod: WatchedPod): Phase[] {
  const condition = (type: string) =>
    pod.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
  const containers = pod.status?.containerStatuses ?? [];
  const all = (test: (c: (typeof containers)[number]) => boolean) =>
    containers.length > 0 && containers.every(test);
  const reached: Record<Phase, boolean> = {
    'sandbox ready (PodReadyToStartContainers)': condition('PodReadyToStartContainers'),
    'every container running': all((c) => c.state?.running !== undefined),
    'every startup probe passed': all((c) => c.started === true),
    Ready: condition('Ready'),
  };
  return PHASES.filter((phase) => reached[phase]);
}

/** As tools/deploy/src/settings.ts names them (RELEASE and NAMESPACE, with these defaults). */
const RELEASE = process.env.RELEASE ?? 'sidecar';
const NAMESPACE = process.env.NAMESPACE ?? 'sidecar';
const SELECTOR = `app.kubernetes.io/instance=${RELEASE},app.kubernetes.io/component!=helm-test`;

export async function measureClusterStart(options: {
  root: string;
  runs: number;
  log: (line: string) => void;
}): Promise<ClusterStartRun[]> {
  const cluster = process.env.KIND_CLUSTER || 'sidecar';
  const kubeconfig = join(options.root, '.cache', 'kind', `${cluster}.kubeconfig`);
  if (!existsSync(kubeconfig)) {
    throw new Error(
      `no kind cluster ${cluster} here (${kubeconfig} is missing): run make deploy first`,
    );
  }
  const env = { ...process.env, KUBECONFIG: kubeconfig };
  const kubectl = (...args: string[]) =>
    run('kubectl', ['-n', NAMESPACE, ...args], { env }).then((r) => r.stdout);
  const runs: ClusterStartRun[] = [];
  for (let i = 0; i < options.runs; i++) {
    await kubectl('rollout', 'status', `deployment/${RELEASE}`, '--timeout=120s');
    // Every Pod listed, the ones still terminating from the run before included: none of them
    // is the replacement. The one deleted is a running Pod that is not already going away.
    const pods = await releasePods(kubectl);
    const names = pods.map((pod) => pod.metadata.name);
    const victim = pods.find((pod) => !pod.metadata.deletionTimestamp)?.metadata.name;
    if (!victim) throw new Error(`the release has no running Pod in ${NAMESPACE}: run make deploy`);
    const started = await timeReplacement(env, names, () =>
      kubectl('delete', 'pod', victim, '--wait=false').then(() => undefined),
    );
    runs.push(started);
    const readyMs = started.readyMs;
    options.log(
      `cluster Pod start ${i + 1}/${options.runs}: Ready ${readyMs.toFixed(0)} ms after it was created (${PHASES.map((p) => `${p} ${started.phases[p]?.toFixed(0)}`).join(', ')})`,
    );
  }
  await kubectl('rollout', 'status', `deployment/${RELEASE}`, '--timeout=120s');
  return runs;
}

interface Pod {
  metadata: { name: string; deletionTimestamp?: string };
}

async function releasePods(kubectl: (...args: string[]) => Promise<string>): Promise<Pod[]> {
  return (
    JSON.parse(await kubectl('get', 'pods', '-l', SELECTOR, '-o', 'json')) as { items: Pod[] }
  ).items;
}

/**
 * Watches the release's Pods (`kubectl get pods --watch -o json`: one pretty-printed object per
 * event, its last line a lone `}`), calls `trigger`, and times the first new Pod's phases.
 */
function timeReplacement(
  env: NodeJS.ProcessEnv,
  existing: string[],
  trigger: () => Promise<void>,
): Promise<ClusterStartRun> {
  const watch = spawn(
    'kubectl',
    ['-n', NAMESPACE, 'get', 'pods', '-l', SELECTOR, '--watch', '-o', 'json'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise<ClusterStartRun>((resolve, reject) => {
    let created: { name: string; at: number } | undefined;
    const phases: ClusterStartRun['phases'] = {};
    let buffered = '';
    const timer = setTimeout(
      () => finish(new Error('no replacement Pod was Ready within 120 s')),
      120_000,
    );
    const finish = (result: ClusterStartRun | Error) => {
      clearTimeout(timer);
      watch.kill();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    createInterface({ input: watch.stdout }).on('line', (line) => {
      buffered += `${line}\n`;
      if (line !== '}') return;
      const pod = JSON.parse(buffered) as WatchedPod;
      buffered = '';
      const name = pod.metadata.name;
      if (existing.includes(name)) return;
      const now = performance.now();
      created ??= { name, at: now };
      if (name !== created.name) return;
      for (const phase of phasesReached(pod)) phases[phase] ??= now - created.at;
      if (phases.Ready !== undefined) finish({ readyMs: phases.Ready, phases });
    });
    watch.on('exit', (code) => {
      if (code !== null && code !== 0) finish(new Error(`kubectl get pods --watch exited ${code}`));
    });
    // The watch lists the current Pods first; the trigger comes after that first listing.
    setTimeout(() => trigger().catch(finish), 1_000);
  });
}
