/**
 * The API's contract, served at /public/openapi.json. openapi.spec.ts keeps it true: every route
 * the app serves is documented here, and every documented response is the one the app sends.
 */
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
      Message: {
        type: 'object',
        required: ['message', 'requestId'],
        additionalProperties: false,
        properties: { message: { type: 'string' }, requestId: { type: 'string' } },
      },
      GreetingRequest: {
        type: 'object',
        required: ['name'],
        additionalProperties: false,
        properties: { name: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' } },
      },
      Greeting: {
        type: 'object',
        required: ['greeting', 'requestId'],
        additionalProperties: false,
        properties: { greeting: { type: 'string' }, requestId: { type: 'string' } },
      },
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status'],
        properties: {
          type: { type: 'string' },
          title: { type: 'string' },
          status: { type: 'integer', minimum: 400, maximum: 599 },
          detail: { type: 'string' },
          instance: { type: 'string' },
          requestId: { type: 'string' },
          errors: {
            type: 'array',
            items: {
              type: 'object',
              required: ['path', 'message'],
              properties: { path: { type: 'string' }, message: { type: 'string' } },
            },
          },
        },
      },
      Status: {
        type: 'object',
        required: ['status'],
        properties: { status: { type: 'string' } },
      },
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
