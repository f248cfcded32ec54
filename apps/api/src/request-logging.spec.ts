import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Response } from 'express';
import request from 'supertest';
import { requestLogging } from './request-logging';
import { TEST_TOKEN, buildTestApp } from './testing/build-test-app';

describe('access log', () => {
  it('writes one JSON line per request with request id, method, path, status and duration', async () => {
    const { app, logLines } = buildTestApp();
    await request(app).get('/public/hello').set('X-Request-ID', 'trace-me').expect(200);
    const line = logLines().find((entry) => entry.requestId === 'trace-me');
    expect(line).toMatchObject({
      msg: 'request completed',
      requestId: 'trace-me',
      req: { method: 'GET', path: '/public/hello' },
      res: { status: 200 },
    });
    expect(typeof line.durationMs).toBe('number');
  });

  it('never logs a token, valid or not', async () => {
    const { app, logLines } = buildTestApp();
    await request(app).get('/api/hello').set('Authorization', `Bearer ${TEST_TOKEN}`).expect(200);
    await request(app)
      .get('/api/hello')
      .set('Authorization', 'Bearer wrong-secret-value')
      .expect(401);
    await request(app)
      .post('/api/greetings')
      .set('Authorization', `Bearer ${TEST_TOKEN}`)
      .send('{')
      .type('json');
    const everything = JSON.stringify(logLines());
    expect(logLines().length).toBeGreaterThanOrEqual(3);
    expect(everything).not.toContain(TEST_TOKEN);
    expect(everything).not.toContain('wrong-secret-value');
  });
});

describe('req.log', () => {
  it('carries the request id, method and path on lines a route logs', async () => {
    const { app, logLines } = buildTestApp();
    app.set('json replacer', () => {
      throw new Error('logged through req.log');
    });
    await request(app).get('/public/hello').set('X-Request-ID', 'from-a-route').expect(500);
    const line = logLines().find((entry) => entry.msg === 'unhandled error');
    expect(line).toMatchObject({
      level: 50,
      requestId: 'from-a-route',
      req: { method: 'GET', path: '/public/hello' },
      err: { message: 'logged through req.log' },
    });
  });

  it('logs a request whose client went away before the answer as aborted', async () => {
    // A bare app with only the middleware: the template's own routes all answer at once.
    const { logger, logLines } = buildTestApp();
    const app = express();
    app.use(requestLogging(app, logger));
    let reached!: (res: Response) => void;
    const inRoute = new Promise<Response>((resolve) => (reached = resolve));
    app.get('/slow', (_req, res) => {
      reached(res);
      setTimeout(() => res.end(), 200);
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const client = http.get({
      host: '127.0.0.1',
      port,
      path: '/slow',
      headers: { 'X-Request-ID': 'gone' },
    });
    client.on('error', () => undefined);
    const res = await inRoute;
    client.destroy();
    await once(res, 'close');
    server.close();
    expect(logLines().find((entry) => entry.requestId === 'gone')).toMatchObject({
      level: 50,
      msg: 'request aborted',
      req: { method: 'GET', path: '/slow' },
    });
  });
});
