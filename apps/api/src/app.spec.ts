import request from 'supertest';
import { TEST_TOKEN, buildTestApp } from './testing/build-test-app';

const bearer = `Bearer ${TEST_TOKEN}`;
const PROBLEM = /^application\/problem\+json/;

describe('GET /', () => {
  it('keeps the original contract', async () => {
    const res = await request(buildTestApp().app).get('/').expect(200);
    expect(res.text).toBe('Hello from Express!');
  });
});

describe('/public', () => {
  it('greets without a token, with the request id', async () => {
    const res = await request(buildTestApp().app).get('/public/hello').expect(200);
    expect(res.body).toEqual({
      message: 'Hello from the public API!',
      requestId: res.headers['x-request-id'],
    });
  });

  it('serves the OpenAPI document', async () => {
    const res = await request(buildTestApp().app).get('/public/openapi.json').expect(200);
    expect(res.body.openapi).toBe('3.1.0');
  });

  it('answers 304 for the OpenAPI document a client already has', async () => {
    const { app } = buildTestApp();
    const first = await request(app).get('/public/openapi.json').expect(200);
    expect(first.headers.etag).toMatch(/^"[\w-]{43}"$/);
    await request(app)
      .get('/public/openapi.json')
      .set('If-None-Match', String(first.headers.etag))
      .expect(304, '');
  });

  it('sends no ETag with answers that carry a request id, since none could ever match', async () => {
    const res = await request(buildTestApp().app).get('/public/hello').expect(200);
    expect(res.headers.etag).toBeUndefined();
  });

  it('answers 405 with Allow for another method', async () => {
    const res = await request(buildTestApp().app).delete('/public/hello').expect(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(res.headers['content-type']).toMatch(PROBLEM);
  });
});

describe('/api authentication', () => {
  it('accepts a configured token', async () => {
    const res = await request(buildTestApp().app)
      .get('/api/hello')
      .set('Authorization', bearer)
      .expect(200);
    expect(res.body.message).toBe('Hello from the protected API!');
  });

  it('accepts any of several tokens, from the environment and from a file', async () => {
    const { app } = buildTestApp({ API_TOKENS: 'first,second' });
    await request(app).get('/api/hello').set('Authorization', 'Bearer second').expect(200);
    await request(app).get('/api/hello').set('Authorization', 'bearer first').expect(200);
  });

  it.each([
    ['no header', undefined, 'Bearer realm="api"'],
    ['another scheme', `Basic ${Buffer.from('a:b').toString('base64')}`, 'Bearer realm="api"'],
    ['an empty bearer', 'Bearer ', 'Bearer realm="api"'],
    ['a wrong token', 'Bearer not-the-token', 'Bearer realm="api", error="invalid_token"'],
    [
      'a prefix of the token',
      `Bearer ${TEST_TOKEN.slice(0, 5)}`,
      'Bearer realm="api", error="invalid_token"',
    ],
  ])('answers 401 problem+json with WWW-Authenticate for %s', async (_case, header, challenge) => {
    const call = request(buildTestApp().app).get('/api/hello');
    const res = await (header === undefined ? call : call.set('Authorization', header)).expect(401);
    expect(res.headers['www-authenticate']).toBe(challenge);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({ status: 401, title: 'Unauthorized', instance: '/api/hello' });
  });

  it('rejects every request when no token is configured', async () => {
    const { app } = buildTestApp({ API_TOKENS: '' });
    await request(app).get('/api/hello').set('Authorization', 'Bearer ').expect(401);
    await request(app).get('/api/hello').set('Authorization', 'Bearer anything').expect(401);
  });

  it('guards unknown /api routes too, so they reveal nothing without a token', async () => {
    await request(buildTestApp().app).get('/api/nothing-here').expect(401);
    await request(buildTestApp().app)
      .get('/api/nothing-here')
      .set('Authorization', bearer)
      .expect(404);
  });
});

describe('POST /api/greetings', () => {
  const post = () =>
    request(buildTestApp().app).post('/api/greetings').set('Authorization', bearer);

  it('creates a greeting from a valid body', async () => {
    const res = await post().send({ name: '  Ada ' }).expect(201);
    expect(res.body).toEqual({ greeting: 'Hello, Ada!', requestId: res.headers['x-request-id'] });
  });

  it('answers 400 for malformed JSON', async () => {
    const res = await post().set('Content-Type', 'application/json').send('{"name":').expect(400);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body.detail).toBe('The request body is not valid JSON.');
  });

  it('answers 413 for a body over the limit', async () => {
    const { app } = buildTestApp({ BODY_LIMIT: '64b' });
    const res = await request(app)
      .post('/api/greetings')
      .set('Authorization', bearer)
      .send({ name: 'x'.repeat(100) })
      .expect(413);
    expect(res.body).toMatchObject({ status: 413, title: 'Content Too Large' });
  });

  it('reads no body before the token is checked', async () => {
    const res = await request(buildTestApp().app)
      .post('/api/greetings')
      .set('Content-Type', 'application/json')
      .send('{"name":')
      .expect(401);
    expect(res.headers['content-type']).toMatch(PROBLEM);
  });

  it('answers 415 for a body that is not JSON', async () => {
    const res = await post().set('Content-Type', 'text/plain').send('name=Ada').expect(415);
    expect(res.headers['content-type']).toMatch(PROBLEM);
  });

  it.each([
    ['a missing name', {}, '/name'],
    ['an empty name', { name: '   ' }, '/name'],
    ['a name that is not a string', { name: 42 }, '/name'],
    ['a name too long', { name: 'x'.repeat(101) }, '/name'],
    ['an unknown key', { name: 'Ada', admin: true }, '/'],
  ])('answers 422 naming the field for %s', async (_case, body, path) => {
    const res = await post().send(body).expect(422);
    expect(res.body.status).toBe(422);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  });

  it('answers 405 for GET', async () => {
    const res = await request(buildTestApp().app)
      .get('/api/greetings')
      .set('Authorization', bearer)
      .expect(405);
    expect(res.headers.allow).toBe('POST');
  });
});

