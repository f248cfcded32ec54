import { Router, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { methodNotAllowed } from '../errors';
import { sendProblem } from '../problem';

/**
 * Fault injection for the cluster tests' memory-limit step (tools/deploy/src/faults.ts). Mounted
 * only when FAULT_INJECTION_ENABLED is true, which config.ts refuses when NODE_ENV is production
 * (as the image sets it), and served on the API's port only: NGINX routes /api/ and /public/,
 * never /fault/, so the Service never reaches it.
 *
 * POST /fault/exhaust-memory answers 202, then allocates CHUNK_MIB every INTERVAL_MS and holds
 * it, until the kernel's OOM killer ends the process at the container's memory limit (or until
 * `?limitMiB=` is held, for a test on a machine without a limit). Buffers live outside the V8
 * heap, so Node's heap limit does not stop it first; each is filled, so its pages are resident.
 */
const CHUNK_MIB = 16;
const INTERVAL_MS = 10;

export function faultRoutes(logger: Logger): Router {
  const router = Router();
  router
    .route('/exhaust-memory')
    .post((req: Request, res: Response) => {
      const limit = req.query.limitMiB === undefined ? Infinity : Number(req.query.limitMiB);
      if (!(limit > 0)) {
        sendProblem(res, 400, 'limitMiB must be a positive number of MiB.');
        return;
      }
      logger.warn({ limitMiB: limit }, 'fault injection: allocating memory until killed');
      res.status(202).json({
        allocating: `${CHUNK_MIB} MiB every ${INTERVAL_MS} ms until the process is killed or holds ${limit} MiB`,
        requestId: req.id,
      });
      const held: Buffer[] = [];
      const timer = setInterval(() => {
        if (held.length * CHUNK_MIB >= limit) {
          clearInterval(timer);
          logger.warn({ heldMiB: held.length * CHUNK_MIB }, 'fault injection: reached the limit');
          return;
        }
        held.push(Buffer.alloc(CHUNK_MIB * 1024 * 1024, 1));
      }, INTERVAL_MS);
    })
    .all(methodNotAllowed(['POST']));
  return router;
}
