import type { KindCluster } from './cluster';
import { describeLoad, startLoad, type LoadSummary } from '@sidecar/testkit';
import { say, waitFor } from './shell';
import { releasePods } from './release-pods';

/**
 * The rolling-update test: load on the Service while `upgrade` rolls every Pod, until the old Pods
 * are gone. Fails unless every request got a 2xx: the chart's probes, preStop sleep and the API's
 * drain must hand traffic over without a single error.
 */
const LOAD = {
  // Four keep-alive connections, each sending its next request when the last is answered: steady
  // traffic on every Pod, well below what two cores serve.
  workers: 4,
  // The bound: the load ends even if the rollout hangs.
  durationSeconds: 240,
  // A request that takes longer counts as an error.
  timeoutSeconds: 5,
};
/** Load before the upgrade starts and after the last old Pod is gone. */
const SETTLE_MS = 2_000;

interface PodState {
  name: string;
  terminating: boolean;
}

function podStates(cluster: KindCluster, namespace: string): PodState[] {
  return releasePods<{ metadata: { name: string; deletionTimestamp?: string } }>(
    cluster,
    namespace,
  ).map((pod) => ({
    name: pod.metadata.name,
    terminating: Boolean(pod.metadata.deletionTimestamp),
  }));
}

export async function rollingUpdateUnderLoad(
  cluster: KindCluster,
  namespace: string,
  token: string,
  what: string,
  upgrade: () => Promise<void>,
): Promise<LoadSummary> {
  const before = podStates(cluster, namespace).map((pod) => pod.name);
  // /api/hello goes through NGINX to the API (both containers) and, unlike /public/, is not rate limited.
  const url = `${cluster.serviceUrl}/api/hello`;
  say(
    `rolling update under load (${what}): ${LOAD.workers} connections on ${url}, Pods before: ${before.join(', ')}`,
  );
  const load = startLoad({
    targets: [{ url, headers: { authorization: `Bearer ${token}` } }],
    ...LOAD,
  });
  let figures: LoadSummary;
  try {
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    await upgrade();
    await waitFor('the old Pods to be gone', LOAD.durationSeconds * 1_000, () => {
      const pods = podStates(cluster, namespace);
      const done = pods.every((pod) => !pod.terminating && !before.includes(pod.name));
      return done ? pods : undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  } finally {
    figures = await load.stop();
  }
  const after = podStates(cluster, namespace).map((pod) => pod.name);
  say(`rolling update (${what}): ${describeLoad(figures)}; Pods after: ${after.join(', ')}`);
  const problems: string[] = [];
  if (figures.ok === 0) problems.push('no request succeeded');
  if (figures.non2xx > 0) problems.push(`${figures.non2xx} non-2xx responses`);
  if (figures.errors > 0) problems.push(`${figures.errors} connection errors`);
  if (after.some((name) => before.includes(name))) problems.push('some Pods were not replaced');
  if (problems.length) throw new Error(`rolling update (${what}) failed: ${problems.join(', ')}`);
  return figures;
}
