/**
 * Issue items 1, 2 and the API's memory: GET /public/hello straight to the API and through the
 * sidecar NGINX (upstream keepalive on, as shipped, and off, bench only), and NGINX's static page
 * as the ceiling. Same generator, connections and duration for every variant; rounds interleave
 * the variants (rotating who goes first) so that drift hits each alike.
 */
import { runLoad, type LoadResult } from './load';
import { cpuSeconds } from './cpu-time';
import { residentMiB, samplePeakResident } from './memory';
import { freePort } from '@sidecar/testkit';
import { startApi, startSidecarNginx, type BenchServer } from './servers';
import { median } from './stats';

export interface OverheadSettings {
  connections: number;
  durationSeconds: number;
  rounds: number;
  /** CPUs for the API and NGINX (taskset -c); unset: not pinned. */
  podCpus?: string;
  /** CPUs for the load generator; unset: not pinned. */
  generatorCpus?: string;
  /** limit_req on /public/ raised for the bench: NGINX_PUBLIC_RATE and NGINX_PUBLIC_BURST. */
  publicRate: string;
  publicBurst: string;
  log: (line: string) => void;
}

export const SATURATED_VARIANTS = ['direct', 'sidecar', 'sidecarNoKeepalive', 'static'] as const;
export const FIXED_RATE_VARIANTS = ['direct', 'sidecar', 'sidecarNoKeepalive'] as const;
export type Variant = (typeof SATURATED_VARIANTS)[number];

export interface OverheadRuns {
  /** Per variant, one result per round, in round order (so rounds pair up). */
  saturated: Record<Variant, LoadResult[]>;
  /** Half of the direct path's median maximum rate. */
  halfRate: number;
  fixedRate: Record<(typeof FIXED_RATE_VARIANTS)[number], LoadResult[]>;
  /**
   * Per variant and round of the maximum-rate runs: CPU microseconds per request used by the
   * processes that served it (the API; the API and NGINX; NGINX for the static page).
   */
  cpuMicrosPerRequest: Record<Variant, number[]>;
  apiResidentMiB: { idle: number; underLoad: number[] };
}

/** Round r runs the variants starting at index r: each variant takes each position in turn. */
export function rotation<T>(items: readonly T[], round: number): T[] {
  const start = round % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

export async function measureOverhead(settings: OverheadSettings): Promise<OverheadRuns> {
  const { log } = settings;
  const apiPort = await freePort();
  const servers: BenchServer[] = [];
  try {
    const api = await startApi({ port: apiPort, cpus: settings.podCpus });
    servers.push(api);
    const idle = await residentMiB(api.pid);
    const env = {
      NGINX_PUBLIC_RATE: settings.publicRate,
      NGINX_PUBLIC_BURST: settings.publicBurst,
    };
    const nginx = (upstreamKeepalive: boolean) =>
      freePort().then((nginxPort) =>
        startSidecarNginx({ nginxPort, apiPort, upstreamKeepalive, env, cpus: settings.podCpus }),
      );
    const sidecar = await nginx(true);
    servers.push(sidecar);
    const sidecarNoKeepalive = await nginx(false);
    servers.push(sidecarNoKeepalive);
    const servedBy: Record<Variant, number[]> = {
      direct: [api.pid],
      sidecar: [api.pid, sidecar.pid],
      sidecarNoKeepalive: [api.pid, sidecarNoKeepalive.pid],
      static: [sidecar.pid],
    };
    const urls: Record<Variant, string> = {
      direct: `${api.url}/public/hello`,
      sidecar: `${sidecar.url}/public/hello`,
      sidecarNoKeepalive: `${sidecarNoKeepalive.url}/public/hello`,
      static: `${sidecar.url}/`,
    };
    const load = (variant: Variant, rate?: number) =>
      runLoad({
        url: urls[variant],
        connections: settings.connections,
        durationSeconds: settings.durationSeconds,
        cpus: settings.generatorCpus,
        ...(rate === undefined ? {} : { rate }),
      });

    log('warming up (1 s per variant, not counted)');
    for (const variant of SATURATED_VARIANTS) {
      await runLoad({
        url: urls[variant],
        connections: settings.connections,
        durationSeconds: 1,
        cpus: settings.generatorCpus,
      });
    }

    const saturated = emptyRuns(SATURATED_VARIANTS);
    const cpuMicrosPerRequest = emptyRuns<Variant, number>(SATURATED_VARIANTS);
    const underLoad: number[] = [];
    for (let round = 0; round < settings.rounds; round++) {
      for (const variant of rotation(SATURATED_VARIANTS, round)) {
        const peak = variant === 'static' ? undefined : samplePeakResident(api.pid);
        const cpuBefore = await cpuSeconds(servedBy[variant]);
        const result = await load(variant);
        const cpu = (await cpuSeconds(servedBy[variant])) - cpuBefore;
        if (peak) underLoad.push(await peak.stop());
        saturated[variant].push(result);
        cpuMicrosPerRequest[variant].push((cpu * 1e6) / result.requests);
        log(
          `max rate  round ${round + 1}/${settings.rounds} ${variant}: ${describe(result)}, ${((cpu * 1e6) / result.requests).toFixed(0)} CPU µs/request`,
        );
      }
    }

    const directMax = median(saturated.direct.map((r) => r.requestsPerSecond));
    const halfRate = Math.round(directMax / 2);
    const fixedRate = emptyRuns(FIXED_RATE_VARIANTS);
    for (let round = 0; round < settings.rounds; round++) {
      for (const variant of rotation(FIXED_RATE_VARIANTS, round)) {
        const result = await load(variant, halfRate);
        fixedRate[variant].push(result);
        log(
          `${halfRate} req/s round ${round + 1}/${settings.rounds} ${variant}: ${describe(result)}`,
        );
      }
    }
    return {
      saturated,
      halfRate,
      fixedRate,
      cpuMicrosPerRequest,
      apiResidentMiB: { idle, underLoad },
    };
  } finally {
    for (const server of servers.reverse()) await server.stop();
  }
}

function emptyRuns<K extends string, T = LoadResult>(keys: readonly K[]): Record<K, T[]> {
  return Object.fromEntries(keys.map((key) => [key, []])) as unknown as Record<K, T[]>;
}

function describe(result: LoadResult): string {
  return `${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms${result.failures ? `, ${result.failures} FAILED` : ''}`;
}
