import { existsSync } from 'node:fs';
import { imageValues } from '@sidecar/testkit';
import type { KindCluster } from './cluster';
import { capture, run, say, waitFor } from './shell';
import { HELM_TIMEOUT, METRICS_SERVER_CHART, METRICS_SERVER_IMAGE } from './settings';

/**
 * metrics-server (https://github.com/kubernetes-sigs/metrics-server), which the chart's HPA reads
 * Pod CPU from (the metrics.k8s.io API), installed with its own Helm chart as its README says,
 * with the flag its docs give for kind: `--kubelet-insecure-tls` (kind's kubelets serve
 * self-signed certificates). Its resolution stays the chart's 15 s: it must exceed the kubelet
 * request timeout (10 s), or metrics-server refuses to start. Idempotent: a second run upgrades
 * it in place.
 */
const RELEASE = 'metrics-server';
const NAMESPACE = 'kube-system';

export async function ensureMetricsServer(cluster: KindCluster, namespace: string): Promise<void> {
  if (!existsSync(METRICS_SERVER_CHART)) {
    throw new Error(`${METRICS_SERVER_CHART} is missing: run make setup-kind`);
  }
  await cluster.pushImages([METRICS_SERVER_IMAGE]);
  const sets = Object.entries({
    ...imageValues(`${cluster.registry}/${METRICS_SERVER_IMAGE}`, 'image'),
    args: '{--kubelet-insecure-tls}',
  }).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
  await run(
    'helm',
    [
      'upgrade',
      '--install',
      RELEASE,
      METRICS_SERVER_CHART,
      '--namespace',
      NAMESPACE,
      ...sets,
      '--wait',
      '--timeout',
      HELM_TIMEOUT,
    ],
    { env: cluster.env },
  );
  const pods = await waitFor(`metrics.k8s.io to list the Pods of ${namespace}`, 120_000, () => {
    try {
      const list = JSON.parse(
        capture(
          'kubectl',
          ['get', '--raw', `/apis/metrics.k8s.io/v1beta1/namespaces/${namespace}/pods`],
          { env: cluster.env, quiet: true },
        ),
      ) as { items: unknown[] };
      return list.items.length > 0 ? list.items.length : undefined;
    } catch {
      // 503 until metrics-server is registered and has scraped every kubelet once.
      return undefined;
    }
  });
  say(`metrics-server serves the CPU and memory of ${pods} Pods in ${namespace}`);
}
