import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { Readiness } from './readiness';

export interface DrainOptions {
  /** How long readiness reports 503 before the server stops accepting connections. */
  delayMs: number;
  /** How long in-flight requests get, once the server stops accepting. */
  timeoutMs: number;
  logger: Logger;
}

export type DrainOutcome = 'drained' | 'timed-out';

/**
 * Responses sent while draining carry `Connection: close`, so keep-alive clients (NGINX's
 * upstream pool) let go of their sockets instead of reusing one the server is about to close.
 */
export function closeConnectionsWhileDraining(server: Server, readiness: Readiness): void {
  server.prependListener('request', (_req, res) => {
    if (readiness.state === 'draining') res.setHeader('Connection', 'close');
  });
}

/**
 * Graceful shutdown, in the order Kubernetes needs it: readiness fails first so the endpoints
 * controller takes the Pod out of the Service, then the server stops accepting, in-flight
 * requests finish, idle keep-alive sockets close.
 * https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#pod-termination
 */
export async function drain(
  server: Server,
  readiness: Readiness,
  options: DrainOptions,
): Promise<DrainOutcome> {
  const { delayMs, timeoutMs, logger } = options;
  readiness.markDraining();
  logger.info({ delayMs, timeoutMs }, 'draining: readiness now fails');
  await sleep(delayMs);

  const closed = new Promise<DrainOutcome>((resolve) => server.close(() => resolve('drained')));
  // close() stops accepting; sockets that sit idle between requests would otherwise hold it open.
  server.closeIdleConnections();
  let deadline: NodeJS.Timeout | undefined;
  const timedOut = new Promise<DrainOutcome>((resolve) => {
    deadline = setTimeout(() => resolve('timed-out'), timeoutMs);
  });
  const outcome = await Promise.race([closed, timedOut]);
  clearTimeout(deadline);
  if (outcome === 'timed-out') {
    logger.error({ timeoutMs }, 'drain timed out: closing the connections still open');
    server.closeAllConnections();
  } else {
    logger.info('drained: every in-flight request completed');
  }
  return outcome;
}
