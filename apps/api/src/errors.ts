import type { ErrorRequestHandler, RequestHandler } from 'express';
import { sendProblem } from './problem';

/** Mount with `.all()` after a route's own methods: any other method gets 405 with Allow. */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  const allow = [...allowed, ...(allowed.includes('GET') ? ['HEAD'] : [])].join(', ');
  return (req, res) => {
    res.set('Allow', allow);
    sendProblem(res, 405, `${req.method} is not allowed here; use ${allow}.`);
  };
}

export const notFound: RequestHandler = (req, res) => {
  sendProblem(res, 404, `No route for ${req.method} ${req.path}.`);
};

interface HttpError extends Error {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  type?: string;
}

/**
 * The last middleware. Errors that carry a client status (body-parser's 400, 413, 415) keep it
 * and their message; anything else is a 500 whose detail reveals nothing of the server.
 */
export const errorHandler: ErrorRequestHandler = (error: HttpError, req, res, next) => {
  if (res.headersSent) {
    next(error);
    return;
  }
  const status = error.status ?? error.statusCode ?? 500;
  if (status >= 400 && status < 500 && error.expose !== false) {
    sendProblem(res, status, describeClientError(error));
    return;
  }
  req.log.error({ err: error }, 'unhandled error');
  sendProblem(res, 500, 'An unexpected error occurred. Quote the request id when reporting it.');
};

function describeClientError(error: HttpError): string {
  switch (error.type) {
    case 'entity.parse.failed':
      return 'The request body is not valid JSON.';
    case 'entity.too.large':
      return 'The request body is larger than this API accepts.';
    default:
      return error.message;
  }
}
