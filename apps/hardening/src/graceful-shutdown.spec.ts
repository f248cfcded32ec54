import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  docker,
  probeOnce,
  renderChartPod,
  startDockerPod,
  type DockerPod,
  type HttpProbe,
} from '@sidecar/pod';
import { startLoad, type Result } from '@sidecar/testkit';
import { containerLogs } from './harness/container-logs';
import { waitUntilFree } from './harness/ports';

/**
 * SIGTERM to the API container of the chart's Pod on Docker while load runs. There is no
 * endpoints controller here, so the load generator plays the Service: it probes the API's
 * readiness as the chart's readinessProbe says (period, threshold) and stops sending new
 * requests to this Pod once the probe fails, as kube-proxy would once the endpoint is gone.
 * Every request sent before that moment, and every one in flight at the SIGTERM, must succeed;
 * the API must then drain and exit 0.
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
 */
const token = randomBytes(16).toString('hex');
let pod: DockerPod | undefined;
afterAll(async () => {
  await pod?.stop();
});

it('completes every request sent before readiness failed, then the API exits 0', async () => {
  const values = { 'auth.tokens[0]': token };
  await waitUntilFree(
    renderChartPod(values).containers.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort)),
  );
  pod = await startDockerPod({ token, namePrefix: 'sidecar-hardening' });
  const apiSpec = pod.pod.containers.find((c) => c.name === 'api');
  const readiness = apiSpec?.readinessProbe as HttpProbe;
  const shutdownDelayMs = Number(
    apiSpec?.env?.find((entry) => entry.name === 'SHUTDOWN_DELAY_MS')?.value,
  );
  expect(readiness).toBeDefined();
  const api = pod.containerName('api');

  // The protected GET and a POST in turn, as fast as 8 keep-alive connections are answered;
  // every request's send and answer time kept.
  const authorization = `Bearer ${token}`;
  const load = startLoad({
    targets: [
      { url: `${pod.baseUrl}/api/hello`, headers: { authorization } },
      {
        method: 'POST',
        url: `${pod.baseUrl}/api/greetings`,
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'drain' }),
      },
    ],
    workers: 8,
    keepResults: true,
  });
  // The Service: probe as the kubelet does; on `failureThreshold` failures in a row, stop routing.
  let readinessFailedAt: number | undefined;
  const service = (async () => {
    const periodMs = (readiness.periodSeconds ?? 10) * 1_000;
    let failures = 0;
    while (readinessFailedAt === undefined) {
      const result = await probeOnce(readiness, apiSpec?.ports ?? [], '127.0.0.1');
      failures = result.ok ? 0 : failures + 1;
      if (failures >= (readiness.failureThreshold ?? 3)) {
        readinessFailedAt = Date.now();
        await load.stop();
        return;
      }
      await sleep(periodMs);
    }
  })();

  // Let the load settle, then stop the API the way the kubelet does.
  await sleep(2_000);
  const sigtermAt = Date.now();
  await docker('kill', '--signal', 'SIGTERM', api);
  const exitCode = Number(await docker('wait', api));
  const exitedAfterMs = Date.now() - sigtermAt;
  await service;
  const outcomes = load.results;
  const failedAt = readinessFailedAt ?? Number.POSITIVE_INFINITY;
  // vegeta stops on a signal, a few ms after the probe failed (kube-proxy too takes a moment).
  const lastSentAt = outcomes.reduce((last, o) => Math.max(last, o.sentAt), 0);

  // What a client would have met had traffic not moved away: the API is gone.
  const afterExit = await fetch(`${pod.baseUrl}/api/hello`, {
    headers: { Authorization: `Bearer ${token}` },
  });

  const ok = (o: Result) => o.status >= 200 && o.status < 300;
  const inFlightAtSigterm = outcomes.filter((o) => o.sentAt <= sigtermAt && o.doneAt >= sigtermAt);
  const sentWhileDraining = outcomes.filter((o) => o.sentAt >= sigtermAt && o.sentAt < failedAt);
  const failed = outcomes.filter((o) => !ok(o));
  const apiLog = await containerLogs(api);
  console.log(
    `[graceful shutdown, Docker Pod] ${outcomes.length} requests sent; ${inFlightAtSigterm.length} in flight at SIGTERM; ` +
      `${sentWhileDraining.length} sent between SIGTERM and the readiness probe failing ` +
      `(${failedAt - sigtermAt} ms after SIGTERM, probe period ${readiness.periodSeconds}s); ` +
      `the last sent ${Math.round(lastSentAt - failedAt)} ms after the probe failed; ` +
      `${failed.length} failed ${JSON.stringify(failed.slice(0, 5))}; API exited ${exitCode} after ${exitedAfterMs} ms ` +
      `(SHUTDOWN_DELAY_MS ${shutdownDelayMs}); a request after the exit: ${afterExit.status}`,
  );

  expect(readinessFailedAt).toBeDefined();
  expect(inFlightAtSigterm.length).toBeGreaterThan(0);
  expect(sentWhileDraining.length).toBeGreaterThan(0);
  // Routing stopped while the API still served: nothing was sent to a closed listener.
  expect(lastSentAt).toBeLessThan(sigtermAt + shutdownDelayMs);
  expect(lastSentAt - failedAt).toBeLessThan(1_000);
  expect(failed).toEqual([]);
  // Readiness failed while the API still served: the delay gives the probe time to notice.
  expect(failedAt).toBeLessThan(sigtermAt + shutdownDelayMs);
  expect(exitCode).toBe(0);
  expect(exitedAfterMs).toBeGreaterThanOrEqual(shutdownDelayMs);
  expect(apiLog).toContain('drained: every in-flight request completed');
  // The model matters: a client still sending after the exit would have been refused.
  expect(afterExit.status).toBe(502);

  // Neither container wrote the token to its log, through the whole run and the shutdown.
  for (const container of ['api', 'nginx']) {
    const log = await containerLogs(pod.containerName(container));
    expect({ container, leaks: log.includes(token) }).toEqual({ container, leaks: false });
  }

  // NGINX stops last, gracefully too; the API's code stays the one it exited with.
  const codes = await pod.stop();
  pod = undefined;
  expect(codes).toEqual({ api: 0, nginx: 0, 'nginx-exporter': 0 });
});
