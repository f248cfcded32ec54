import { z } from 'zod';
import {
  greetingRequestSchema,
  greetingSchema,
  messageSchema,
  problemSchema,
  statusSchema,
} from './schemas';

/**
 * A body schema of schemas.ts as a component. zod's default target, JSON Schema 2020-12, is the
 * dialect of OpenAPI 3.1 ('openapi-3.0' would be 3.0's, with nullable); the `$schema` zod adds is
 * dropped, as the document's dialect covers every schema in it. `io`: 'input' for a request, as
 * a client writes it (before the API trims); 'output' for a response, the type the route builds.
 */
function component(schema: z.ZodType, io: 'input' | 'output') {
  const jsonSchema = z.toJSONSchema(schema, { io });
  delete jsonSchema.$schema;
  return jsonSchema;
}

const problem = {
  description: 'An RFC 9457 problem',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

const unauthorized = {
  ...problem,
  description: 'Missing or invalid bearer token',
  headers: { 'WWW-Authenticate': { schema: { type: 'string' } } },
};

function message(description: string) {
  return {
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Message' } } },
  };
}

/**
 * The API's contract, served at /public/openapi.json. openapi.spec.ts keeps it true: every route
 * the app serves under /public and /api is documented here, and every documented response is the
 * one the app sends.
 */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'sidecar API',
    version: '0.1.0',
    description:
      'The Express API behind the NGINX sidecar. /public/* is open; /api/* needs a bearer token.',
  },
  servers: [{ url: '/' }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      GreetingRequest: component(greetingRequestSchema, 'input'),
      Message: component(messageSchema, 'output'),
      Greeting: component(greetingSchema, 'output'),
      Problem: component(problemSchema, 'output'),
      Status: component(statusSchema, 'output'),
    },
  },
  paths: {
    '/public/hello': {
      get: {
        operationId: 'getPublicHello',
        summary: 'A greeting anyone may read',
        responses: { '200': message('The greeting') },
      },
    },
    '/public/openapi.json': {
      get: {
        operationId: 'getOpenApiDocument',
        summary: 'This document',
        responses: {
          '200': {
            description: 'The OpenAPI document',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
      },
    },
    '/api/hello': {
      get: {
        operationId: 'getProtectedHello',
        summary: 'A greeting for token holders',
        security: [{ bearer: [] }],
        responses: { '200': message('The greeting'), '401': unauthorized },
      },
    },
    '/api/greetings': {
      post: {
        operationId: 'createGreeting',
        summary: 'Greets the name it is sent',
        security: [{ bearer: [] }],
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/GreetingRequest' } },
          },
        },
        responses: {
          '201': {
            description: 'The greeting',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Greeting' } } },
          },
          '400': { ...problem, description: 'The body is not JSON' },
          '401': unauthorized,
          '413': { ...problem, description: 'The body is too large' },
          '415': { ...problem, description: 'The body is not sent as JSON' },
          '422': { ...problem, description: 'The body does not match GreetingRequest' },
        },
      },
    },
  },
} as const;
