/**
 * Issue 18, item 5: what metrics and tracing cost per request. Four APIs side by side, each on
 * the pod's CPUs: both off, metrics on (METRICS_ENABLED), tracing on (every request sampled,
 * spans exported over OTLP/HTTP to a collector that accepts and drops them), both on. GET
 * /public/hello at the maximum rate against each, rounds interleaved; the API process's CPU per
 * request read from /proc. Each variant's cost is its CPU per request minus the all-off API's,
 * paired by round. With a baseline (BENCH_API_BASELINE_REV, baseline-api.ts), a fifth API: an
 * earlier revision's build with its defaults, to hold the all-off API against the code before
 * metrics and tracing existed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '@sidecar/testkit';
import { cpuSeconds } from './cpu-time';
import { runMaxRate } from './max-rate';
import { rotation, type OverheadSettings } from './overhead';
import type { BaselineApi } from './baseline-api';
import { startApi, type BenchServer } from './servers';

export const OBSERVABILITY_VARIANTS = ['off', 'metrics', 'tracing', 'metrics+tracing'] as const;
export type ObservabilityVariant = (typeof OBSERVABILITY_VARIANTS)[number] | 'baseline';

export interface ObservabilityRuns {
  /** Per variant, the API's CPU µs per request, one per round (rounds pair up). */
  cpuMicros: Partial<Record<ObservabilityVariant, number[]>> & Record<'off', number[]>;
  requestsPerSecond: Partial<Record<ObservabilityVariant, number[]>> & Record<'off', number[]>;
  /** The baseline's revision, when there was one. */
  baseline?: string;
  /** OTLP export requests the collector received, over the whole part. */
  exports: number;
}

/**
 * A stand-in OTLP/HTTP collector, in this process (its CPU is not the API's): it reads each
 * export and answers 200 with an empty ExportTraceServiceResponse, as a collector does.
 */
async function startDroppingCollector(): Promise<{
  url: string;
  exports(): number;
  stop(): Promise<void>;
}> {
  let exports = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/v1/traces') exports += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exports: () => exports,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export async function measureObservabilityCost(
  settings: OverheadSettings,
  baseline?: BaselineApi,
): Promise<ObservabilityRuns> {
  const collector = await startDroppingCollector();
  const apis = new Map<ObservabilityVariant, BenchServer>();
  try {
    if (baseline) {
      apis.set(
        'baseline',
        await startApi({ port: await freePort(), cpus: settings.podCpus, main: baseline.main }),
      );
    }
    for (const variant of OBSERVABILITY_VARIANTS) {
      const env: Record<string, string> = {
        METRICS_ENABLED: String(variant.includes('metrics')),
        OTEL_TRACES_SAMPLER_ARG: '1',
      };
      if (variant.includes('tracing')) env.OTEL_EXPORTER_OTLP_ENDPOINT = collector.url;
      apis.set(variant, await startApi({ port: await freePort(), cpus: settings.podCpus, env }));
    }
    const load = (variant: ObservabilityVariant, durationSeconds: number) =>
      runMaxRate({
        url: `${apis.get(variant)!.url}/public/hello`,
        connections: settings.connections,
        durationSeconds,
        cpus: settings.generatorCpus,
      });
    const variants = [...apis.keys()];
    for (const variant of variants) await load(variant, 1);

    const empty = () =>
      Object.fromEntries(variants.map((v) => [v, [] as number[]])) as Record<
        ObservabilityVariant,
        number[]
      >;
    const runs = { cpuMicros: empty(), requestsPerSecond: empty() };
    for (let round = 0; round < settings.rounds; round++) {
      for (const variant of rotation(variants, round)) {
        const pid = apis.get(variant)!.pid;
        const before = await cpuSeconds([pid]);
        const result = await load(variant, settings.durationSeconds);
        const micros = (((await cpuSeconds([pid])) - before) * 1e6) / result.requests;
        runs.cpuMicros[variant].push(micros);
        runs.requestsPerSecond[variant].push(result.requestsPerSecond);
        settings.log(
          `observability round ${round + 1}/${settings.rounds} ${variant}: ${Math.round(result.requestsPerSecond)} req/s, API ${micros.toFixed(1)} CPU µs/request${result.failures ? `, ${result.failures} FAILED` : ''}`,
        );
      }
    }
    if (collector.exports() === 0) {
      throw new Error('the tracing APIs exported no spans: the tracing rows would measure nothing');
    }
    return {
      ...runs,
      exports: collector.exports(),
      ...(baseline ? { baseline: baseline.revision } : {}),
    };
  } finally {
    for (const api of apis.values()) await api.stop();
    await collector.stop();
  }
}
