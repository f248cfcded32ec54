import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';

export const REQUEST_ID_HEADER = 'x-request-id';

// NGINX forwards its $request_id (32 hex digits); clients may send their own. Anything else
// (too long, odd characters) is replaced, so a request id is always safe to log and echo.
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTABLE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** req.id, which pino-http types as string | number | object: genReqId below makes it a string. */
export function requestIdFor(req: IncomingMessage): string {
  return req.id as string;
}

/**
 * One access-log line per request (request id, method, path, status, duration), and the request
 * id on req.id, on the response header and on every line logged through req.log.
 */
export function requestLogging(logger: Logger) {
  return pinoHttp({
    logger,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const id = requestIdOf(req);
      res.setHeader('X-Request-ID', id);
      return id;
    },
    // On every line logged for this request, the access-log line included.
    customProps: (req) => ({ requestId: req.id }),
    customAttributeKeys: { responseTime: 'durationMs' },
    serializers: {
      // Only what an operator needs: never headers, so tokens cannot reach a log line.
      req: (req: { method: string; url: string; remoteAddress?: string }) => ({
        method: req.method,
        path: req.url,
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    customLogLevel: (_req, res, error) =>
      error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
  });
}
