import type { Response } from 'express';
import type { Problem } from './schemas';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Answers with a problem (its shape: schemas.ts) as application/problem+json. */
export function sendProblem(
  res: Response,
  status: number,
  detail: string,
  extra: Pick<Problem, 'errors'> = {},
): void {
  const problem: Problem = {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance: res.req.originalUrl,
    requestId: res.req.id as string | undefined,
    ...extra,
  };
  res.status(status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}
