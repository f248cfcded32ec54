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
    const names = (await kubectl('get', 'pods', '-l', SELECTOR, '-o', 'name'))
      .split('\n')
      .filter(Boolean)
      .map((name) => name.replace('pod/', ''));
    if (names.length === 0)
      throw new Error(`the release has no Pods in ${NAMESPACE}: run make deploy`);
    const readyMs = await timeReplacement(env, names, () =>
      kubectl('delete', 'pod', names[0] as string, '--wait=false').then(() => undefined),
    );
    runs.push({ readyMs });
    options.log(
      `cluster Pod start ${i + 1}/${options.runs}: Ready ${readyMs.toFixed(0)} ms after it was created`,
    );
  }
  await kubectl('rollout', 'status', `deployment/${RELEASE}`, '--timeout=120s');
  return runs;
}

/** Watches the release's Pods, calls `trigger`, and times the first new Pod to Ready. */
function timeReplacement(
  env: NodeJS.ProcessEnv,
  existing: string[],
  trigger: () => Promise<void>,
): Promise<number> {
  const watch = spawn(
    'kubectl',
    [
      '-n',
      NAMESPACE,
      'get',
      'pods',
      '-l',
      SELECTOR,
      '--watch',
      '-o',
      'jsonpath={.metadata.name} {.status.conditions[?(@.type=="Ready")].status}{"\\n"}',
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise<number>((resolve, reject) => {
    let created: { name: string; at: number } | undefined;
    const timer = setTimeout(
      () => finish(new Error('no replacement Pod was Ready within 120 s')),
      120_000,
    );
    const finish = (result: number | Error) => {
      clearTimeout(timer);
      watch.kill();
      if (typeof result === 'number') resolve(result);
      else reject(result);
    };
    createInterface({ input: watch.stdout }).on('line', (line) => {
      const [name, ready] = line.trim().split(' ');
      if (!name || existing.includes(name)) return;
      const now = performance.now();
      if (!created) created = { name, at: now };
      if (name === created.name && ready === 'True') finish(now - created.at);
    });
    watch.on('exit', (code) => {
      if (code !== null && code !== 0) finish(new Error(`kubectl get pods --watch exited ${code}`));
    });
    // The watch lists the current Pods first; the trigger comes after that first listing.
    setTimeout(() => trigger().catch(finish), 1_000);
  });
}
