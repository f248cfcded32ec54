import { randomBytes } from 'node:crypto';
import { request } from '@sidecar/testkit';
import { docker } from './docker';
import { startDockerPod, type DockerPod } from './docker-pod';

/**
 * Both images under uids they have never heard of, with gid 0, as OpenShift's restricted SCC
 * assigns them (the chart's ci/arbitrary-uid-values.yaml runs the same case on the cluster): the
 * Pod starts, passes its probes, serves and stops cleanly, so neither image depends on its own user.
 */
describe('the Docker Pod under arbitrary uids with gid 0', () => {
  const token = randomBytes(16).toString('hex');
  const UIDS = { api: 1000680000, nginx: 1000680001 };
  let pod: DockerPod;
  beforeAll(async () => {
    pod = await startDockerPod({
      token,
      namePrefix: 'sidecar-pod-uid',
      values: {
        'api.securityContext.runAsUser': UIDS.api,
        'api.securityContext.runAsGroup': 0,
        'nginx.securityContext.runAsUser': UIDS.nginx,
        'nginx.securityContext.runAsGroup': 0,
      },
    });
  }, 120_000);
  afterAll(async () => {
    await pod?.stop();
  });

  it('runs each container as the uid it was given, in group 0', async () => {
    for (const [container, uid] of Object.entries(UIDS)) {
      const ids = await docker(
        'exec',
        pod.containerName(container),
        'sh',
        '-c',
        'echo "$(id -u) $(id -g)"',
      );
      expect({ container, ids: ids.trim().split(/\s+/) }).toEqual({
        container,
        ids: [String(uid), '0'],
      });
    }
  });

  it('serves the static site and the API through NGINX', async () => {
    expect((await request(`${pod.baseUrl}/`)).status).toBe(200);
    const hello = await request(`${pod.baseUrl}/api/hello`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(hello.status).toBe(200);
  });

  it('stops every container gracefully, each exiting 0', async () => {
    expect(await pod.stop()).toEqual({ api: 0, nginx: 0, 'nginx-exporter': 0 });
  });
});
