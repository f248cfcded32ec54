import { call, withToken } from './pod';

/**
 * The contract a user meets at the sidecar's port, whatever runs the Pod: two local processes,
 * the Docker Pod, or a Kubernetes Service.
 */
const PROBLEM = /^application\/problem\+json/;
const JSON_TYPE = /^application\/json/;

describe('pages NGINX serves itself', () => {
  it('serves the landing page', async () => {
    const res = await call('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('Hello from NGINX!');
  });

  it('answers its own health check', async () => {
    const res = await call('/healthz');
    expect(res.status).toBe(200);
  });

  it('answers 404 for a path nobody serves', async () => {
    const res = await call('/no/such/page.html');
    expect(res.status).toBe(404);
  });

  it('sends the security headers and hides its version', async () => {
    const res = await call('/');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBeTruthy();
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get('server')).toBe('nginx');
  });
});

describe('routes NGINX passes to Express', () => {
  it('maps /express/ to the API root', async () => {
    const res = await call('/express/');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('Hello from Express!');
  });

  it('serves /public/hello without a token', async () => {
    const res = await call('/public/hello');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(JSON_TYPE);
    expect(await res.json()).toEqual({
      message: 'Hello from the public API!',
      requestId: res.headers.get('x-request-id'),
    });
  });

  it('serves the OpenAPI document', async () => {
    const res = await call('/public/openapi.json');
    expect(res.status).toBe(200);
    expect((await res.json()).openapi).toBe('3.1.0');
  });

  it('does not expose the API outside /api/, /public/ and /express/', async () => {
    // The API answers /readyz and /healthz itself; through the sidecar they are NGINX's.
    const res = await call('/readyz');
    expect(res.status).toBe(404);
  });
});

describe('request ids cross both containers', () => {
  it('passes a client-sent id to the API and back', async () => {
    const res = await call('/public/hello', { headers: { 'X-Request-ID': 'e2e-trace-0001' } });
    expect(res.headers.get('x-request-id')).toBe('e2e-trace-0001');
    expect((await res.json()).requestId).toBe('e2e-trace-0001');
  });

  it('generates one id when the client sends none, the same on both sides', async () => {
    const res = await call('/public/hello');
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect((await res.json()).requestId).toBe(id);
  });

  it('gives every request its own id', async () => {
    const ids = await Promise.all(
      [1, 2, 3].map(() => call('/public/hello').then((r) => r.headers.get('x-request-id'))),
    );
    expect(new Set(ids).size).toBe(3);
  });
});

describe('the protected API', () => {
  it('answers 401 problem+json with a challenge without a token', async () => {
    const res = await call('/api/hello');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(res.headers.get('content-type')).toMatch(PROBLEM);
    expect((await res.json()).status).toBe(401);
  });

  it('answers 401 for a wrong token', async () => {
    const res = await call('/api/hello', {
      headers: { Authorization: 'Bearer definitely-not-it' },
    });
    expect(res.status).toBe(401);
  });

  it('serves a token holder', async () => {
    const res = await call('/api/hello', withToken());
    expect(res.status).toBe(200);
    expect((await res.json()).message).toBe('Hello from the protected API!');
  });

  it('creates a greeting from JSON', async () => {
    const res = await call(
      '/api/greetings',
      withToken({
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Linus' }),
      }),
    );
    expect(res.status).toBe(201);
    expect((await res.json()).greeting).toBe('Hello, Linus!');
  });

  it('rejects an invalid greeting with 422 naming the field', async () => {
    const res = await call(
      '/api/greetings',
      withToken({
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 7 }),
      }),
    );
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toMatch(PROBLEM);
    expect((await res.json()).errors[0].path).toBe('/name');
  });

  it('rejects malformed JSON with 400', async () => {
    const res = await call(
      '/api/greetings',
      withToken({
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: '{"name":',
      }),
    );
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(PROBLEM);
  });

  it('answers 404 problem+json for an unknown API route', async () => {
    const res = await call('/api/nothing-here', withToken());
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(PROBLEM);
  });
});
