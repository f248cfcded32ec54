import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { trace } from '@opentelemetry/api';
import type { Express, Request, RequestHandler } from 'express';
import type { Logger } from 'pino';

declare module 'node:http' {
  interface IncomingMessage {
    /** The request id (requestLogging): echoed in X-Request-ID and on every log line. */
    id: string;
    /** A logger whose lines carry this request's id, method and path. */
    log: Logger;
  }
}

export const REQUEST_ID_HEADER = 'x-request-id';

// NGINX forwards its $request_id (32 hex digits); clients may send their own. Anything else
// (too long, odd characters) is replaced, so a request id is always safe to log and echo.
const ACCEPTABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && ACCEPTABLE_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * Only what an operator needs: never headers, so tokens cannot reach a log line. originalUrl: a
 * router strips its mount path from req.url while it routes. req.ip: the client NGINX saw (from
 * X-Forwarded-For, trusted from loopback only: app.ts), not NGINX's own loopback address.
 */
function describeRequest(req: Request) {
  return { method: req.method, path: req.originalUrl, remoteAddress: req.ip };
}

/**
 * The request's span, when tracing is on (tracing.ts): its trace id joins the log lines to the
 * trace and to NGINX's line. Off, there is no active span, and nothing is added.
 */
function traceIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getActiveSpan()?.spanContext();
  return span && { traceId: span.traceId, spanId: span.spanId };
}

/**
 * One access-log line per request (request id, method, path, status, duration), and the request
 * id on req.id, on the response header and on every line logged through req.log.
 *
 * Measured (make bench, tools/bench): pino-http made two child loggers for every request; this
 * makes none. req.log is a getter on this app's request prototype (Express gives each app its
 * own, so nothing global changes) that makes the child on first use: most requests never log
 * anything but their access-log line.
 */
export function requestLogging(app: Express, logger: Logger): RequestHandler {
  const children = new WeakMap<Request, Logger>();
  const traces = new WeakMap<Request, ReturnType<typeof traceIds>>();
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Request): Logger {
      let child = children.get(this);
      if (child === undefined) {
        child = logger.child({
          req: describeRequest(this),
          requestId: this.id,
          ...traces.get(this),
        });
        children.set(this, child);
      }
      return child;
    },
  });

  return (req, res, next) => {
    const started = performance.now();
    req.id = requestIdOf(req);
    res.setHeader('X-Request-ID', req.id);
    const ids = traceIds();
    if (ids) traces.set(req, ids);
    // 'close' comes once per response: after the last byte was handed to the socket, or when
    // the connection ended first.
    res.once('close', () => {
      const completed = res.writableFinished;
      const status = res.statusCode;
      const level = !completed || status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          req: describeRequest(req),
          requestId: req.id,
          ...ids,
          res: { status },
          durationMs: Math.round(performance.now() - started),
        },
        !completed ? 'request aborted' : status >= 500 ? 'request errored' : 'request completed',
      );
    });
    next();
  };
}
