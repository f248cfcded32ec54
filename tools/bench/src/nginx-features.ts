/**
 * Issue 16, item 4: what each NGINX feature costs per proxied request. One NGINX per variant of
 * the rendered config (nginx-variants.ts), all in front of one API; GET /public/hello at the
 * maximum rate through each, rounds interleaved; NGINX's own CPU per request read from /proc.
 * A feature's share is the shipped config's CPU per request minus the variant's without it,
 * paired by round.
 */
import { freePort } from '@sidecar/testkit';
import { cpuSeconds } from './cpu-time';
import { runMaxRate } from './max-rate';
import { NGINX_VARIANTS, type NginxVariant } from './nginx-variants';
import { rotation, type OverheadSettings } from './overhead';
import { startApi, startSidecarNginx, type BenchServer } from './servers';

/** The same load, servers and NGINX as the overhead part. */
export type FeatureSettings = OverheadSettings;

export const SHIPPED = 'shipped';

export interface FeatureRuns {
  /** What each variant takes out, by name; the shipped config takes out nothing. */
  without: Record<string, string>;
  /** Per variant (and 'shipped'), NGINX CPU µs per request, one per round. */
  nginxCpuMicros: Record<string, number[]>;
  requestsPerSecond: Record<string, number[]>;
}

export async function measureNginxFeatures(settings: FeatureSettings): Promise<FeatureRuns> {
  const started: BenchServer[] = [];
  try {
    const api = await startApi({ port: await freePort(), cpus: settings.podCpus });
    started.push(api);
    const variants: Array<NginxVariant | undefined> = [undefined, ...NGINX_VARIANTS];
    const nginx = new Map<string, BenchServer>();
    for (const variant of variants) {
      const server = await startSidecarNginx({
        nginxPort: await freePort(),
        apiPort: Number(new URL(api.url).port),
        variant,
        env: settings.nginxEnv,
        cpus: settings.podCpus,
        image: settings.nginxImage,
      });
      started.push(server);
      nginx.set(variant?.name ?? SHIPPED, server);
    }
    const names = [...nginx.keys()];
    const load = (name: string, durationSeconds: number) =>
      runMaxRate({
        url: `${nginx.get(name)!.url}/public/hello`,
        connections: settings.connections,
        durationSeconds,
        cpus: settings.generatorCpus,
      });
    for (const name of names) await load(name, 1);

    const runs: FeatureRuns = {
      without: Object.fromEntries(NGINX_VARIANTS.map((v) => [v.name, v.without])),
      nginxCpuMicros: Object.fromEntries(names.map((n) => [n, [] as number[]])),
      requestsPerSecond: Object.fromEntries(names.map((n) => [n, [] as number[]])),
    };
    for (let round = 0; round < settings.rounds; round++) {
      for (const name of rotation(names, round)) {
        const pid = nginx.get(name)!.pid;
        const before = await cpuSeconds([pid]);
        const result = await load(name, settings.durationSeconds);
        const micros = (((await cpuSeconds([pid])) - before) * 1e6) / result.requests;
        runs.nginxCpuMicros[name]!.push(micros);
        runs.requestsPerSecond[name]!.push(result.requestsPerSecond);
        settings.log(
          `nginx features round ${round + 1}/${settings.rounds} ${name}: ${Math.round(result.requestsPerSecond)} req/s, NGINX ${micros.toFixed(1)} CPU µs/request${result.failures ? `, ${result.failures} FAILED` : ''}`,
        );
      }
    }
    return runs;
  } finally {
    for (const server of started.reverse()) await server.stop();
  }
}
