import { container, find, Manifest, podSpec, render, tokens } from './render';

const env = (c: Manifest) =>
  Object.fromEntries((c.env as Manifest[]).map((e) => [e.name, e.value]));

describe('metrics, by default', () => {
  const manifests = render();
  const spec = podSpec(manifests);
  const exporter = container(spec, 'nginx-exporter');

  it("turns the API's metrics on", () => {
    expect(env(container(spec, 'api')).METRICS_ENABLED).toBe('true');
  });

  it("runs NGINX's exporter on the stub_status port NGINX is given, as nobody, read-only", () => {
    expect(env(container(spec, 'nginx')).NGINX_STATUS_PORT).toBe('8081');
    expect(exporter.image).toBe('nginx/nginx-prometheus-exporter:1.4.2');
    expect(exporter.args).toEqual([
      '--nginx.scrape-uri=http://127.0.0.1:8081/stub_status',
      '--web.listen-address=:9113',
    ]);
    expect(exporter.ports).toEqual([
      { name: 'metrics-nginx', containerPort: 9113, protocol: 'TCP' },
    ]);
    expect(exporter.readinessProbe.httpGet).toEqual({ path: '/metrics', port: 'metrics-nginx' });
    expect(exporter.securityContext).toMatchObject({
      runAsUser: 65534,
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(exporter.resources.limits).toEqual({
      cpu: '100m',
      memory: '32Mi',
      'ephemeral-storage': '32Mi',
    });
  });

  it('creates no PodMonitor, ServiceMonitor or metrics Service unless asked', () => {
    const kinds = manifests.map((m) => m.kind);
    expect(kinds).not.toContain('PodMonitor');
    expect(kinds).not.toContain('ServiceMonitor');
    expect(manifests.filter((m) => m.kind === 'Service')).toHaveLength(1);
  });
});

describe('metrics off, with one value', () => {
  const manifests = render([tokens, { metrics: { enabled: false } }]);
  const spec = podSpec(manifests);

  it('runs no exporter, annotates nothing and turns the API metrics off', () => {
    expect(spec.containers.map((c: Manifest) => c.name)).toEqual(['nginx', 'api']);
    expect(find(manifests, 'Deployment').spec.template.metadata.annotations).not.toHaveProperty(
      'prometheus.io/scrape',
    );
    expect(env(container(spec, 'api')).METRICS_ENABLED).toBe('false');
  });
});

describe('the exporter off, the API metrics on', () => {
  const spec = podSpec(render([tokens, { metrics: { nginxExporter: { enabled: false } } }]));

  it('runs NGINX and the API only', () => {
    expect(spec.containers.map((c: Manifest) => c.name)).toEqual(['nginx', 'api']);
    expect(env(container(spec, 'api')).METRICS_ENABLED).toBe('true');
  });
});

describe('prometheus-operator', () => {
  const labels = { release: 'kube-prometheus-stack' };
  const manifests = render([
    tokens,
    {
      metrics: {
        podMonitor: { enabled: true, interval: '15s', labels },
        serviceMonitor: { enabled: true, interval: '15s', labels },
        scrapeFrom: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
        ],
      },
    },
  ]);
  const selector = find(manifests, 'Deployment').spec.selector.matchLabels;
  const endpoints = [
    { port: 'api', path: '/metrics', interval: '15s' },
    { port: 'metrics-nginx', path: '/metrics', interval: '15s' },
  ];

  it("selects the release's Pods in a PodMonitor, on both metrics ports", () => {
    const monitor = find(manifests, 'PodMonitor');
    expect(monitor.metadata.labels).toMatchObject(labels);
    expect(monitor.spec.selector.matchLabels).toEqual(selector);
    expect(monitor.spec.podMetricsEndpoints).toEqual(endpoints);
  });

  it('selects a headless metrics Service in a ServiceMonitor; the main Service stays NGINX only', () => {
    const monitor = find(manifests, 'ServiceMonitor');
    expect(monitor.spec.endpoints).toEqual(endpoints);
    const metrics = find(manifests, 'Service', '-metrics');
    expect(metrics.spec.clusterIP).toBe('None');
    expect(metrics.spec.selector).toEqual(selector);
    expect(metrics.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(metrics.spec.ports.map((p: Manifest) => p.targetPort)).toEqual(['api', 'metrics-nginx']);
    const main = manifests.find(
      (m) => m.kind === 'Service' && !m.metadata.name.endsWith('-metrics'),
    );
    expect(main?.spec.ports.map((p: Manifest) => p.targetPort)).toEqual(['http']);
  });

  it('admits scrapes from the configured peers only', () => {
    const rules = find(manifests, 'NetworkPolicy').spec.ingress;
    expect(rules[1].from).toEqual([
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
    ]);
  });
});

describe('tracing', () => {
  it('is off by default: no OpenTelemetry variable reaches the API', () => {
    const api = env(container(podSpec(render()), 'api'));
    expect(Object.keys(api).filter((name) => name.startsWith('OTEL_'))).toEqual([]);
  });

  it("sends the traces to the collector, named after the release's resources, sampled as set", () => {
    const api = env(
      container(
        podSpec(
          render([tokens, { tracing: { otlpEndpoint: 'http://otel:4318', samplerRatio: 0.1 } }]),
        ),
        'api',
      ),
    );
    expect(api).toMatchObject({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://otel:4318',
      OTEL_SERVICE_NAME: 'spec-sidecar',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
    });
  });
});
