import { Router } from 'express';
import { methodNotAllowed } from '../errors';
import { openApiDocument } from '../openapi';

/** Open to everyone: no token needed. */
export function publicRoutes(): Router {
  const router = Router();
  router
    .route('/hello')
    .get((req, res) => {
      res.json({ message: 'Hello from the public API!', requestId: req.id });
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
