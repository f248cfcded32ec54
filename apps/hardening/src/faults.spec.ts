import { randomBytes } from 'node:crypto';
import { request, waitFor, type Response } from '@sidecar/testkit';
import { latencyOf, startClosedLoop } from './harness/closed-loop';
import { NO_PUBLIC_RATE_LIMIT, startSidecar, type Sidecar } from './harness/sidecar';
import { socketsWithUnreadBytes } from './harness/tcp-queue';

/**
 * Faults of the API behind the real NGINX: killed with requests in flight, too slow to answer,
 * and NGINX reloading its configuration under load. SIGSTOP freezes the real API process, so
 * requests provably sit in its socket (tcp-queue.ts) before the fault is injected.
 */
const token = randomBytes(16).toString('hex');
// The read timeout short, so that "slower than the timeout" costs one second here (30s default).
const READ_TIMEOUT_MS = 1_000;
let sidecar: Sidecar;
beforeAll(async () => {
  sidecar = await startSidecar({
    token,
    nginxEnv: { ...NO_PUBLIC_RATE_LIMIT, NGINX_PROXY_READ_TIMEOUT: `${READ_TIMEOUT_MS / 1_000}s` },
  });
});
afterAll(async () => {
  if (sidecar?.api.running()) sidecar.api.signal('SIGCONT');
  await sidecar?.stop();
});

const authorization = (): Record<string, string> => ({ Authorization: `Bearer ${token}` });
const inFlightRequests = (): Promise<Response>[] => [
  request(`${sidecar.url}/api/hello`, { headers: authorization() }),
  request(`${sidecar.url}/public/hello`),
  request(`${sidecar.url}/api/greetings`, {
    method: 'POST',
    headers: { ...authorization(), 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'in flight' }),
  }),
];

function expectProblem(res: Response, status: number): void {
  expect({ status: res.status, type: res.headers['content-type'] }).toEqual({
    status,
    type: 'application/problem+json',
  });
  expect(JSON.parse(res.text)).toMatchObject({ type: 'about:blank', status });
}

/** Every route answers as usual, `count` times in a row: no stale upstream connection left. */
async function expectServing(count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const statuses = (await Promise.all(inFlightRequests())).map((res) => res.status);
    expect(statuses).toEqual([200, 200, 201]);
  }
}

it('answers 502 problem+json at once for requests in flight when the API is killed, and recovers', async () => {
  await expectServing(3);
  sidecar.api.signal('SIGSTOP');
  const inFlight = inFlightRequests();
  await waitFor('the requests to sit in the stopped API', () =>
    socketsWithUnreadBytes(sidecar.apiPort) >= inFlight.length ? true : undefined,
  );
  const killedAt = Date.now();
  sidecar.api.signal('SIGKILL');
  const answers = await Promise.all(inFlight);
  const answeredAfterMs = Date.now() - killedAt;
  await sidecar.api.exited;

  const restartedAt = Date.now();
  await sidecar.restartApi();
  const recoveredAfterMs = Date.now() - restartedAt;
  await expectServing(20);
  console.log(
    `[fault: API killed] ${answers.length} requests in flight answered ${answers.map((r) => r.status).join(', ')} ` +
      `${answeredAfterMs} ms after the kill; API ready again after ${recoveredAfterMs} ms; then 60 requests, all served`,
  );
  for (const res of answers) expectProblem(res, 502);
  // "At once": the kernel resets the API's sockets, NGINX needs no timeout to notice.
  expect(answeredAfterMs).toBeLessThan(READ_TIMEOUT_MS);
});

it('answers 504 problem+json when the API is slower than the read timeout, and recovers', async () => {
  sidecar.api.signal('SIGSTOP');
  const started = Date.now();
  const slow = await request(`${sidecar.url}/api/hello`, { headers: authorization() });
  const elapsedMs = Date.now() - started;
  sidecar.api.signal('SIGCONT');
  await expectServing(20);
  console.log(
    `[fault: API too slow] ${slow.status} after ${elapsedMs} ms (read timeout ${READ_TIMEOUT_MS} ms); then 60 requests, all served`,
  );
  expectProblem(slow, 504);
  expect(elapsedMs).toBeGreaterThanOrEqual(READ_TIMEOUT_MS - 100);
  expect(elapsedMs).toBeLessThan(READ_TIMEOUT_MS + 3_000);
});

describe('with the default timeouts', () => {
  // Its own sidecar: on a busy machine, the short read timeout above would turn slow answers
  // under load into 504s that have nothing to do with the reload.
  let reloading: Sidecar;
  beforeAll(async () => {
    reloading = await startSidecar({ token, nginxEnv: NO_PUBLIC_RATE_LIMIT });
  });
  afterAll(async () => {
    await reloading?.stop();
  });

  it('drops no request while nginx -s reload runs under load', async () => {
    const sidecar = reloading;
    const RELOADS = 3;
    const before = sidecar.nginxPids();
    // A new connection per request, so that every request is one NGINX either reads or never
    // sees. A reload's old workers close the connections they accepted but have not read a
    // request from yet (no access-log line, nothing reaches the API); such a client sees its
    // connection close before any response and sends again on a new one (RFC 9112 section
    // 9.3.1). What a reload must not do is lose, fail or double a request it read.
    const load = startClosedLoop({ url: sidecar.url, token, concurrency: 16 });
    const generations = [before.workers];
    for (let i = 0; i < RELOADS; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await sidecar.reload();
      const previous = generations.at(-1) ?? [];
      // A reload is done when the master runs only new workers (the old ones drained and exited).
      generations.push(
        await waitFor(
          'new nginx workers',
          () => {
            const { workers } = sidecar.nginxPids();
            return workers.length > 0 && workers.every((pid) => !previous.includes(pid))
              ? workers
              : undefined;
          },
          10_000,
        ),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await load.stop();
    const failed = load.outcomes.filter((o) => o.status === undefined || o.status >= 300);
    const retried = load.outcomes.filter((o) => o.retried);
    const { p50, p99 } = latencyOf(load.outcomes);
    const nginxOther = sidecar.nginx.output.stdout.filter((line) => !/"status":20[01],/.test(line));
    const posts = load.outcomes.filter((o) => o.post).length;
    const createdLines = () => sidecar.apiLines().filter((line) => line.includes('"status":201'));
    const created = await waitFor('the API log line of every POST', () =>
      createdLines().length >= posts ? createdLines() : undefined,
    ).catch(createdLines);
    console.log(
      `[fault: nginx -s reload x${RELOADS} under load] ${load.outcomes.length} requests (${posts} POSTs), ` +
        `${retried.length} closed unread by an old worker and sent again, ${failed.length} failed ` +
        `${JSON.stringify(failed.slice(0, 5))}; NGINX logged ${nginxOther.length} answers other than 200/201; ` +
        `the API created ${created.length} greetings; latency p50 ${p50} ms, p99 ${p99} ms; ` +
        `worker pids ${generations.map((g) => g.join('+')).join(' -> ')}`,
    );
    expect(sidecar.nginxPids().master).toBe(before.master);
    expect(load.outcomes.length).toBeGreaterThan(0);
    expect(failed).toEqual([]);
    expect(nginxOther).toEqual([]);
    // Nothing was done twice: a request sent again had never reached the API.
    expect(created).toHaveLength(posts);
  });
});
