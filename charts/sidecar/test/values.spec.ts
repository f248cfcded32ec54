import { renderError, tokens } from './render';

describe('values the chart refuses, with a message that names the problem', () => {
  it.each([
    ['a negative replica count', { replicaCount: -1 }, /replicaCount.*minimum|minimum.*replicaCount|replicaCount: must be >= 1/],
    ['a port of the wrong type', { api: { port: 'three thousand' } }, /api\/port|api\.port/],
    ['an unknown top-level key', { replicas: 3 }, /additional properties 'replicas' not allowed|additionalProperties.*replicas/],
    ['an unknown nested key', { nginx: { prestop: 5 } }, /additional properties 'prestop' not allowed|additionalProperties.*prestop/],
    ['a Service type outside the enum', { service: { type: 'ExternalName' } }, /service\/type|service\.type/],
    ['a root container', { api: { securityContext: { runAsNonRoot: false, allowPrivilegeEscalation: false } } }, /runAsNonRoot/],
  ])('refuses %s through the schema', (_what, values, message) => {
    const error = renderError([tokens, values]);
    expect(error).toMatch(/values don't meet the specifications of the schema|schema/);
    expect(error).toMatch(message);
  });

  it('refuses a render without API tokens, saying how to give them', () => {
    expect(renderError([])).toMatch(/set auth\.tokens .* or auth\.existingSecret/);
  });

  it('lists every cross-value problem at once', () => {
    const error = renderError([
      tokens,
      { api: { port: 8080, shutdownDelayMs: 1000 }, terminationGracePeriodSeconds: 5, autoscaling: { enabled: true, minReplicas: 5, maxReplicas: 2 } },
    ]);
    expect(error).toContain('api.port and nginx.port are both 8080');
    expect(error).toContain('api.shutdownDelayMs (1000) must be at least nginx.preStopSleepSeconds (5) x 1000');
    expect(error).toContain('terminationGracePeriodSeconds (5) must exceed');
    expect(error).toContain('minReplicas (5) exceeds maxReplicas (2)');
  });
});
