import request from 'supertest';
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
