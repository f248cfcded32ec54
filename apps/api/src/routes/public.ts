import { createHash } from 'node:crypto';
import { Router, type Response } from 'express';
import { methodNotAllowed } from '../errors';
import { openApiDocument } from '../openapi';
import type { Message } from '../schemas';

/** Open to everyone: no token needed. */
export function publicRoutes(): Router {
  const router = Router();
  // A constant answer: serialized once, with an ETag (the app computes none), so a client that
  // has it gets 304 Not Modified.
  const openApiJson = JSON.stringify(openApiDocument);
  const openApiEtag = `"${createHash('sha256').update(openApiJson).digest('base64url')}"`;
  router
    .route('/hello')
    .get((req, res: Response<Message>) => {
      res.json({ message: 'Hello from the public API!', requestId: req.id });
    })
    .all(methodNotAllowed(['GET']));
  router
    .route('/openapi.json')
    .get((_req, res) => {
      res.set('ETag', openApiEtag).type('application/json').send(openApiJson);
    })
    .all(methodNotAllowed(['GET']));
  return router;
}
