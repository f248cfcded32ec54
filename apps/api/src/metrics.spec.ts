import request from 'supertest';
import { TEST_TOKEN, buildTestApp } from './testing/build-test-app';

/** The value of one sample line of the Prometheus text format, or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const hello = 'method="GET",route="/public/hello",status_class="2xx"';

describe('GET /metrics', () => {
  it('counts and times requests by method, route template and status class', async () => {
    const { app } = buildTestApp();
    for (let i = 0; i < 3; i++) await request(app).get('/public/hello').expect(200);
    const text = (await request(app).get('/metrics').expect(200)).text;
    expect(sample(text, `http_requests_total{${hello}}`)).toBe(3);
    expect(sample(text, `http_request_duration_seconds_count{${hello}}`)).toBe(3);
    expect(sample(text, `http_request_duration_seconds_bucket{le="+Inf",${hello}}`)).toBe(3);
    expect(sample(text, 'http_requests_in_flight')).toBe(0);
  });

  it('labels a request no route matched `unmatched`, never with its path', async () => {
    const { app } = buildTestApp();
    await request(app).get('/public/no-such-page-4711').expect(404);
    const text = (await request(app).get('/metrics').expect(200)).text;
    expect(
      sample(text, 'http_requests_total{method="GET",route="unmatched",status_class="4xx"}'),
    ).toBe(1);
    expect(text).not.toContain('4711');
  });

  it("keeps the route's full template when the route ends in the error handler", async () => {
    const { app } = buildTestApp();
    await request(app)
      .post('/api/greetings')
      .set('Authorization', `Bearer ${TEST_TOKEN}`)
      .set('Content-Type', 'application/json')
      .send('{not json')
      .expect(400);
    const text = (await request(app).get('/metrics').expect(200)).text;
    expect(
      sample(text, 'http_requests_total{method="POST",route="/api/greetings",status_class="4xx"}'),
    ).toBe(1);
  });

  it("has Node's process, heap and event-loop metrics", async () => {
    const text = (await request(buildTestApp().app).get('/metrics').expect(200)).text;
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_gc_duration_seconds',
      'nodejs_active_handles',
      'nodejs_active_resources',
    ]) {
      // Declared, whether or not a sample exists yet (no GC may have run).
      expect(text).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    }
  });

  it("names no gauge with a counter's _total suffix (promtool's lint)", async () => {
    const text = (await request(buildTestApp().app).get('/metrics').expect(200)).text;
    const gauges = [...text.matchAll(/^# TYPE (\S+) gauge$/gm)].map((match) => match[1]);
    expect(gauges.filter((name) => name?.endsWith('_total'))).toEqual([]);
  });

  it('is neither counted nor logged itself', async () => {
    const { app, logLines } = buildTestApp();
    await request(app).get('/metrics').expect(200);
    const text = (await request(app).get('/metrics').expect(200)).text;
    expect(text).not.toContain('route="/metrics"');
    expect(logLines().filter((line) => line.msg === 'request completed')).toEqual([]);
  });

  it('is not there when METRICS_ENABLED=false', async () => {
    await request(buildTestApp({ METRICS_ENABLED: 'false' }).app)
      .get('/metrics')
      .expect(404);
  });
});
