import { describeLoad, startLoad, type LoadSummary } from '@sidecar/testkit';
import type { ChartSource } from './chart-source';
import type { KindCluster } from './cluster';
import { helmUpgrade } from './deploy';
import { ensureMetricsServer } from './metrics-server';
import { capture, say, waitFor } from './shell';
import { RELEASE } from './settings';

/**
 * Scaling, proven (issue 20, item 6): with metrics-server in the cluster, the chart's HPA
 * (autoscaling.enabled) scales the Deployment out under load through the Service, and back in
 * once the load drops, with every request answered 2xx in both phases. The replica counts are
 * sampled every few seconds and printed.
 *
 * The HPA's values here differ from the chart's defaults only where the test must finish in
 * minutes: a scale-down stabilization window of 15 s instead of Kubernetes' 300 s. The scale-in
 * phase keeps a light load running, so that a Pod removed while it serves would show as a failure.
 */
const HPA = { minReplicas: 2, maxReplicas: 4, targetCPUUtilizationPercentage: 50 };
const SCALE_DOWN_WINDOW_SECONDS = 15;
/** Enough CPU for two Pods to pass 50% of their requests several times over, on two cores. */
const HEAVY = { rate: 200, workers: 32, timeoutSeconds: 5 };
/** Light enough for four Pods to fall well under the target; enough to catch a Pod removed while it serves. */
const LIGHT = { rate: 40, workers: 4, timeoutSeconds: 5 };
const PHASE_TIMEOUT_MS = 300_000;
const SAMPLE_MS = 5_000;
/** Load after the scaled-out Pods are Ready, and after the last removed Pod is gone. */
const SETTLE_MS = 10_000;

interface Scale {
  replicas: number;
  ready: number;
  desired: number;
  /** The HPA's current CPU utilisation, percent of requests; undefined before its first reading. */
  cpu?: number;
  terminating: number;
}

function readScale(cluster: KindCluster, namespace: string): Scale {
  const get = (resource: string) =>
    JSON.parse(
      capture('kubectl', ['-n', namespace, 'get', resource, RELEASE, '-o', 'json'], {
        env: cluster.env,
        quiet: true,
      }),
    );
  const deployment = get('deployment');
  const hpa = get('hpa');
  const cpu = (
    hpa.status?.currentMetrics as
      { resource?: { name: string; current: { averageUtilization?: number } } }[] | undefined
  )?.find((metric) => metric.resource?.name === 'cpu')?.resource?.current.averageUtilization;
  const pods = JSON.parse(
    capture(
      'kubectl',
      ['-n', namespace, 'get', 'pods', '-l', `app.kubernetes.io/instance=${RELEASE}`, '-o', 'json'],
      { env: cluster.env, quiet: true },
    ),
  ).items as { metadata: { deletionTimestamp?: string } }[];
  return {
    replicas: deployment.status?.replicas ?? 0,
    ready: deployment.status?.readyReplicas ?? 0,
    desired: hpa.status?.desiredReplicas ?? 0,
    cpu,
    terminating: pods.filter((pod) => pod.metadata.deletionTimestamp).length,
  };
}

/** Samples the scale every SAMPLE_MS into `timeline` while `phase` runs; resolves with the phase's load. */
async function phase(
  cluster: KindCluster,
  namespace: string,
  timeline: string[],
  started: number,
  name: string,
  done: (scale: Scale) => boolean,
  load: ReturnType<typeof startLoad>,
): Promise<LoadSummary> {
  try {
    await waitFor(`${name}`, PHASE_TIMEOUT_MS, async () => {
      const scale = readScale(cluster, namespace);
      const line = `+${Math.round((Date.now() - started) / 1000)}s ${name}: ${scale.ready}/${scale.replicas} Ready, HPA wants ${scale.desired}, CPU ${scale.cpu ?? '?'}% of requests${scale.terminating ? `, ${scale.terminating} stopping` : ''}`;
      if (timeline.at(-1)?.replace(/^\+\d+s /, '') !== line.replace(/^\+\d+s /, '')) {
        timeline.push(line);
        say(line);
      }
      if (done(scale)) return true;
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
      return undefined;
    });
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  } finally {
    await load.stop();
  }
  return load.summary();
}

export async function scaleOutAndIn(
  cluster: KindCluster,
  namespace: string,
  token: string,
  chart: ChartSource,
): Promise<string> {
  await ensureMetricsServer(cluster, namespace);
  await helmUpgrade(cluster, namespace, chart, [
    '--set',
    'autoscaling.enabled=true',
    ...Object.entries(HPA).flatMap(([key, value]) => ['--set', `autoscaling.${key}=${value}`]),
    '--set',
    `autoscaling.behavior.scaleDown.stabilizationWindowSeconds=${SCALE_DOWN_WINDOW_SECONDS}`,
  ]);
  // Helm leaves spec.replicas to the HPA; wait for its first CPU reading and the minimum Ready.
  await waitFor('the HPA to read CPU and hold the minimum Ready', 120_000, () => {
    const scale = readScale(cluster, namespace);
    return scale.cpu !== undefined && scale.ready >= HPA.minReplicas && !scale.terminating
      ? true
      : undefined;
  });
  const url = `${cluster.serviceUrl}/api/hello`;
  const targets = [{ url, headers: { authorization: `Bearer ${token}` } }];
  const timeline: string[] = [];
  const started = Date.now();
  let most = 0;
  const out = await phase(
    cluster,
    namespace,
    timeline,
    started,
    `${HEAVY.rate} req/s`,
    (scale) => {
      most = Math.max(most, scale.ready);
      return scale.ready > HPA.minReplicas && scale.ready >= scale.desired;
    },
    startLoad({ targets, ...HEAVY }),
  );
  const back = await phase(
    cluster,
    namespace,
    timeline,
    started,
    `${LIGHT.rate} req/s`,
    (scale) =>
      scale.desired === HPA.minReplicas &&
      scale.replicas === HPA.minReplicas &&
      scale.terminating === 0,
    startLoad({ targets, ...LIGHT }),
  );
  const summary = `scaled out to ${most} Ready Pods under ${HEAVY.rate} req/s (${describeLoad(out)}), back to ${HPA.minReplicas} under ${LIGHT.rate} req/s (${describeLoad(back)})`;
  say(summary);
  const problems: string[] = [];
  for (const [name, figures] of [
    ['scale-out', out],
    ['scale-in', back],
  ] as const) {
    if (figures.ok === 0) problems.push(`${name}: no request succeeded`);
    if (figures.non2xx + figures.errors > 0) {
      problems.push(`${name}: ${figures.non2xx} non-2xx, ${figures.errors} errors`);
    }
  }
  if (problems.length) throw new Error(`HPA under load: ${problems.join('; ')}`);
  return `${summary}; replicas over time: ${timeline.join(' | ')}`;
}
