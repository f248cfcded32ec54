import type { KindCluster } from './cluster';
import { capture } from './shell';
import { RELEASE } from './settings';

/** The release's Pods, helm test Pods left out, as `kubectl get pods -o json` lists them. */
export function releasePods<Pod>(cluster: KindCluster, namespace: string): Pod[] {
  const selector = `app.kubernetes.io/instance=${RELEASE},app.kubernetes.io/component!=helm-test`;
  const list = JSON.parse(
    capture('kubectl', ['-n', namespace, 'get', 'pods', '-l', selector, '-o', 'json'], {
      env: cluster.env,
      quiet: true,
    }),
  ) as { items: Pod[] };
  return list.items;
}
