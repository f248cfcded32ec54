import Ajv2020 from 'ajv/dist/2020';
import request from 'supertest';
import { openApiDocument } from './openapi';
import { TEST_TOKEN, buildTestApp } from './testing/build-test-app';

/**
 * Keeps the OpenAPI document true: each case below calls the app and checks that the status it
 * answered is documented for that operation and that the body matches the documented schema.
 * Every documented operation and every documented status must be exercised by some case.
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
    method: 'post',
    path: '/api/greetings',
    token: TEST_TOKEN,
    rawBody: { type: 'application/json', text: '{' },
  },
  { name: 'malformed JSON', method: 'post', path: '/api/greetings', body: { name: 'Ada' } },
  {
    method: 'post',
    path: '/api/greetings',
    token: TEST_TOKEN,
    body: { name: 'x'.repeat(200) },
    env: { BODY_LIMIT: '50b' },
  },
  {
    method: 'post',
    path: '/api/greetings',
    token: TEST_TOKEN,
    rawBody: { type: 'text/plain', text: 'Ada' },
  },
  {
    name: 'a greeting without a token',
    method: 'post',
    path: '/api/greetings',
    token: TEST_TOKEN,
    body: { name: '' },
  },
];

const ajv = new Ajv2020({ strict: false });
ajv.addSchema({ $id: 'openapi', components: openApiDocument.components });

function responseSchema(
  response: { content: Record<string, { schema: object }> },
  contentType: string,
) {
  const mediaType = contentType.split(';')[0] ?? '';
  const schema = response.content[mediaType]?.schema;
  if (schema === undefined) throw new Error(`no schema documented for ${mediaType}`);
  // Resolve the document's local $refs against the schema registered above.
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components', '"openapi#/components'));
}

describe('the OpenAPI document', () => {
  const exercised = new Set<string>();

  it.each(
    cases.map(
      (c) => [`${c.method.toUpperCase()} ${c.path}${c.token ? ' with token' : ''}`, c] as const,
    ),
  )('%s answers as documented', async (_name, c) => {
    const { app } = buildTestApp(c.env);
    let call = request(app)[c.method](c.path);
    if (c.token) call = call.set('Authorization', `Bearer ${c.token}`);
    if (c.rawBody) call = call.set('Content-Type', c.rawBody.type).send(c.rawBody.text);
    else if (c.body !== undefined) call = call.send(c.body as object);
    const res = await call;

    const operation = (
      openApiDocument.paths[c.path] as Record<string, { responses: Record<string, never> }>
    )[c.method];
    const documented = operation?.responses[String(res.status)];
    expect({ status: res.status, documented: documented !== undefined }).toEqual({
      status: res.status,
      documented: true,
    });
    const validate = ajv.compile(responseSchema(documented, res.headers['content-type'] ?? ''));
    expect({ body: res.body, errors: validate(res.body) ? null : validate.errors }).toEqual({
      body: res.body,
      errors: null,
    });
    exercised.add(`${c.method} ${c.path} ${res.status}`);
  });

  it('has every documented response exercised above', () => {
    const documented = Object.entries(openApiDocument.paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) =>
        Object.keys((operation as { responses: object }).responses).map(
          (status) => `${method} ${path} ${status}`,
        ),
      ),
    );
    expect(documented.filter((entry) => !exercised.has(entry))).toEqual([]);
  });

  it('is served as it is written', async () => {
    const res = await request(buildTestApp().app).get('/public/openapi.json').expect(200);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });
});
