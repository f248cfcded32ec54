import { container, find, Manifest, podSpec, render, tokens } from './render';

/** The API's metrics, for a Prometheus that discovers Pods by annotation (metrics.podAnnotations). */
const SCRAPE_ANNOTATIONS = {
  'prometheus.io/scrape': 'true',
  'prometheus.io/port': '3000',
  'prometheus.io/path': '/metrics',
};

describe('the Deployment', () => {
  const manifests = render();
  const deployment = find(manifests, 'Deployment');
  const spec = podSpec(manifests);
  const nginx = container(spec, 'nginx');
  const api = container(spec, 'api');

  it("runs NGINX, the API and NGINX's metrics exporter as three containers by default", () => {
    expect(spec.containers.map((c: Manifest) => c.name)).toEqual([
      'nginx',
      'api',
      'nginx-exporter',
    ]);
    expect(spec.initContainers).toBeUndefined();
  });

  it('names the ports the probes and the Service use', () => {
    expect(nginx.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(api.ports).toEqual([{ name: 'api', containerPort: 3000, protocol: 'TCP' }]);
  });

  it('probes the API on /healthz (startup, liveness) and /readyz (readiness) on its named port', () => {
    expect(api.startupProbe.httpGet).toEqual({ path: '/healthz', port: 'api' });
    expect(api.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'api' });
    expect(api.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'api' });
  });

  it("probes NGINX on its own /healthz only, never on the API's routes", () => {
    for (const probe of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
      expect(nginx[probe].httpGet).toEqual({ path: '/healthz', port: 'http' });
    }
  });

  it('polls the startup probes every second or two, so a healthy Pod is Ready within seconds', () => {
    for (const c of [api, nginx]) {
      expect(c.startupProbe.periodSeconds).toBeGreaterThanOrEqual(1);
      expect(c.startupProbe.periodSeconds).toBeLessThanOrEqual(2);
      expect(c.readinessProbe.periodSeconds).toBeLessThanOrEqual(2);
    }
  });

  it('gives the API its settings: bind all Pod addresses, the tokens file, the drain timings', () => {
    const env = Object.fromEntries(api.env.map((e: Manifest) => [e.name, e.value]));
    expect(env).toMatchObject({
      PORT: '3000',
      HOST: '0.0.0.0',
      API_TOKENS_FILE: '/var/run/secrets/sidecar/tokens',
      SHUTDOWN_DELAY_MS: '5000',
      SHUTDOWN_TIMEOUT_MS: '10000',
      LOG_LEVEL: 'info',
    });
    expect(api.volumeMounts).toContainEqual({
      name: 'api-tokens',
      mountPath: '/var/run/secrets/sidecar',
      readOnly: true,
    });
  });

  it("gives NGINX the variables of its templates, listening on the Pod's addresses", () => {
    const env = Object.fromEntries(nginx.env.map((e: Manifest) => [e.name, e.value]));
    expect(env).toEqual({
      NGINX_PORT: '8080',
      NGINX_LISTEN_ADDRESS: '0.0.0.0',
      API_PORT: '3000',
      NGINX_STATUS_PORT: '8081',
      // From the Downward API (its own test above), not a plain value.
      NGINX_WORKER_PROCESSES: undefined,
    });
  });

  it('meets the restricted Pod Security Standard in every container', () => {
    expect(spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    for (const c of [api, nginx]) {
      expect(c.securityContext).toMatchObject({
        runAsNonRoot: true,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
    }
    // At or above 10000: no collision with a host account (kube-score's user-group-id check).
    expect(api.securityContext).toMatchObject({ runAsUser: 10001, runAsGroup: 10001 });
    expect(nginx.securityContext).toMatchObject({ runAsUser: 10101, runAsGroup: 10101 });
  });

  it('gives NGINX one writable emptyDir at /tmp and keeps the service account token out', () => {
    expect(nginx.volumeMounts).toEqual([{ name: 'nginx-tmp', mountPath: '/tmp' }]);
    expect(spec.volumes).toContainEqual({ name: 'nginx-tmp', emptyDir: { sizeLimit: '64Mi' } });
    expect(spec.automountServiceAccountToken).toBe(false);
  });

  it('sleeps in the NGINX preStop hook and leaves the grace period room for the whole drain', () => {
    expect(nginx.lifecycle.preStop).toEqual({ sleep: { seconds: 5 } });
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThan(5 + (5000 + 10000) / 1000);
  });

  it('selects its own Pods: the selector labels are a subset of the Pod labels', () => {
    const selector = deployment.spec.selector.matchLabels;
    expect(selector).toEqual({
      'app.kubernetes.io/name': 'sidecar',
      'app.kubernetes.io/instance': 'spec',
    });
    expect(deployment.spec.template.metadata.labels).toMatchObject(selector);
    for (const constraint of spec.topologySpreadConstraints) {
      expect(constraint.labelSelector.matchLabels).toEqual(selector);
    }
  });

  it('rolls out without losing capacity and spreads the Pods', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(spec.topologySpreadConstraints.map((c: Manifest) => c.topologyKey)).toEqual([
      'kubernetes.io/hostname',
      'topology.kubernetes.io/zone',
    ]);
  });

  it('sets resources on both containers', () => {
    for (const c of [api, nginx]) {
      expect(c.resources.requests).toEqual(
        expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }),
      );
      expect(c.resources.limits.memory).toEqual(expect.any(String));
    }
  });

  it("runs one NGINX worker per core of NGINX's CPU limit, through the Downward API", () => {
    expect(nginx.env).toContainEqual({
      name: 'NGINX_WORKER_PROCESSES',
      valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1' } },
    });
  });

  it('rolls the Pods when the tokens change, through a checksum annotation', () => {
    const checksum = (values: object) =>
      find(render([values]), 'Deployment').spec.template.metadata.annotations['checksum/tokens'];
    expect(checksum(tokens)).toMatch(/^[0-9a-f]{64}$/);
    expect(checksum({ auth: { tokens: ['another-token-0123456789'] } })).not.toBe(checksum(tokens));
  });

  it('pins an image by digest over its tag, puts it under a registry, and global.imageRegistry over that', () => {
    const digest = `sha256:${'ab'.repeat(32)}`;
    const images = podSpec(
      render([
        tokens,
        {
          api: { image: { registry: 'ghcr.io/acme', digest } },
          nginx: { image: { registry: 'ghcr.io/acme', tag: '2.0.0' } },
          imagePullSecrets: [{ name: 'regcred' }],
        },
      ]),
    );
    expect(container(images, 'api').image).toBe(`ghcr.io/acme/sidecar-api@${digest}`);
    expect(container(images, 'nginx').image).toBe('ghcr.io/acme/sidecar-nginx:2.0.0');
    expect(container(images, 'nginx-exporter').image).toBe('nginx/nginx-prometheus-exporter:1.4.2');
    expect(images.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    const mirrored = render([
      tokens,
      { global: { imageRegistry: 'mirror.example:5000' }, imagePullSecrets: [{ name: 'regcred' }] },
    ]);
    expect(podSpec(mirrored).containers.map((c: Manifest) => c.image)).toEqual([
      'mirror.example:5000/sidecar-nginx:0.1.0',
      'mirror.example:5000/sidecar-api:0.1.0',
      'mirror.example:5000/nginx/nginx-prometheus-exporter:1.4.2',
    ]);
    // The helm test Pod pulls the API image as the Deployment does.
    const test = find(mirrored, 'Pod', '-test');
    expect(test.spec.containers[0].image).toBe('mirror.example:5000/sidecar-api:0.1.0');
    expect(test.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(podSpec(render()).imagePullSecrets).toBeUndefined();
  });

  it('uses the appVersion as the default image tag, per container', () => {
    expect(api.image).toBe('sidecar-api:0.1.0');
    expect(nginx.image).toBe('sidecar-nginx:0.1.0');
    const tagged = podSpec(
      render([
        tokens,
        { api: { image: { repository: 'r/api', tag: '1.2.3', pullPolicy: 'Always' } } },
      ]),
    );
    expect(container(tagged, 'api')).toMatchObject({
      image: 'r/api:1.2.3',
      imagePullPolicy: 'Always',
    });
  });
});

describe('native sidecar mode', () => {
  const spec = podSpec(render([], ['ci/native-sidecar-values.yaml']));

  it('renders NGINX as an initContainer with restartPolicy Always, and the API as the only container', () => {
    expect(spec.initContainers).toHaveLength(1);
    expect(spec.initContainers[0]).toMatchObject({ name: 'nginx', restartPolicy: 'Always' });
    expect(spec.initContainers[0].readinessProbe.httpGet).toEqual({
      path: '/healthz',
      port: 'http',
    });
    expect(spec.containers.map((c: Manifest) => c.name)).toEqual(['api', 'nginx-exporter']);
  });
});

describe('the extension points', () => {
  const manifests = render([], ['ci/existing-secret-values.yaml']);
  const spec = podSpec(manifests);

  it('mounts an existing Secret instead of creating one, and drops the checksum', () => {
    expect(manifests.filter((m) => m.kind === 'Secret')).toHaveLength(0);
    expect(spec.volumes).toContainEqual(
      expect.objectContaining({
        name: 'api-tokens',
        secret: expect.objectContaining({
          secretName: 'sidecar-api-tokens',
          items: [{ key: 'api-tokens', path: 'tokens' }],
        }),
      }),
    );
    expect(find(manifests, 'Deployment').spec.template.metadata.annotations).toEqual({
      'example.com/team': 'platform',
      ...SCRAPE_ANNOTATIONS,
    });
  });

  it('adds each container its extraEnv, extraEnvFrom and extraVolumeMounts, and the Pod its extraVolumes', () => {
    const api = container(spec, 'api');
    const nginx = container(spec, 'nginx');
    expect(api.env).toContainEqual({ name: 'NODE_OPTIONS', value: '--max-old-space-size=192' });
    expect(api.envFrom).toEqual([{ configMapRef: { name: 'sidecar-extra-env', optional: true } }]);
    expect(api.volumeMounts).toContainEqual({ name: 'api-cache', mountPath: '/var/cache/api' });
    expect(nginx.env).toContainEqual({ name: 'TZ', value: 'UTC' });
    expect(nginx.envFrom).toBeUndefined();
    expect(nginx.volumeMounts).toContainEqual({
      name: 'site',
      mountPath: '/usr/share/nginx/html/extra',
      readOnly: true,
    });
    expect(spec.volumes).toContainEqual({ name: 'api-cache', emptyDir: { sizeLimit: '16Mi' } });
  });

  it('runs extraInitContainers before the containers, and sets revisionHistoryLimit and dnsConfig', () => {
    expect(spec.initContainers.map((c: Manifest) => c.name)).toEqual(['write-page']);
    // Rendered as a template: the chart's own NGINX image, as NGINX's container has it.
    expect(spec.initContainers[0].image).toBe(
      spec.containers.find((c: Manifest) => c.name === 'nginx').image,
    );
    expect(find(manifests, 'Deployment').spec.revisionHistoryLimit).toBe(3);
    expect(spec.dnsConfig).toEqual({ options: [{ name: 'ndots', value: '2' }] });
  });

  it('places NGINX after the extra init containers in the native-sidecar mode, and extraContainers last', () => {
    const native = podSpec(
      render([
        tokens,
        {
          nativeSidecar: true,
          extraInitContainers: [{ name: 'migrate', image: 'r/migrate:1' }],
          extraContainers: [{ name: 'shipper', image: 'r/shipper:1' }],
        },
      ]),
    );
    expect(native.initContainers.map((c: Manifest) => c.name)).toEqual(['migrate', 'nginx']);
    expect(native.containers.map((c: Manifest) => c.name)).toEqual([
      'api',
      'nginx-exporter',
      'shipper',
    ]);
  });

  it('replaces the strategy, the lifecycle hooks and the priority class when given', () => {
    const custom = render([
      tokens,
      {
        strategy: { type: 'Recreate' },
        priorityClassName: 'high',
        api: { lifecycle: { preStop: { sleep: { seconds: 1 } } } },
        nginx: { lifecycle: { preStop: { exec: { command: ['/bin/true'] } } } },
      },
    ]);
    const deployment = find(custom, 'Deployment');
    expect(deployment.spec.strategy).toEqual({ type: 'Recreate' });
    const customSpec = podSpec(custom);
    expect(customSpec.priorityClassName).toBe('high');
    expect(container(customSpec, 'api').lifecycle).toEqual({ preStop: { sleep: { seconds: 1 } } });
    expect(container(customSpec, 'nginx').lifecycle).toEqual({
      preStop: { exec: { command: ['/bin/true'] } },
    });
  });

  it('keeps the zero-downtime strategy, the preStop sleep and 10 old ReplicaSets by default', () => {
    const defaults = render();
    expect(find(defaults, 'Deployment').spec).toMatchObject({
      revisionHistoryLimit: 10,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
    });
    const defaultSpec = podSpec(defaults);
    expect(container(defaultSpec, 'nginx').lifecycle).toEqual({
      preStop: { sleep: { seconds: 5 } },
    });
    expect(container(defaultSpec, 'api').lifecycle).toBeUndefined();
    expect(defaultSpec.priorityClassName).toBeUndefined();
    expect(defaultSpec.dnsConfig).toBeUndefined();
  });

  it('places the Pod with nodeSelector, tolerations and affinity', () => {
    expect(spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(spec.tolerations[0].key).toBe('dedicated');
    expect(spec.affinity.nodeAffinity).toBeDefined();
  });
});
