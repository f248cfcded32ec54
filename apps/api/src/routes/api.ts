import express, { Router, type Response } from 'express';
import { requireBearerToken } from '../bearer-auth';
import { methodNotAllowed } from '../errors';
import { sendProblem } from '../problem';
import type { Config } from '../config';
import { greetingRequestSchema, type Greeting, type Message } from '../schemas';

/** Behind a bearer token. */
export function apiRoutes({ tokens, bodyLimit }: Pick<Config, 'tokens' | 'bodyLimit'>): Router {
  const router = Router();
  router.use(requireBearerToken(tokens));
  // Mounted on the routes that take a body, after the token check: a body is read only when a
  // route wants it and the caller may send it.
  const json = express.json({
    limit: bodyLimit,
    type: ['application/json', 'application/*+json'],
  });

  router
    .route('/hello')
    .get((req, res: Response<Message>) => {
      res.json({ message: 'Hello from the protected API!', requestId: req.id });
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/greetings')
    .post(json, (req, res: Response<Greeting>) => {
      if (!req.is('application/json')) {
        sendProblem(res, 415, 'Send the greeting as JSON: Content-Type: application/json.');
        return;
      }
      const parsed = greetingRequestSchema.safeParse(req.body);
      if (!parsed.success) {
        const errors = parsed.error.issues.map((issue) => ({
          path: `/${issue.path.join('/')}`,
          message: issue.message,
        }));
        sendProblem(res, 422, 'The greeting request is not valid.', { errors });
        return;
      }
      res.status(201).json({ greeting: `Hello, ${parsed.data.name}!`, requestId: req.id });
    })
    .all(methodNotAllowed(['POST']));

  return router;
}
