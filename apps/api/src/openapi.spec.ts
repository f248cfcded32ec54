import Ajv2020 from 'ajv/dist/2020';
import type { Express } from 'express';
import request from 'supertest';
import { openApiDocument } from './openapi';
import { TEST_TOKEN, buildTestApp } from './testing/build-test-app';

/**
 * Keeps the OpenAPI document true: the routes the app serves are the ones documented, each case
 * below calls the app and checks that the status it answered is documented for that operation and
 * that the body matches the documented schema, and every documented status is exercised.
 */
type Method = 'get' | 'post';
interface Case {
  name: string;
  method: Method;
  path: keyof typeof openApiDocument.paths;
  token?: string;
  body?: unknown;
  rawBody?: { type: string; text: string };
  env?: Record<string, string>;
}

const cases: Case[] = [
  { name: 'an open greeting', method: 'get', path: '/public/hello' },
  { name: 'the document itself', method: 'get', path: '/public/openapi.json' },
  { name: 'a greeting for a token holder', method: 'get', path: '/api/hello', token: TEST_TOKEN },
  { name: 'no token', method: 'get', path: '/api/hello' },
  {
    name: 'a valid greeting',
    method: 'post',
    path: '/api/greetings',
    token: TEST_TOKEN,
    body: { name: 'Ada' },
  },
  {
    name: 'malformed JSON',
    method: 'post',
    path: '/api/greetings',
    token: TEST_TOKEN,
    rawBody: { type: 'application/json', text: '{' },
  },
  {
    name: 'a greeting without a token',
    method: 'post',
    path: '/api/greetings',
    body: { name: 'Ada' },
  },
  {
    name: 'a body over the limit',
    method: 'post',
    path: '/api/greetings',
    token: TEST_TOKEN,
    body: { name: 'x'.repeat(200) },
    env: { BODY_LIMIT: '50b' },
  },
  {
    name: 'a body that is not JSON',
    method: 'post',
    path: '/api/greetings',
    token: TEST_TOKEN,
    rawBody: { type: 'text/plain', text: 'Ada' },
  },
  {
    name: 'an empty name',
    method: 'post',
    path: '/api/greetings',
    token: TEST_TOKEN,
    body: { name: '' },
  },
];

/**
 * Served, but outside the API's contract: the kubelet's probes and Prometheus's scrape of the
 * API's own port (NGINX forwards none of them) and the API's root page (NGINX forwards it only
 * as /express/).
 */
const UNDOCUMENTED = ['get /', 'get /healthz', 'get /readyz', 'get /metrics'];

interface DocumentedResponse {
  content: Record<string, { schema: object }>;
}
const paths: Record<
  string,
  Record<string, { responses: Record<string, DocumentedResponse> }>
> = openApiDocument.paths;

const documentedOperations = Object.entries(paths).flatMap(([path, operations]) =>
  Object.keys(operations).map((method) => `${method} ${path}`),
);

/** Express 5 keeps on each router layer the path it was mounted or routed at, as rawPath. */
interface Layer {
  rawPath: string;
  route?: { methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

function servedOperations(app: Express): string[] {
  const walk = (stack: Layer[], prefix: string): string[] =>
    stack.flatMap((layer) => {
      if (layer.route) {
        return Object.keys(layer.route.methods)
          .filter((method) => method !== '_all') // .all(methodNotAllowed): the 405 for the rest
          .map((method) => `${method} ${prefix}${layer.rawPath}`);
      }
      const mountedAt = layer.rawPath === '/' ? prefix : `${prefix}${layer.rawPath}`;
      return layer.handle.stack ? walk(layer.handle.stack, mountedAt) : [];
    });
  return walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
}

const ajv = new Ajv2020({ strict: false });
ajv.addSchema({ $id: 'openapi', components: openApiDocument.components });

const greetingRequestAccepts = ajv.compile(openApiDocument.components.schemas.GreetingRequest);

function responseSchema(response: DocumentedResponse, contentType: string): object {
  const mediaType = contentType.split(';')[0] ?? '';
  const schema = response.content[mediaType]?.schema;
  if (schema === undefined) throw new Error(`no schema documented for ${mediaType}`);
  // Resolve the document's local $refs against the schema registered above.
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components', '"openapi#/components'));
}

describe('the OpenAPI document', () => {
  const exercised = new Set<string>();

  it('documents every route the app serves under /public and /api, and only those', () => {
    const served = servedOperations(buildTestApp().app);
    expect(served).toEqual(expect.arrayContaining(UNDOCUMENTED));
    expect(served.filter((operation) => !UNDOCUMENTED.includes(operation)).sort()).toEqual(
      [...documentedOperations].sort(),
    );
  });

  it.each(cases.map((c) => [`${c.method.toUpperCase()} ${c.path}, ${c.name}`, c] as const))(
    '%s: answers as documented',
    async (_name, c) => {
      const { app } = buildTestApp(c.env);
      let call = request(app)[c.method](c.path);
      if (c.token) call = call.set('Authorization', `Bearer ${c.token}`);
      if (c.rawBody) call = call.set('Content-Type', c.rawBody.type).send(c.rawBody.text);
      else if (c.body !== undefined) call = call.send(c.body as object);
      const res = await call;

      const documented = paths[c.path]?.[c.method]?.responses[String(res.status)];
      if (documented === undefined) throw new Error(`${res.status} is not documented here`);
      const validate = ajv.compile(responseSchema(documented, res.headers['content-type'] ?? ''));
      expect({ body: res.body, errors: validate(res.body) ? null : validate.errors }).toEqual({
        body: res.body,
        errors: null,
      });
      exercised.add(`${c.method} ${c.path} ${res.status}`);
    },
  );

  it('has every documented response exercised above', () => {
    const documented = Object.entries(paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) =>
        Object.keys(operation.responses).map((status) => `${method} ${path} ${status}`),
      ),
    );
    expect(documented.filter((entry) => !exercised.has(entry))).toEqual([]);
  });

  // The fuzzer (apps/hardening) sends what GreetingRequest accepts and expects it accepted, and
  // what it refuses and expects a 4xx: the schema and the app must draw the line in one place.
  it.each([
    ['a name', { name: 'Ada' }, 201],
    ['a padded name', { name: '  Ada ' }, 201],
    ['a name of 100 characters', { name: 'x'.repeat(100) }, 201],
    ['an empty name', { name: '' }, 422],
    ['a blank name', { name: ' \t\n' }, 422],
    ['a name of 101 characters', { name: 'x'.repeat(101) }, 422],
    ['a number for a name', { name: 42 }, 422],
    ['no name', {}, 422],
    ['an unknown key', { name: 'Ada', admin: true }, 422],
  ])('GreetingRequest and the app agree on %s', async (_label, body, status) => {
    const res = await request(buildTestApp().app)
      .post('/api/greetings')
      .set('Authorization', `Bearer ${TEST_TOKEN}`)
      .send(body);
    expect({ status: res.status, documentAccepts: greetingRequestAccepts(body) }).toEqual({
      status,
      documentAccepts: status === 201,
    });
  });

  it('is served as it is written', async () => {
    const res = await request(buildTestApp().app).get('/public/openapi.json').expect(200);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });
});
