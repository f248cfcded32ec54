import { prometheusConfig, type ScrapedPod } from './cluster-prometheus';

const pod = (name: string, ip: string, annotated: boolean): ScrapedPod => ({
  metadata: {
    name,
    namespace: 'sidecar',
    annotations: annotated
      ? {
          'prometheus.io/scrape': 'true',
          'prometheus.io/port': '3000',
          'prometheus.io/path': '/metrics',
        }
      : {},
  },
  spec: {
    containers: [
      { ports: [{ name: 'http', containerPort: 8080 }] },
      { ports: [{ name: 'api', containerPort: 3000 }] },
      { ports: [{ name: 'metrics-nginx', containerPort: 9113 }] },
    ],
  },
  status: { podIP: ip },
});

describe("the cluster Prometheus's targets", () => {
  it("scrapes each Pod where its annotations say, and its exporter's named port", () => {
    const config = JSON.parse(
      prometheusConfig([pod('a', '10.0.0.1', true), pod('b', '10.0.0.2', false)]),
    );
    expect(config.scrape_configs).toEqual([
      {
        job_name: 'annotated-pods',
        metrics_path: '/metrics',
        static_configs: [
          { targets: ['10.0.0.1:3000'], labels: { namespace: 'sidecar', pod: 'a' } },
        ],
      },
      {
        job_name: 'nginx-exporter',
        static_configs: [
          { targets: ['10.0.0.1:9113'], labels: { namespace: 'sidecar', pod: 'a' } },
          { targets: ['10.0.0.2:9113'], labels: { namespace: 'sidecar', pod: 'b' } },
        ],
      },
    ]);
  });
});
