import {
  accessLogLine,
  API_TOKEN,
  freePort,
  request,
  startApi,
  startNginx,
  startSilentServer,
  type ApiProcess,
  type NginxHandle,
  type Response,
} from '@sidecar/testkit';

// Small limits through the template variables, the way an operator would set them.
const BURST = 2;
const LIMITS = {
  // One request a minute: the bucket does not refill while the test runs.
  NGINX_PUBLIC_RATE: '1r/m',
  NGINX_PUBLIC_BURST: String(BURST),
  NGINX_CLIENT_MAX_BODY_SIZE: '1k',
  NGINX_PROXY_READ_TIMEOUT: '1s',
};

function expectProblem(res: Response, status: number): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('application/problem+json');
  expect(JSON.parse(res.text)).toMatchObject({ type: 'about:blank', status });
}

describe('in front of the API', () => {
  let api: ApiProcess;
  let nginx: NginxHandle;
  beforeAll(async () => {
    const apiPort = await freePort();
    api = await startApi(apiPort);
    nginx = await startNginx({ nginxPort: await freePort(), apiPort, env: LIMITS });
  });
  afterAll(async () => {
    await nginx?.stop();
    await api?.stop();
  });

  it('rate-limits /public/ per client with a burst, answering 429 problem+json', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < BURST + 3; i += 1) {
      last = await request(`${nginx.url}/public/hello`);
      statuses.push(last.status);
    }
    expect(statuses).toEqual([...Array<number>(BURST + 1).fill(200), 429, 429]);
    expectProblem(last as Response, 429);
  });

  it('leaves /api/ out of the /public/ rate limit', async () => {
    for (let i = 0; i < BURST + 3; i += 1) {
      const res = await request(`${nginx.url}/api/hello`, {
        headers: { Authorization: `Bearer ${API_TOKEN}` },
      });
      expect(res.status).toBe(200);
    }
  });

  it('refuses a body over client_max_body_size with 413 problem+json, before the API', async () => {
    const res = await request(`${nginx.url}/api/greetings`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${API_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(2048) }),
    });
    expectProblem(res, 413);
    expect((await accessLogLine(nginx, String(res.headers['x-request-id']))).upstreamAddress).toBe(
      '',
    );
  });
});

describe('in front of an API that never answers', () => {
  let silent: { stop(): Promise<void> };
  let nginx: NginxHandle;
  beforeAll(async () => {
    const apiPort = await freePort();
    silent = await startSilentServer(apiPort);
    nginx = await startNginx({ nginxPort: await freePort(), apiPort, env: LIMITS });
  });
  afterAll(async () => {
    await nginx?.stop();
    await silent?.stop();
  });

  it('gives up after proxy_read_timeout with 504 problem+json', async () => {
    const started = Date.now();
    const res = await request(`${nginx.url}/public/hello`);
    const elapsed = Date.now() - started;
    expectProblem(res, 504);
    expect(JSON.parse(res.text).title).toBe('Gateway Timeout');
    // NGINX_PROXY_READ_TIMEOUT is 1s here; the default is 30s.
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(elapsed).toBeLessThan(5_000);
    const line = await accessLogLine(nginx, String(res.headers['x-request-id']));
    expect(line).toMatchObject({ status: 504, upstreamStatus: '504' });
  });
});
