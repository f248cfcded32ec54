import { request } from '@sidecar/testkit';
import type { KindCluster } from './cluster';
import { releasePods } from './release-pods';
import { capture, run, say, waitFor } from './shell';
import { MONITORING_NAMESPACE, PROMETHEUS_IMAGE } from './settings';

/**
 * A real Prometheus in the cluster (PROMETHEUS_IMAGE, in MONITORING_NAMESPACE) scraping the
 * release's Pods every 2 s on their Pod IPs, through the chart's NetworkPolicy. Its targets are
 * written from the Pods as Kubernetes lists them, the way annotation discovery finds them: the
 * port and path of each Pod's prometheus.io/* annotations (the API's metrics), and its container
 * port named `metrics-nginx` (the exporter, as the chart's PodMonitor selects it). Static targets,
 * not kubernetes_sd_configs: Debian's prometheus package, this machine's stand-in, is built
 * without Kubernetes discovery. The tests read it through the API server's Service proxy, so no
 * port is forwarded.
 */
const NAME = 'prometheus';
const PORT = 9090;

export interface ScrapedPod {
  metadata: {
    name: string;
    namespace: string;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
  };
  spec: {
    containers: { ports?: { name?: string; containerPort: number }[] }[];
    initContainers?: { ports?: { name?: string; containerPort: number }[] }[];
  };
  status: { podIP?: string };
}

/** prometheus.yml for these Pods: jobs `annotated-pods` and `nginx-exporter`, labelled by namespace and pod. */
export function prometheusConfig(pods: ScrapedPod[]): string {
  const target = (pod: ScrapedPod, port: number) => ({
    targets: [`${pod.status.podIP}:${port}`],
    labels: { namespace: pod.metadata.namespace, pod: pod.metadata.name },
  });
  const annotated = pods.filter(
    (pod) => pod.metadata.annotations?.['prometheus.io/scrape'] === 'true',
  );
  const exporterPort = (pod: ScrapedPod) =>
    [...pod.spec.containers, ...(pod.spec.initContainers ?? [])]
      .flatMap((c) => c.ports ?? [])
      .find((p) => p.name === 'metrics-nginx')?.containerPort;
  const config = {
    global: { scrape_interval: '2s', scrape_timeout: '2s' },
    scrape_configs: [
      // One job per metrics path; the chart annotates /metrics.
      ...[...new Set(annotated.map((pod) => pod.metadata.annotations!['prometheus.io/path']))].map(
        (path, index) => ({
          job_name: index === 0 ? 'annotated-pods' : `annotated-pods-${index}`,
          metrics_path: path ?? '/metrics',
          static_configs: annotated
            .filter((pod) => pod.metadata.annotations!['prometheus.io/path'] === path)
            .map((pod) => target(pod, Number(pod.metadata.annotations!['prometheus.io/port']))),
        }),
      ),
      {
        job_name: 'nginx-exporter',
        static_configs: pods
          .filter((pod) => exporterPort(pod) !== undefined)
          .map((pod) => target(pod, exporterPort(pod)!)),
      },
    ],
  };
  // JSON is YAML: Prometheus reads it as its config file.
  return JSON.stringify(config, null, 2);
}

function manifests(config: string, image: string): object[] {
  const namespace = MONITORING_NAMESPACE;
  const labels = { 'app.kubernetes.io/name': NAME };
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: NAME, namespace },
      data: { 'prometheus.yml': config },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: NAME, namespace, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: 65534,
              runAsGroup: 65534,
              fsGroup: 65534,
              seccompProfile: { type: 'RuntimeDefault' },
            },
            containers: [
              {
                name: NAME,
                // Pushed to the local registry, as the chart's images are.
                image,
                args: [
                  '--config.file=/etc/prometheus/prometheus.yml',
                  '--storage.tsdb.path=/prometheus',
                  `--web.listen-address=:${PORT}`,
                ],
                ports: [{ name: 'web', containerPort: PORT }],
                readinessProbe: { httpGet: { path: '/-/ready', port: 'web' }, periodSeconds: 2 },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMounts: [
                  { name: 'config', mountPath: '/etc/prometheus' },
                  { name: 'data', mountPath: '/prometheus' },
                ],
              },
            ],
            volumes: [
              { name: 'config', configMap: { name: NAME } },
              { name: 'data', emptyDir: {} },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: NAME, namespace },
      spec: { selector: labels, ports: [{ name: 'web', port: PORT, targetPort: 'web' }] },
    },
  ];
}

export interface ClusterPrometheus {
  /** An instant query's samples. */
  query(promql: string): { metric: Record<string, string>; value: number }[];
  /** The active targets' health, per job, in one namespace. */
  targets(namespace: string): { job: string; pod: string; health: string }[];
}

/**
 * Deploys the Prometheus above for these Pods (or reconfigures it, restarting it so it reads the
 * new targets at once) and waits until it is ready.
 */
