import { freePort, pinnedImage, request, waitFor } from '@sidecar/testkit';
import { startBackendContainer } from './backend-container';

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: { refType: string; traceID: string; spanID: string }[];
  tags: { key: string; value: unknown }[];
}

export interface Jaeger {
  /** The OTLP/HTTP base URL to export to (OTEL_EXPORTER_OTLP_ENDPOINT). */
  otlpEndpoint: string;
  /** Waits until Jaeger's query API has the trace with at least `minSpans` spans; its spans. */
  trace(traceId: string, minSpans: number): Promise<JaegerSpan[]>;
  stop(): Promise<void>;
}

/**
 * A real Jaeger (JAEGER_IMAGE, as make setup left it on this machine) on the host's network,
 * receiving OTLP/HTTP and answering its query API, each on a free port, storing traces in memory.
 * Its configuration is Jaeger's all-in-one reduced to those three parts.
 */
export async function startJaeger(): Promise<Jaeger> {
  const [otlpPort, queryPort, queryGrpcPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const config = `
service:
  extensions: [jaeger_storage, jaeger_query]
  pipelines:
    traces:
      receivers: [otlp]
      processors: [batch]
      exporters: [jaeger_storage_exporter]
  telemetry:
    metrics:
      level: none
extensions:
  jaeger_query:
    storage:
      traces: memory_store
    http:
      endpoint: 127.0.0.1:${queryPort}
    grpc:
      endpoint: 127.0.0.1:${queryGrpcPort}
  jaeger_storage:
    backends:
      memory_store:
        memory:
          max_traces: 10000
receivers:
  otlp:
    protocols:
      http:
        endpoint: 127.0.0.1:${otlpPort}
processors:
  batch:
exporters:
  jaeger_storage_exporter:
    trace_storage: memory_store
`;
  const queryUrl = `http://127.0.0.1:${queryPort}`;
  const { stop } = await startBackendContainer({
    name: `sidecar-jaeger-${otlpPort}`,
    image: pinnedImage('JAEGER_IMAGE'),
    config: { text: config, mountAt: '/etc/jaeger/config.yaml' },
    args: ['--config', 'file:/etc/jaeger/config.yaml'],
    readyUrl: `${queryUrl}/api/services`,
  });
  return {
    otlpEndpoint: `http://127.0.0.1:${otlpPort}`,
    trace: (traceId, minSpans) =>
      waitFor(
        `trace ${traceId} in Jaeger with ${minSpans} spans or more`,
        async () => {
          const res = await request(`${queryUrl}/api/traces/${traceId}`).catch(() => undefined);
          if (res?.status !== 200) return undefined;
          const spans = (JSON.parse(res.text).data?.[0]?.spans ?? []) as JaegerSpan[];
          return spans.length >= minSpans ? spans : undefined;
        },
        30_000,
      ),
    stop,
  };
}