describe('errors', () => {
  it('answers 404 problem+json for an unknown route', async () => {
    const res = await request(buildTestApp().app).get('/nowhere').expect(404);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.body).toMatchObject({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      instance: '/nowhere',
    });
  });

  it('answers 500 without a stack trace, and logs the error', async () => {
    const { app, logLines } = buildTestApp();
    // An unexpected fault inside a route: serializing its JSON answer throws.
    app.set('json replacer', () => {
      throw new Error('secret detail');
    });
    const res = await request(app).get('/public/hello').expect(500);
    expect(res.headers['content-type']).toMatch(PROBLEM);
    expect(res.text).not.toMatch(/secret detail|at .*\.ts/);
    expect(res.body.detail).toMatch(/request id/);
    expect(
      logLines().some(
        (line) => line.msg === 'unhandled error' && line.err.message === 'secret detail',
      ),
    ).toBe(true);
  });
});

describe('behind the sidecar', () => {
  it('echoes a valid X-Request-ID and generates one otherwise', async () => {
    const { app } = buildTestApp();
    const given = await request(app)
      .get('/public/hello')
      .set('X-Request-ID', 'abc-123')
      .expect(200);
    expect(given.headers['x-request-id']).toBe('abc-123');
    expect(given.body.requestId).toBe('abc-123');
    const generated = await request(app)
      .get('/public/hello')
      .set('X-Request-ID', 'bad id with spaces')
      .expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('does not advertise Express', async () => {
    const res = await request(buildTestApp().app).get('/');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('trusts X-Forwarded-For only from loopback, where the sidecar is', () => {
    const trusts = buildTestApp().app.get('trust proxy fn') as (
      address: string,
      hop: number,
    ) => boolean;
    expect(trusts('127.0.0.1', 0)).toBe(true);
    expect(trusts('::1', 0)).toBe(true);
    expect(trusts('203.0.113.9', 0)).toBe(false);
  });
});

describe('probes', () => {
  it('reports liveness', async () => {
    await request(buildTestApp().app).get('/healthz').expect(200, { status: 'ok' });
  });

  it('reports readiness by state', async () => {
    const { app, readiness } = buildTestApp();
    await request(app).get('/readyz').expect(200, { status: 'ready' });
    readiness.markDraining();
    await request(app).get('/readyz').expect(503, { status: 'draining' });
  });
});
