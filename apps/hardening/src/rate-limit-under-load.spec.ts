import { randomBytes } from 'node:crypto';
import { describeLoad, readNginxDefaults, runLoad, waitFor } from '@sidecar/testkit';
import { accessLog, startSidecar, type Sidecar } from './harness/sidecar';

/**
 * A flood on /public/ with the image's own rate limit (docker/nginx/defaults.env NGINX_PUBLIC_RATE
 * and NGINX_PUBLIC_BURST): NGINX sheds the excess with 429s, quickly, and the API sees exactly
 * the requests NGINX let through. (docker/nginx's limits.spec.ts checks the 429's shape.)
 */
const defaults = readNginxDefaults();
const RATE_PER_SECOND = Number(/^(\d+)r\/s$/.exec(defaults.NGINX_PUBLIC_RATE ?? '')?.[1]);
const BURST = Number(defaults.NGINX_PUBLIC_BURST);
let sidecar: Sidecar;
beforeAll(async () => {
  sidecar = await startSidecar({ token: randomBytes(16).toString('hex') });
});
afterAll(async () => {
  await sidecar?.stop();
});

it('sheds a flood on /public/ with 429s, and only the admitted requests reach the API', async () => {
  expect(RATE_PER_SECOND).toBeGreaterThan(0);
  // As fast as 16 connections are answered, for 3 s.
  const summary = await runLoad({
    targets: [{ url: `${sidecar.url}/public/hello` }],
    workers: 16,
    durationSeconds: 3,
  });
  // NGINX's access log, which reaches this process through a pipe: one line per request sent.
  const logLines = () => accessLog(sidecar).filter((line) => line.uri === '/public/hello');
  const lines = await waitFor('the access-log line of every request', () => {
    const found = logLines();
    return found.length >= summary.requests ? found : undefined;
  }).catch(logLines);
  const admitted = lines.filter((line) => line.status === 200);
  const shed = lines.filter((line) => line.status === 429);
  // The API logs one access-log line per request it served (apps/api request-logging.ts); they
  // reach this process through a pipe, so wait for them.
  const servedLines = () =>
    sidecar
      .apiLines()
      .filter((line) => line.includes('"path":"/public/hello"') && line.includes('"status":200'));
  const served = await waitFor('the API log lines', () => {
    const found = servedLines();
    return found.length >= admitted.length ? found : undefined;
  }).catch(() => servedLines());
  // Leaky bucket: the burst at once, then the rate. One more for the request that starts a
  // new interval at the very end.
  const ceiling = BURST + Math.ceil(RATE_PER_SECOND * summary.durationSeconds) + 1;
  console.log(
    `[rate limit under load] ${describeLoad(summary)}; NGINX admitted ${admitted.length} (ceiling ${ceiling} for ` +
      `${RATE_PER_SECOND} r/s, burst ${BURST}, ${summary.durationSeconds} s) and shed ${shed.length}; ` +
      `the API served ${served.length}`,
  );
  expect(summary.errors).toBe(0);
  // What the client saw is what NGINX logged: every request answered 200 or 429.
  expect(lines).toHaveLength(summary.requests);
  expect(summary.statuses).toEqual({ 200: admitted.length, 429: shed.length });
  expect(lines.length).toBe(admitted.length + shed.length);
  expect(admitted.length).toBeGreaterThanOrEqual(BURST);
  expect(admitted.length).toBeLessThanOrEqual(ceiling);
  expect(shed.length).toBeGreaterThan(admitted.length);
  expect(shed.filter((line) => line.upstreamAddress !== '')).toEqual([]);
  expect(served).toHaveLength(admitted.length);
});
