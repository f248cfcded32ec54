/**
 * Issue 16, items 1, 2 and 5: what a request costs on the Node the image ships, the API set
 * against the two references a reader calibrates with (Node's http module alone, minimal
 * Express), and what the sidecar NGINX adds, at a hello route and at a route doing ~1 ms of
 * work. Same generator, connections and duration for every scenario; rounds interleave the
 * scenarios (rotating who goes first) so that drift hits each alike.
 *
 * Two loads per scenario, every server on one core: as fast as the servers answer (wrk,
 * max-rate.ts: throughput, and the CPU the serving processes used per request, read from /proc),
 * then an open model (vegeta) at half of what the Pod serves through NGINX at most, direct and
 * through NGINX alike (the latency the sidecar adds to a Pod that is not saturated).
 */
import { cpus } from 'node:os';
import { cpuSeconds } from './cpu-time';
import { runLoad, type LoadResult } from './load';
import { runMaxRate } from './max-rate';
import { residentMiB, samplePeakResident } from './memory';
import { freePort } from '@sidecar/testkit';
import { startApi, startReference, startSidecarNginx, type BenchServer } from './servers';
import { median } from './stats';

export interface OverheadSettings {
  connections: number;
  durationSeconds: number;
  rounds: number;
  /** CPUs for the servers (taskset -c); unset: not pinned. */
  podCpus?: string;
  /** CPUs for the load generator; unset: not pinned. */
  generatorCpus?: string;
  /** limit_req on /public/ raised for the bench: NGINX_PUBLIC_RATE and NGINX_PUBLIC_BURST. */
  nginxEnv: Record<string, string>;
  /** The sidecar image, when NGINX runs as the image (Docker); unset: the nginx on PATH. */
  nginxImage?: string;
  log: (line: string) => void;
}

