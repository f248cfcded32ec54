import type { Express, Request, RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  /** Counts and times every request that reaches the routes, by route template. */
  middleware: RequestHandler;
  /** GET /metrics: the Prometheus text format. */
  endpoint: RequestHandler;
}

/** Seconds: from 5 ms, a cached answer, to 10 s, past NGINX's read timeout for most routes. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LABELS = ['method', 'route', 'status_class'] as const;
const MISNAMED_DEFAULT_GAUGES = [
  'nodejs_active_handles_total',
  'nodejs_active_requests_total',
  'nodejs_active_resources_total',
];

/**
 * The API's Prometheus metrics, in a registry of this app's own (no global state: tests build
 * as many apps as they like). Labels are bounded: the method (Node's parser accepts only the
 * methods it knows), the route's template (`/public/hello`, `/api/greetings/:id`, never the raw
 * path) or `unmatched`, and the status class (`2xx` ... `5xx`). Node's process, heap, GC and
 * event-loop-lag metrics come from prom-client's default collectors.
 */
export function createMetrics(app: Express): Metrics {
  const routeOf = routeTemplates(app);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Gauges that prom-client names with a counter's `_total` suffix, which Prometheus's own lint
  // (`promtool check metrics`) rejects. Each is the sum of a gauge kept under its plain name, by
  // type: nodejs_active_handles, nodejs_active_requests, nodejs_active_resources.
  for (const name of MISNAMED_DEFAULT_GAUGES) registry.removeSingleMetric(name);
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route template and status class.',
    labelNames: LABELS,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from the request reaching the routes to the response handed to the socket.',
    labelNames: LABELS,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const inFlight = new Gauge({
    name: 'http_requests_in_flight',
    help: 'Requests received and not yet answered.',
    registers: [registry],
  });

  return {
    middleware: (req, res, next) => {
      inFlight.inc();
      const stopTimer = duration.startTimer();
      res.once('close', () => {
        inFlight.dec();
        const labels = {
          method: req.method,
          route: routeOf(req),
          status_class: `${Math.floor(res.statusCode / 100)}xx`,
        };
        requests.inc(labels);
        stopTimer(labels);
      });
      next();
    },
    endpoint: (_req, res, next) => {
      registry.metrics().then((text) => {
        res.type(registry.contentType).send(text);
      }, next);
    },
  };
}

/**
 * Each request's route template (its router's mount path and the route's path), or `unmatched`.
 * Express sets req.route when a route matches, while req.baseUrl is still that router's mount
 * path; by the time the response ends, a `next(error)` has restored baseUrl to the parent's. So
 * req.route gets a setter on this app's request prototype (Express gives each app its own:
 * nothing global changes) that records the template at that moment.
 */
function routeTemplates(app: Express): (req: Request) => string {
  const routes = new WeakMap<Request, unknown>();
  const templates = new WeakMap<Request, string>();
  Object.defineProperty(app.request, 'route', {
    configurable: true,
    get(this: Request) {
      return routes.get(this);
    },
    set(this: Request, route: { path?: unknown }) {
      routes.set(this, route);
      if (typeof route?.path === 'string')
        templates.set(this, `${this.baseUrl ?? ''}${route.path}`);
    },
  });
  return (req) => templates.get(req) ?? 'unmatched';
}
