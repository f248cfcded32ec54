import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { Config } from './config';

export interface Tracing {
  /** Exports the spans still buffered, then stops: the last step of a graceful shutdown. */
  shutdown(): Promise<void>;
}

/** Requests that are not the API's work: the kubelet's probes and Prometheus's scrapes. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * OpenTelemetry tracing, on only when OTEL_EXPORTER_OTLP_ENDPOINT is set. Then every request is a
 * server span that continues the trace of the W3C `traceparent` NGINX passes through (or starts
 * one), with Express's middleware and route spans under it, sampled by
 * OTEL_TRACES_SAMPLER_ARG (a parent's decision wins) and sent over OTLP/HTTP in batches. Off,
 * nothing is loaded, patched or registered.
 *
 * It must run before `node:http` and Express load (main.ts imports the app after it): the HTTP
 * instrumentation patches node:http as it is required. Express is inside the bundle, where no
 * require hook can see it, so its instrumentation is applied to the module object directly.
 */
export async function startTracing(
  config: Pick<Config, 'otelExporterOtlpEndpoint' | 'otelServiceName' | 'otelTracesSamplerArg'>,
): Promise<Tracing | undefined> {
  const endpoint = config.otelExporterOtlpEndpoint;
  if (endpoint === undefined) return undefined;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.otelServiceName }),
    sampler: new ParentBasedSampler({
      root: new TraceIdRatioBasedSampler(config.otelTracesSamplerArg),
    }),
    spanProcessors: [
      // OTEL_EXPORTER_OTLP_ENDPOINT is the collector's base URL; traces go to /v1/traces of it.
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({
          url: new URL('v1/traces', `${endpoint.replace(/\/$/, '')}/`).href,
        }),
      }),
    ],
  });
  trace.setGlobalTracerProvider(provider);
  // Spans for routers and route handlers; none for each middleware (the access log, the metrics,
  // the request id): they cost a span each on every request and say little. So the request's
  // server span is the active one in the middleware, and the one the log lines name.
  const express = new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE] });
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has(req.url ?? ''),
        // The API calls out to nothing; a span per outgoing request would be the exporter's own.
        disableOutgoingRequestInstrumentation: true,
      }),
      express,
    ],
  });
  const expressModule = (await import('express')).default;
  for (const definition of express.getModuleDefinitions()) definition.patch?.(expressModule);
  return { shutdown: () => provider.shutdown() };
}
