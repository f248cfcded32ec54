import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { resolve } from 'node:path';

/**
 * main.ts as the container runs it: the built bundle, a real port, real signals, exit codes.
 * The `test` target depends on `build`, so the bundle is the one this commit produces.
 */
const MAIN = resolve(__dirname, '../../../dist/apps/api/main.js');
const TOKEN = 'process-test-token-9f8e7d';

interface Running {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

async function startApi(env: Record<string, string>): Promise<Running> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npx nx build api\` first`);
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, PORT: '0', API_TOKENS: TOKEN, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`the API did not start:\n${output}`)), 10_000);
    child.stdout.on('data', () => {
      const match = /"port":(\d+).*"msg":"listening"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolvePort(Number(match[1]));
      }
    });
    exited.then(() => reject(new Error(`the API exited before listening:\n${output}`)));
  });
  return { child, port, output: () => output, exited };
}

/** Starts POST /api/greetings but holds back the end of its body until finish() is called. */
function slowGreeting(port: number) {
  const body = JSON.stringify({ name: 'Grace' });
  const req = httpRequest({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/api/greetings',
    agent: false,
    headers: {
      Authorization: `Bearer ${TOKEN}`,
      'Content-Type': 'application/json',
      'Content-Length': body.length,
    },
  });
  const response = new Promise<{ status: number; body: string }>((resolveResponse, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolveResponse({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
  });
  const connected = new Promise<void>((resolveConnected) =>
    req.on('socket', (socket) => socket.once('connect', () => resolveConnected())),
  );
  req.write(body.slice(0, 5));
  return { response, connected, finish: () => req.end(body.slice(5)) };
}

function status(port: number, path: string): Promise<number> {
  return fetch(`http://127.0.0.1:${port}${path}`).then((res) => res.status);
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the API process', () => {
  it('exits 78 naming the bad variable when the configuration is invalid', async () => {
    const child = spawn(process.execPath, [MAIN], { env: { PORT: 'eighty', LOG_LEVEL: 'chatty' } });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    expect(code).toBe(78);
    expect(stderr).toMatch(/PORT: .*"eighty"/);
    expect(stderr).toMatch(/LOG_LEVEL: .*"chatty"/);
  });

  it('drains on SIGTERM: readiness fails, the in-flight request completes, exit 0', async () => {
    const api = await startApi({ SHUTDOWN_DELAY_MS: '400', SHUTDOWN_TIMEOUT_MS: '5000' });
    expect(await status(api.port, '/readyz')).toBe(200);
    const greeting = slowGreeting(api.port);
    await greeting.connected;

    api.child.kill('SIGTERM');
    await waitFor('readiness to fail', async () => (await status(api.port, '/readyz')) === 503);
    greeting.finish();

    await expect(greeting.response).resolves.toEqual({
      status: 201,
      body: expect.stringContaining('Hello, Grace!'),
    });
    await expect(api.exited).resolves.toBe(0);
    expect(api.output()).toMatch(/"msg":"drained: every in-flight request completed"/);
  });

  it('exits 1 when an in-flight request outlives SHUTDOWN_TIMEOUT_MS', async () => {
    const api = await startApi({ SHUTDOWN_TIMEOUT_MS: '300' });
    const greeting = slowGreeting(api.port);
    greeting.response.catch(() => undefined); // its connection is cut: that is the point
    await waitFor(
      'the API to accept the request',
      async () => (await status(api.port, '/readyz')) === 200,
    );

    api.child.kill('SIGTERM');
    await expect(api.exited).resolves.toBe(1);
    expect(api.output()).toMatch(/drain timed out/);
  });

  it('never writes a token to its output', async () => {
    const api = await startApi({});
    await fetch(`http://127.0.0.1:${api.port}/api/hello`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    await fetch(`http://127.0.0.1:${api.port}/api/hello`, {
      headers: { Authorization: 'Bearer a-wrong-token-value' },
    });
    api.child.kill('SIGTERM');
    await expect(api.exited).resolves.toBe(0);
    expect(api.output()).toMatch(/request completed/);
    expect(api.output()).not.toContain(TOKEN);
    expect(api.output()).not.toContain('a-wrong-token-value');
  });

  it('says how its start was spent on the listening line', async () => {
    const api = await startApi({});
    api.child.kill('SIGTERM');
    await api.exited;
    const line = api
      .output()
      .split('\n')
      .map((text) => (text.startsWith('{') ? JSON.parse(text) : {}))
      .find((entry) => entry.msg === 'listening');
    const { load, config, listen, total } = line.startupMs;
    for (const phase of [load, config, listen]) expect(phase).toBeGreaterThanOrEqual(0);
    expect(load).toBeGreaterThan(0);
    expect(Math.abs(total - (load + config + listen))).toBeLessThan(0.5);
  });
});
