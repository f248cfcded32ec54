import { randomBytes } from 'node:crypto';
import { docker } from './docker';
import { startDockerPod, type DockerPod } from './docker-pod';
import { probeOnce, type HttpProbe } from './kubelet-probe';

/**
 * The probe contract: every startup, liveness and readiness probe the chart renders, for both
 * containers, performed as the kubelet would against the running Docker Pod. The `e2e` target
 * depends on both images' docker-build, so this is the Pod of this commit.
 */
describe('the Docker Pod', () => {
  const token = randomBytes(16).toString('hex');
  let pod: DockerPod;
  beforeAll(async () => {
    pod = await startDockerPod({ token, namePrefix: 'sidecar-pod-test' });
  });
  afterAll(async () => {
    await pod?.stop();
  });

  it('answers every probe of every container in the chart', async () => {
    // The Pod as the chart rendered it for this run: the probes are the chart's, not a copy.
    const probes = pod.pod.containers.flatMap((container) =>
      (['startupProbe', 'livenessProbe', 'readinessProbe'] as const)
        .filter((kind) => container[kind] !== undefined)
        .map((kind) => ({ container, kind, probe: container[kind] as HttpProbe })),
    );
    expect(probes.map(({ container, kind }) => `${container.name} ${kind}`).sort()).toEqual([
      'api livenessProbe',
      'api readinessProbe',
      'api startupProbe',
      'nginx livenessProbe',
      'nginx readinessProbe',
      'nginx startupProbe',
      'nginx-exporter livenessProbe',
      'nginx-exporter readinessProbe',
    ]);
    for (const { container, kind, probe } of probes) {
      const result = await probeOnce(probe, container.ports ?? [], '127.0.0.1');
      expect({ probe: `${container.name} ${kind}`, ...result }).toMatchObject({
        probe: `${container.name} ${kind}`,
        ok: true,
      });
    }
  });

  it('runs both containers as non-root, with read-only root filesystems', async () => {
    for (const container of pod.pod.containers) {
      const [user, readOnly] = (
        await docker(
          'inspect',
          '--format',
          '{{.Config.User}} {{.HostConfig.ReadonlyRootfs}}',
          pod.containerName(container.name),
        )
      ).split(' ');
      expect({ container: container.name, user, readOnly }).toEqual({
        container: container.name,
        user: expect.not.stringMatching(/^(0|root)?(:|$)/),
        readOnly: 'true',
      });
    }
  });

  it('serves through the sidecar with the token from the mounted Secret', async () => {
    const res = await fetch(`${pod.baseUrl}/api/hello`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
  });

  it('stops every container gracefully, each exiting 0', async () => {
    const codes = await pod.stop();
    expect(codes).toEqual({ api: 0, nginx: 0, 'nginx-exporter': 0 });
  });
});
