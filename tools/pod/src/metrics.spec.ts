import { randomBytes } from 'node:crypto';
import { request, waitFor } from '@sidecar/testkit';
import { startDockerPod, type DockerPod } from './docker-pod';
import { promtoolCheckMetrics, startPrometheus, type Prometheus } from './prometheus';

/**
 * The chart's Pod on Docker (its three containers: NGINX, the API and NGINX's exporter), scraped
 * by a real Prometheus. After a known number of requests through NGINX, Prometheus holds exactly
 * that count for the route, with its latency histogram, and NGINX's own request counter has moved
 * by at least as much. Both /metrics pages pass promtool's lint.
 */
describe("the Pod's metrics, scraped by Prometheus", () => {
  const token = randomBytes(16).toString('hex');
  const REQUESTS = 25;
  let pod: DockerPod;
  let prometheus: Prometheus;
  let apiMetrics: string;
  let nginxMetrics: string;

  const portOf = (container: string) => {
    const port = pod.pod.containers.find((c) => c.name === container)?.ports?.[0]?.containerPort;
    if (port === undefined) throw new Error(`the chart's Pod has no ${container} port`);
    return port;
  };
  /** The one sample of a query that sums to a single series. */
  const value = async (promql: string) => {
    const samples = await prometheus.query(promql);
    return samples.length === 1 ? samples[0]?.value : undefined;
  };

  beforeAll(async () => {
    pod = await startDockerPod({ token, namePrefix: 'sidecar-metrics' });
    apiMetrics = `127.0.0.1:${portOf('api')}`;
    nginxMetrics = `127.0.0.1:${portOf('nginx-exporter')}`;
    prometheus = await startPrometheus([
      { job: 'api', address: apiMetrics },
      { job: 'nginx', address: nginxMetrics },
    ]);
    await prometheus.targetsUp();
  }, 120_000);
  afterAll(async () => {
    await prometheus?.stop();
    await pod?.stop();
  });

  it('counts exactly the requests sent through NGINX, by route template, with their latencies', async () => {
    // NGINX's counter before, once Prometheus has a sample of it.
    let nginxBefore: number | undefined;
    await waitFor(
      "a sample of NGINX's request counter",
      async () => {
        nginxBefore = await value('sum(nginx_http_requests_total)');
        return nginxBefore;
      },
      30_000,
    );
    for (let i = 0; i < REQUESTS; i++) {
      const res = await request(`${pod.baseUrl}/api/hello`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
    }
    const series = 'route="/api/hello",method="GET",status_class="2xx"';
    await waitFor(
      `${REQUESTS} requests in Prometheus`,
      async () => {
        const count = await value(`sum(http_requests_total{${series}})`);
        return count === REQUESTS ? count : undefined;
      },
      30_000,
    );
    expect(await value(`sum(http_request_duration_seconds_count{${series}})`)).toBe(REQUESTS);
    expect(await value(`sum(http_request_duration_seconds_bucket{${series},le="+Inf"})`)).toBe(
      REQUESTS,
    );
    // Every request of this route lands in a finite bucket: the histogram is filled, not empty.
    expect(await value(`sum(http_request_duration_seconds_bucket{${series},le="10"})`)).toBe(
      REQUESTS,
    );
    // The exporter is scraped on its own schedule: wait for a sample taken after the requests.
    const nginxAfter = await waitFor(
      "NGINX's request counter to move",
      async () => {
        const after = await value('sum(nginx_http_requests_total)');
        return after !== undefined && after - nginxBefore! >= REQUESTS ? after : undefined;
      },
      30_000,
    );
    expect(nginxAfter - nginxBefore!).toBeGreaterThanOrEqual(REQUESTS);
    process.stdout.write(
      `Prometheus: http_requests_total{${series}} = ${REQUESTS}; nginx_http_requests_total moved by ${nginxAfter - nginxBefore!}\n`,
    );
  }, 60_000);

  it("scrapes Node's process and event-loop metrics and NGINX's connections", async () => {
    expect(await value('nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(await value('process_resident_memory_bytes{job="api"}')).toBeGreaterThan(0);
    expect(await value('nginx_up')).toBe(1);
    expect(await value('nginx_connections_active')).toBeGreaterThanOrEqual(1);
  });

  it("serves the API's /metrics page clean by promtool check metrics", async () => {
    const page = await request(`http://${apiMetrics}/metrics`);
    expect(page.status).toBe(200);
    expect(await promtoolCheckMetrics(page.text)).toEqual([]);
  });

  it("serves NGINX's metrics, whose only promtool findings are the exporter's own counter names", async () => {
    const page = await request(`http://${nginxMetrics}/metrics`);
    expect(page.status).toBe(200);
    // nginx-prometheus-exporter names two counters without the `_total` suffix; they are its
    // published names (dashboards use them), not this template's to change.
    expect(await promtoolCheckMetrics(page.text)).toEqual([
      'nginx_connections_accepted counter metrics should have "_total" suffix',
      'nginx_connections_handled counter metrics should have "_total" suffix',
    ]);
  });

  it('never serves the API metrics through NGINX', async () => {
    expect((await request(`${pod.baseUrl}/metrics`)).status).toBe(404);
  });
});
