import { renderError, tokens } from './render';

describe('values the chart refuses, with a message that names the problem', () => {
  it.each([
    [
      'a negative replica count',
      { replicaCount: -1 },
      "at '/replicaCount': minimum: got -1, want 1",
    ],
    [
      'a port of the wrong type',
      { api: { port: 'three thousand' } },
      "at '/api/port': got string, want integer",
    ],
    ['an unknown top-level key', { replicas: 3 }, "additional properties 'replicas' not allowed"],
    [
      'an unknown nested key',
      { nginx: { prestop: 5 } },
      "at '/nginx': additional properties 'prestop' not allowed",
    ],
    [
      'a Service type outside the enum',
      { service: { type: 'ExternalName' } },
      "at '/service/type': value must be one of 'ClusterIP', 'NodePort', 'LoadBalancer'",
    ],
    [
      'a container that may run as root',
      { api: { securityContext: { runAsNonRoot: false, allowPrivilegeEscalation: false } } },
      "at '/api/securityContext/runAsNonRoot': value must be true",
    ],
    [
      'the extraEnv of an earlier version, at the top level (now api.extraEnv)',
      { extraEnv: [{ name: 'A', value: 'b' }] },
      "additional properties 'extraEnv' not allowed",
    ],
    [
      'an extra container without an image',
      { extraContainers: [{ name: 'shipper' }] },
      "at '/extraContainers/0': missing property 'image'",
    ],
    [
      'a strategy Kubernetes does not know',
      { strategy: { type: 'BlueGreen' } },
      "at '/strategy/type': value must be one of 'RollingUpdate', 'Recreate'",
    ],
    [
      'a digest that is not one',
      { api: { image: { digest: 'latest' } } },
      "at '/api/image/digest'",
    ],
    [
      'a token short enough to guess',
      { auth: { tokens: ['short'] } },
      "at '/auth/tokens/0': minLength: got 5, want 16",
    ],
  ])('refuses %s through the schema', (_what, values, message) => {
    const error = renderError([tokens, values]);
    expect(error).toContain("values don't meet the specifications of the schema");
    expect(error).toContain(message);
  });

  it('refuses a render without API tokens, saying how to give them', () => {
    expect(renderError([])).toMatch(/set auth\.tokens .* or auth\.existingSecret/);
  });

  it('lists every cross-value problem at once', () => {
    const error = renderError([
      tokens,
      {
        api: { port: 8080, shutdownDelayMs: 1000 },
        terminationGracePeriodSeconds: 5,
        autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 2 },
      },
    ]);
    expect(error).toContain('api.port and nginx.port are both 8080');
    expect(error).toContain(
      'api.shutdownDelayMs (1000) must be at least nginx.preStopSleepSeconds (5) x 1000',
    );
    expect(error).toContain('terminationGracePeriodSeconds (5) must exceed');
    expect(error).toContain('minReplicas (5) exceeds maxReplicas (2)');
  });
});