export async function startClusterPrometheus(
  cluster: KindCluster,
  pods: ScrapedPod[],
): Promise<ClusterPrometheus> {
  await cluster.pushImages([PROMETHEUS_IMAGE]);
  await run('kubectl', ['apply', '-f', '-'], {
    env: cluster.env,
    input: manifests(prometheusConfig(pods), `${cluster.registry}/${PROMETHEUS_IMAGE}`)
      .map((m) => JSON.stringify(m))
      .join('\n'),
  });
  const deployment = ['-n', MONITORING_NAMESPACE, 'rollout'];
  await run('kubectl', [...deployment, 'restart', `deployment/${NAME}`], { env: cluster.env });
  await run('kubectl', [...deployment, 'status', `deployment/${NAME}`, '--timeout=120s'], {
    env: cluster.env,
  });
  const api = (path: string) => {
    const raw = capture(
      'kubectl',
      [
        'get',
        '--raw',
        `/api/v1/namespaces/${MONITORING_NAMESPACE}/services/${NAME}:web/proxy${path}`,
      ],
      { env: cluster.env, quiet: true },
    );
    return JSON.parse(raw).data;
  };
  return {
    query: (promql) =>
      (
        api(`/api/v1/query?query=${encodeURIComponent(promql)}`).result as {
          metric: Record<string, string>;
          value: [number, string];
        }[]
      ).map((sample) => ({ metric: sample.metric, value: Number(sample.value[1]) })),
    targets: (namespace) =>
      (
        api('/api/v1/targets?state=active').activeTargets as {
          labels: Record<string, string>;
          health: string;
        }[]
      )
        .filter((target) => target.labels.namespace === namespace)
        .map((target) => ({
          job: target.labels.job ?? '',
          pod: target.labels.pod ?? '',
          health: target.health,
        })),
  };
}

/**
 * Issue 18's proof on the cluster: with every Pod of the release scraped (its API where its
 * annotations say, its exporter by port name), `requests` GETs of /api/hello through the Service raise the
 * release's http_requests_total for that route by exactly `requests`, fill the histogram as
 * much, and move NGINX's own request counter by at least as much.
 */
export async function metricsScrapedInCluster(
  cluster: KindCluster,
  namespace: string,
  token: string,
  requests = 50,
): Promise<string> {
  // The Pods the Service sends to: not the ones a rollout before this step is still stopping.
  const scraped = releasePods<ScrapedPod>(cluster, namespace).filter(
    (pod) => !pod.metadata.deletionTimestamp,
  );
  const pods = scraped.map((pod) => pod.metadata.name);
  const prometheus = await startClusterPrometheus(cluster, scraped);
  await waitFor(`Prometheus scraping both jobs of every Pod (${pods.join(', ')})`, 90_000, () => {
    const up = prometheus.targets(namespace).filter((t) => t.health === 'up');
    const scraped = (job: string) =>
      pods.every((pod) => up.some((t) => t.job === job && t.pod === pod));
    return scraped('annotated-pods') && scraped('nginx-exporter') ? true : undefined;
  });
  const sum = (promql: string) =>
    prometheus.query(`sum(${promql}) or vector(0)`).reduce((total, s) => total + s.value, 0);
  const series = `namespace="${namespace}",route="/api/hello",method="GET",status_class="2xx"`;
  // Read after a scrape that follows the last request of earlier steps: two scrape periods.
  await new Promise((r) => setTimeout(r, 4_000));
  const before = {
    count: sum(`http_requests_total{${series}}`),
    histogram: sum(`http_request_duration_seconds_count{${series}}`),
    nginx: sum(`nginx_http_requests_total{namespace="${namespace}"}`),
  };
  for (let i = 0; i < requests; i++) {
    const res = await request(`${cluster.serviceUrl}/api/hello`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (res.status !== 200) throw new Error(`GET /api/hello through the Service: ${res.status}`);
  }
  const counted = await waitFor(`${requests} more requests in Prometheus`, 30_000, () => {
    const delta = sum(`http_requests_total{${series}}`) - before.count;
    return delta >= requests ? delta : undefined;
  });
  if (counted !== requests) {
    throw new Error(`http_requests_total{${series}} rose by ${counted}, not ${requests}`);
  }
  const histogram = sum(`http_request_duration_seconds_count{${series}}`) - before.histogram;
  const finite = sum(`http_request_duration_seconds_bucket{${series},le="10"}`);
  if (histogram !== requests || finite < requests) {
    throw new Error(
      `the latency histogram rose by ${histogram} (expected ${requests}), ${finite} in le="10"`,
    );
  }
  const nginxMoved = await waitFor("NGINX's request counter to move", 30_000, () => {
    const delta = sum(`nginx_http_requests_total{namespace="${namespace}"}`) - before.nginx;
    return delta >= requests ? delta : undefined;
  });
  const figures = `${pods.length} Pods scraped; http_requests_total{route="/api/hello"} +${counted} for ${requests} requests, histogram +${histogram}; nginx_http_requests_total +${nginxMoved}`;
  say(figures);
  return figures;
}