/** Each scenario: one URL, the servers on its path. */
export const SCENARIOS = [
  'bare-http',
  'minimal-express',
  'api',
  'api-via-nginx',
  'nginx-static',
  'work',
  'work-via-nginx',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** Where the servers run during the latency runs. */
export const PLACEMENTS = ['one core', 'every core'] as const;
export type Placement = (typeof PLACEMENTS)[number];

/** Every CPU of this machine, in taskset's list format. */
function allCpus(): string {
  return `0-${cpus().length - 1}`;
}

/** Direct and through the sidecar, compared at half of the through-NGINX maximum. */
export const LATENCY_PAIRS = [
  { route: 'hello', direct: 'api', viaNginx: 'api-via-nginx' },
  { route: 'work', direct: 'work', viaNginx: 'work-via-nginx' },
] as const;

export interface ScenarioRun {
  load: LoadResult;
  /** CPU µs per request of every process on the path. */
  cpuMicros: number;
  /** CPU µs per request of NGINX alone (its master and workers), when on the path. */
  nginxCpuMicros?: number;
  /** CPU seconds used per second of load: 1.0 is one core busy. */
  busyCores: number;
}

export interface OverheadRuns {
  /** Per scenario, one run per round, in round order (so rounds pair up). */
  saturated: Record<Scenario, ScenarioRun[]>;
  halfRate: Array<{
    route: string;
    placement: Placement;
    requestsPerSecond: number;
    direct: LoadResult[];
    viaNginx: LoadResult[];
  }>;
  /** Resident memory in MiB, after start and at the peak of the saturated runs. */
  memory: Record<'api' | 'nginx', { idle: number; peak: number[] }>;
}

/** Round r runs the items starting at index r: each item takes each position in turn. */
export function rotation<T>(items: readonly T[], round: number): T[] {
  const start = round % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

interface Path {
  url: string;
  servers: BenchServer[];
  nginx?: BenchServer;
}

export async function measureOverhead(settings: OverheadSettings): Promise<OverheadRuns> {
  const { log } = settings;
  const started: BenchServer[] = [];
  const start = async <T extends BenchServer>(server: Promise<T>): Promise<T> => {
    const s = await server;
    started.push(s);
    return s;
  };
  try {
    const cpus = settings.podCpus;
    const onPodCpus = async () => ({ port: await freePort(), cpus });
    const bare = await start(startReference('bare-http', await onPodCpus()));
    const express = await start(startReference('minimal-express', await onPodCpus()));
    const api = await start(startApi(await onPodCpus()));
    const apiIdle = await residentMiB(api.pid);
    const nginxIn = async (upstream: BenchServer) =>
      start(
        startSidecarNginx({
          nginxPort: await freePort(),
          apiPort: Number(new URL(upstream.url).port),
          env: settings.nginxEnv,
          cpus,
          image: settings.nginxImage,
        }),
      );
    const sidecar = await nginxIn(api);
    const nginxIdle = await residentMiB(sidecar.pid);
    const workSidecar = await nginxIn(express);
    const paths: Record<Scenario, Path> = {
      'bare-http': { url: `${bare.url}/public/hello`, servers: [bare] },
      'minimal-express': { url: `${express.url}/public/hello`, servers: [express] },
      api: { url: `${api.url}/public/hello`, servers: [api] },
      'api-via-nginx': {
        url: `${sidecar.url}/public/hello`,
        servers: [api, sidecar],
        nginx: sidecar,
      },
      'nginx-static': { url: `${sidecar.url}/`, servers: [sidecar], nginx: sidecar },
      work: { url: `${express.url}/public/work`, servers: [express] },
      'work-via-nginx': {
        url: `${workSidecar.url}/public/work`,
        servers: [express, workSidecar],
        nginx: workSidecar,
      },
    };
    const load = (scenario: Scenario, durationSeconds: number) =>
      runMaxRate({
        url: paths[scenario].url,
        connections: settings.connections,
        durationSeconds,
        cpus: settings.generatorCpus,
      });

    log('warming up (1 s per scenario, not counted)');
    for (const scenario of SCENARIOS) await load(scenario, 1);

    const saturated = Object.fromEntries(SCENARIOS.map((s) => [s, [] as ScenarioRun[]])) as Record<
      Scenario,
      ScenarioRun[]
    >;
    const peaks = { api: [] as number[], nginx: [] as number[] };
    for (let round = 0; round < settings.rounds; round++) {
      for (const scenario of rotation(SCENARIOS, round)) {
        const path = paths[scenario];
        const sampling = scenario === 'api-via-nginx' && {
          api: samplePeakResident(api.pid),
          nginx: samplePeakResident(sidecar.pid),
        };
        const pids = path.servers.map((s) => s.pid);
        const before = { all: await cpuSeconds(pids), nginx: await nginxCpu(path) };
        const result = await load(scenario, settings.durationSeconds);
        const after = { all: await cpuSeconds(pids), nginx: await nginxCpu(path) };
        if (sampling) {
          peaks.api.push(await sampling.api.stop());
          peaks.nginx.push(await sampling.nginx.stop());
        }
        const perRequest = (seconds: number) => (seconds * 1e6) / result.requests;
        const run: ScenarioRun = {
          load: result,
          cpuMicros: perRequest(after.all - before.all),
          ...(path.nginx ? { nginxCpuMicros: perRequest(after.nginx - before.nginx) } : {}),
          busyCores: (after.all - before.all) / settings.durationSeconds,
        };
        saturated[scenario].push(run);
        log(`max rate  round ${round + 1}/${settings.rounds} ${scenario}: ${describe(run)}`);
      }
    }

    // Two placements: the servers on the one core they had above (NGINX and the API take turns
    // on it), then free to use every core, as containers with CPU limits but no pinning are.
    const halfRate: OverheadRuns['halfRate'] = [];
    for (const placement of PLACEMENTS) {
      if (placement === 'every core') {
        for (const server of started) await server.pinTo(allCpus());
      }
      for (const pair of LATENCY_PAIRS) {
        // Half of what the Pod (the API and NGINX on one core) serves at most: at half of the
        // direct maximum it would run near its own maximum, and p99 would measure queueing.
        const rate = Math.round(
          median(saturated[pair.viaNginx].map((r) => r.load.requestsPerSecond)) / 2,
        );
        const runs = { direct: [] as LoadResult[], viaNginx: [] as LoadResult[] };
        for (let round = 0; round < settings.rounds; round++) {
          for (const side of rotation(['direct', 'viaNginx'] as const, round)) {
            const result = await runLoad({
              url: paths[pair[side]].url,
              connections: settings.connections,
              durationSeconds: settings.durationSeconds,
              cpus: settings.generatorCpus,
              rate,
            });
            runs[side].push(result);
            log(
              `${rate} req/s, servers on ${placement}, round ${round + 1}/${settings.rounds} ${pair[side]}: ${describeLoad(result)}`,
            );
          }
        }
        halfRate.push({ route: pair.route, placement, requestsPerSecond: rate, ...runs });
      }
    }
    return {
      saturated,
      halfRate,
      memory: {
        api: { idle: apiIdle, peak: peaks.api },
        nginx: { idle: nginxIdle, peak: peaks.nginx },
      },
    };
  } finally {
    for (const server of started.reverse()) await server.stop();
  }
}

function nginxCpu(path: Path): Promise<number> {
  return path.nginx ? cpuSeconds([path.nginx.pid]) : Promise.resolve(0);
}

function describeLoad(result: LoadResult): string {
  return `${Math.round(result.requestsPerSecond)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms${result.failures ? `, ${result.failures} FAILED` : ''}`;
}

function describe(run: ScenarioRun): string {
  const nginx = run.nginxCpuMicros === undefined ? '' : ` (NGINX ${run.nginxCpuMicros.toFixed(1)})`;
  return `${describeLoad(run.load)}, ${run.cpuMicros.toFixed(1)} CPU µs/request${nginx}, ${run.busyCores.toFixed(2)} cores busy`;
}
