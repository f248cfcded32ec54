import { Router } from 'express';
import { z } from 'zod';
import { requireBearerToken } from '../bearer-auth';
import { methodNotAllowed } from '../errors';
import { sendProblem } from '../problem';

export const greetingRequestSchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
});

/** Behind a bearer token. */
export function apiRoutes(tokens: readonly string[]): Router {
  const router = Router();
  router.use(requireBearerToken(tokens));

  router
    .route('/hello')
    .get((req, res) => {
      res.json({ message: 'Hello from the protected API!', requestId: req.id });
    })
    .all(methodNotAllowed(['GET']));

  router
    .route('/greetings')
    .post((req, res) => {
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
