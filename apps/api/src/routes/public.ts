import { Router, type Response } from 'express';
import { methodNotAllowed } from '../errors';
import { openApiDocument } from '../openapi';
import { requestIdFor } from '../request-logging';
import type { Message } from '../schemas';

/** Open to everyone: no token needed. */
export function publicRoutes(): Router {
  const router = Router();
  router
    .route('/hello')
    .get((req, res: Response<Message>) => {
      res.json({ message: 'Hello from the public API!', requestId: requestIdFor(req) });
    })
    .all(methodNotAllowed(['GET']));
  router
    .route('/openapi.json')
    .get((_req, res) => {
      res.json(openApiDocument);
    })
    .all(methodNotAllowed(['GET']));
  return router;
}
