import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Config } from './config';
import { errorHandler, notFound } from './errors';
import { createMetrics } from './metrics';
import type { Readiness } from './readiness';
import { requestLogging } from './request-logging';
import { apiRoutes } from './routes/api';
import { faultRoutes } from './routes/fault';
import { healthRoutes } from './routes/health';
import { publicRoutes } from './routes/public';

export interface AppDependencies {
  config: Pick<Config, 'tokens' | 'bodyLimit' | 'metricsEnabled' | 'faultInjectionEnabled'>;
  logger: Logger;
  readiness: Readiness;
}

/** Builds the app. No side effects: it does not listen, read the environment or touch globals. */
export function createApp({ config, logger, readiness }: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  // Every JSON answer carries its request id, so no two bodies match and an ETag computed from
  // the body (a SHA-1 per response) could never spare a transfer. Routes whose answer is
  // constant set their own (routes/public.ts, the OpenAPI document).
  app.set('etag', false);
  // Only the sidecar on loopback may speak for the client: X-Forwarded-For from anyone else is
  // ignored, so req.ip cannot be spoofed by a caller that reaches the API port directly.
  app.set('trust proxy', 'loopback');

  // Before the access log and the metrics: the kubelet probes and Prometheus scrapes every few
  // seconds, and would drown both.
  app.use(healthRoutes(readiness));
  if (config.metricsEnabled) {
    const metrics = createMetrics(app);
    app.get('/metrics', metrics.endpoint);
    app.use(metrics.middleware);
  }
  app.use(requestLogging(app, logger));

  app.get('/', (_req, res) => {
    res.type('text/plain').send('Hello from Express!');
  });
  app.use('/public', publicRoutes());
  app.use('/api', apiRoutes(config));
  if (config.faultInjectionEnabled) app.use('/fault', faultRoutes(logger));

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
