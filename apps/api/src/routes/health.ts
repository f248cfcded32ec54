import { Router, type Response } from 'express';
import type { Readiness } from '../readiness';
import type { Status } from '../schemas';

/**
 * Probes for the kubelet. Liveness only says the event loop serves; readiness says whether this
 * Pod should get traffic. https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
 */
export function healthRoutes(readiness: Readiness): Router {
  const router = Router();
  router.get('/healthz', (_req, res: Response<Status>) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', (_req, res: Response<Status>) => {
    res.status(readiness.isReady ? 200 : 503).json({ status: readiness.state });
  });
  return router;
}
