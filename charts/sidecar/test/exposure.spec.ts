import { find, Manifest, render, tokens } from './render';

describe('what the chart exposes', () => {
  const manifests = render();

  it('puts only the NGINX port on the Service, never the API port', () => {
    const service = find(manifests, 'Service');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
    ]);
    expect(service.spec.selector).toEqual(find(manifests, 'Deployment').spec.selector.matchLabels);
  });

  it('admits ingress traffic to the NGINX port, and to the metrics ports for scrapers', () => {
    const policy = find(manifests, 'NetworkPolicy');
    expect(policy.spec.policyTypes).toEqual(['Ingress']);
    expect(policy.spec.ingress).toEqual([
      { ports: [{ port: 'http', protocol: 'TCP' }] },
      {
        ports: [
          { port: 'api', protocol: 'TCP' },
          { port: 'metrics-nginx', protocol: 'TCP' },
        ],
      },
    ]);
  });

  it('admits ingress traffic to the NGINX port only when metrics are off', () => {
    const policy = find(render([tokens, { metrics: { enabled: false } }]), 'NetworkPolicy');
    expect(policy.spec.ingress).toEqual([{ ports: [{ port: 'http', protocol: 'TCP' }] }]);
  });

  it('keeps the ServiceAccount token unmounted and guards voluntary disruptions', () => {
    expect(find(manifests, 'ServiceAccount').automountServiceAccountToken).toBe(false);
    expect(find(manifests, 'PodDisruptionBudget').spec).toMatchObject({ maxUnavailable: 1 });
  });

  it('stores the tokens one per line in a Secret', () => {
    const secret = find(manifests, 'Secret');
    expect(Buffer.from(secret.data.tokens, 'base64').toString()).toBe(
      tokens.auth.tokens.join('\n'),
    );
  });

  it('creates neither an HPA, an Ingress nor an HTTPRoute unless asked', () => {
    const kinds = manifests.map((m) => m.kind);
    expect(kinds).not.toContain('HorizontalPodAutoscaler');
    expect(kinds).not.toContain('Ingress');
    expect(kinds).not.toContain('HTTPRoute');
  });
});

describe('a LoadBalancer with an HPA and an Ingress', () => {
  const manifests = render([], ['ci/loadbalancer-hpa-ingress-values.yaml']);

  it('exposes NGINX through a LoadBalancer Service and an Ingress to its http port', () => {
    expect(find(manifests, 'Service').spec.type).toBe('LoadBalancer');
    const ingress = find(manifests, 'Ingress');
    expect(ingress.spec.rules[0].http.paths[0].backend.service.port).toEqual({ name: 'http' });
    expect(ingress.spec.tls[0].hosts).toEqual(['sidecar.example.com']);
  });

  it("routes a Gateway API HTTPRoute's every rule to the Service's port, with its matches and filters", () => {
    const route = find(manifests, 'HTTPRoute');
    expect(route.apiVersion).toBe('gateway.networking.k8s.io/v1');
    expect(route.spec.parentRefs).toEqual([
      { name: 'public', namespace: 'gateway-system', sectionName: 'https' },
    ]);
    expect(route.spec.hostnames).toEqual(['sidecar.example.com']);
    const backend = [{ name: 'spec-sidecar', port: 80 }];
    expect(route.spec.rules).toEqual([
      expect.objectContaining({
        backendRefs: backend,
        matches: [{ path: { type: 'PathPrefix', value: '/api/' } }],
        filters: [expect.objectContaining({ type: 'ResponseHeaderModifier' })],
      }),
      { backendRefs: backend, matches: [{ path: { type: 'PathPrefix', value: '/' } }] },
    ]);
  });

  it('lets the HPA own the replica count', () => {
    expect(find(manifests, 'Deployment').spec.replicas).toBeUndefined();
    expect(find(manifests, 'HorizontalPodAutoscaler').spec).toMatchObject({
      minReplicas: 2,
      maxReplicas: 6,
    });
  });

  it('scales on CPU and memory with the behavior given, as written', () => {
    const spec = find(manifests, 'HorizontalPodAutoscaler').spec;
    expect(spec.metrics).toEqual([
      {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
      },
      {
        type: 'Resource',
        resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } },
      },
    ]);
    expect(spec.behavior).toEqual({
      scaleDown: {
        stabilizationWindowSeconds: 60,
        policies: [{ type: 'Pods', value: 1, periodSeconds: 30 }],
      },
    });
  });

  it("still admits this release's helm test Pod when the NetworkPolicy names its peers", () => {
    const from = find(manifests, 'NetworkPolicy').spec.ingress[0].from as Manifest[];
    expect(from).toContainEqual({
      podSelector: {
        matchLabels: {
          'app.kubernetes.io/instance': 'spec',
          'app.kubernetes.io/component': 'helm-test',
        },
      },
    });
  });
});

describe('the helm test Pod', () => {
  const pod = find(render(), 'Pod', '-test');
  const smoke = pod.spec.containers[0];

  it('is a test hook that is deleted before a rerun and after it passes', () => {
    expect(pod.metadata.annotations).toMatchObject({
      'helm.sh/hook': 'test',
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
    });
  });

  it('runs node from the API image against the Service, with the token file of the Secret', () => {
    expect(smoke.image).toBe('sidecar-api:0.1.0');
    expect(smoke.command.slice(0, 2)).toEqual(['node', '-e']);
    expect(smoke.command[2]).toContain("'/api/hello'");
    expect(smoke.env).toContainEqual({ name: 'BASE_URL', value: 'http://spec-sidecar:80' });
    expect(pod.spec.volumes[0].secret.secretName).toBe('spec-sidecar');
  });

  it('meets the restricted Pod Security Standard itself', () => {
    expect(pod.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(smoke.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });
});
