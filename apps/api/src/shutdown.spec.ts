import { once } from 'node:events';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { Readiness } from './readiness';
import { healthRoutes } from './routes/health';
import { closeConnectionsWhileDraining, drain } from './shutdown';

/**
 * Drains a real listening server. The slow route exists only here: it holds a request open
 * until the test releases it, so "in flight during shutdown" is a fact, not a race.
 */
async function startServer() {
  const readiness = new Readiness();
  readiness.markReady();
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let slowStarted: () => void = () => undefined;
  const slowArrived = new Promise<void>((resolve) => (slowStarted = resolve));
  const app = express();
  app.use(healthRoutes(readiness));
  app.get('/slow', async (_req, res) => {
    slowStarted();
    await released;
    res.send('finished');
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closeConnectionsWhileDraining(server, readiness);
  const { port } = server.address() as AddressInfo;
  return { server, readiness, port, release, slowArrived };
}

function get(
  port: number,
  path: string,
): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const quiet = pino({ level: 'silent' });

describe('drain', () => {
  it('lets an in-flight request finish, fails readiness meanwhile, then refuses connections', async () => {
    const { server, readiness, port, release, slowArrived } = await startServer();
    const inFlight = get(port, '/slow');
    await slowArrived;

    const draining = drain(server, readiness, { delayMs: 300, timeoutMs: 5_000, logger: quiet });
    const duringDelay = await get(port, '/readyz');
    expect(duringDelay.status).toBe(503);
    expect(JSON.parse(duringDelay.body)).toEqual({ status: 'draining' });
    expect(duringDelay.connection).toBe('close');

    // Once the delay is over the listener is closed: new connections are refused...
    await expect(pollUntilRefused(port)).resolves.toBe('ECONNREFUSED');
    // ...while the request accepted before keeps its connection and completes.
    release();
    await expect(inFlight).resolves.toMatchObject({ status: 200, body: 'finished' });
    await expect(draining).resolves.toBe('drained');
  });

  it('gives up after the timeout and reports it', async () => {
    const { server, readiness, port, slowArrived } = await startServer();
    const inFlight = get(port, '/slow').catch((error: NodeJS.ErrnoException) => error.code);
    await slowArrived;
    await expect(
      drain(server, readiness, { delayMs: 0, timeoutMs: 200, logger: quiet }),
    ).resolves.toBe('timed-out');
    // The connection that never finished was cut, not left hanging.
    await expect(inFlight).resolves.toBe('ECONNRESET');
  });
});

/** Polls until a connection is refused; returns the last outcome when the deadline passes. */
async function pollUntilRefused(port: number): Promise<string> {
  const deadline = Date.now() + 5_000;
  let outcome = 'not tried';
  while (Date.now() < deadline && outcome !== 'ECONNREFUSED') {
    outcome = await get(port, '/healthz').then(
      () => 'answered',
      // A connection caught in the listen backlog as it closes is reset: keep polling.
      (error: NodeJS.ErrnoException) => error.code ?? 'error',
    );
  }
  return outcome;
}
