/**
 * make bench: measures, side by side in one run, what users of this template care about and
 * writes dist/bench/report.{md,json} and chart.{svg,png}. Exits 1 when an issue goal is missed,
 * and says which; 2 when a part could not be measured (the report says why). Settings (environment, defaults in parentheses):
 *   BENCH_CONNECTIONS (32), BENCH_DURATION_S (5), BENCH_ROUNDS (5)   the load runs
 *   BENCH_PIN (split)        split: the servers on CPU 0, vegeta on CPU 1; none: no pinning
 *   BENCH_NGINX (image)      image: the sidecar image's nginx on Docker's host network, when an
 *                            engine answers; host: the nginx on PATH (both: the image's config)
 *   BENCH_STARTUP_RUNS (10), BENCH_POD_RUNS (5), BENCH_DRAIN_RUNS (5)
 *   BENCH_DEV_LOOP_COLD_RUNS (1), BENCH_DEV_LOOP_CACHED_RUNS (3)   a cold run takes minutes
 *   BENCH_PARTS (overhead,features,observability,profile,startup,pod,drain,images,devloop)   which parts run;
 *                            `cluster` (Pod start to Ready on kind) runs when named, after
 *                            `make deploy`: BENCH_PARTS=cluster make bench
 *   BENCH_CLUSTER_RUNS (5)
 *   BENCH_API_BASELINE_REV (none)   a git revision whose API the observability part runs beside
 *                            today's (built in a worktree): BENCH_API_BASELINE_REV=v1.2.0
 * The servers run on the Node running this file, which must be NODE_VERSION (tools/versions.env):
 * the Node the image ships. make bench puts the pinned Node first on PATH.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { findWorkspaceRoot, readEnvFile, requireShippedNode } from '@sidecar/testkit';
import { docker, engineAnswers } from '@sidecar/pod';
import { chartSvg, svgToPng } from './chart';
import { chartMemory } from './chart-memory';
import { measureClusterStart } from './cluster-start';
import { measureDevLoop } from './dev-loop';
import { measureEditToAnswer } from './edit-to-answer';
import { measureDrain } from './drain';
import { measureImages } from './images';
import { measureNginxFeatures } from './nginx-features';
import { measureObservabilityCost } from './observability-cost';
import { buildBaselineApi } from './baseline-api';
import { measureOverhead } from './overhead';
import { measurePodStart } from './pod-start';
import { profileApi } from './profile';
import { measureStartup } from './startup';
import {
  analyse,
  markdown,
  panels,
  type Machine,
  type Measurements,
  type Settings,
} from './report';

const PARTS = [
  'overhead',
  'features',
  'observability',
  'profile',
  'startup',
  'pod',
  'drain',
  'images',
  'devloop',
  'cluster',
] as const;
/** Every part but the cluster's, which needs `make deploy` first. */
const DEFAULT_PARTS = PARTS.filter((part) => part !== 'cluster');
type Part = (typeof PARTS)[number];

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

function intSetting(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got ${raw}`);
  return value;
}

function version(command: string, args: string[]): string {
  try {
    return execFileSync(command, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }).trim();
  } catch (error) {
    // `nginx -v` writes to stderr.
    return ((error as { stderr?: string }).stderr ?? '').trim() || 'unknown';
  }
}

/** The sidecar image when NGINX runs as the image (BENCH_NGINX=image and an engine answers). */
async function nginxImage(tag: string): Promise<string | undefined> {
  const mode = process.env.BENCH_NGINX || 'image';
  if (mode !== 'image' && mode !== 'host')
    throw new Error(`BENCH_NGINX must be image or host, got ${mode}`);
  if (mode === 'host' || !(await engineAnswers())) return undefined;
  const image = `sidecar-nginx:${tag}`;
  await docker('image', 'inspect', image).catch(() => {
    throw new Error(`${image} is not in the engine: run tools/bench/run.sh, which builds it`);
  });
  return image;
}

async function describeNginx(image: string | undefined): Promise<string> {
  if (!image)
    return `${version('sh', ['-c', 'nginx -v 2>&1']).replace('nginx version: ', '')} on the host, with the image's config`;
  // nginx -v writes to stderr.
  const v = await docker('run', '--rm', '--entrypoint', 'sh', image, '-c', 'nginx -v 2>&1').catch(
    (e: Error) => e.message,
  );
  return `the ${image} image (${v.trim().replace('nginx version: ', '')})`;
}

function describeMachine(loadBefore: number, nginx: string): Machine {
  const osRelease = readEnvFile('/etc/os-release');
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    os: `${osRelease.PRETTY_NAME ?? 'Linux'}, kernel ${version('uname', ['-r'])}`,
    node: process.version,
    nginx,
    docker: version('docker', ['version', '--format', '{{.Server.Version}}']),
    loadAverage: { before: loadBefore, after: loadavg()[0] ?? 0 },
  };
}

/** split: the servers (API and NGINX) on CPU 0, the load generator on CPU 1. */
function pinning(): { podCpus?: string; generatorCpus?: string; description: string } {
  const mode = process.env.BENCH_PIN || 'split';
  if (mode === 'none') return { description: 'no CPU pinning' };
  if (mode !== 'split') throw new Error(`BENCH_PIN must be split or none, got ${mode}`);
  if (cpus().length < 2) throw new Error('BENCH_PIN=split needs 2 CPUs; set BENCH_PIN=none');
  return {
    podCpus: '0',
    generatorCpus: '1',
    description:
      'the servers (API, references, NGINX) share CPU 0, the load generator runs on CPU 1 (taskset)',
  };
}

async function main(): Promise<void> {
  const root = findWorkspaceRoot();
  const loadBefore = loadavg()[0] ?? 0;
  const parts = new Set((process.env.BENCH_PARTS || DEFAULT_PARTS.join(',')).split(','));
  for (const part of parts) {
    if (!(PARTS as readonly string[]).includes(part))
      throw new Error(`BENCH_PARTS: unknown part ${part} (known: ${PARTS.join(', ')})`);
  }
  // The bench measures what ships: the servers run on this Node.
  requireShippedNode(
    'the bench',
    'run it with `make bench`, which puts the pinned Node first on PATH',
  );
  const pin = pinning();
  // The image tag is the root package.json version.
  const tag = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
    .version;
  const image = parts.has('overhead') || parts.has('features') ? await nginxImage(tag) : undefined;
  const settings: Settings = {
    connections: intSetting('BENCH_CONNECTIONS', 32),
    durationSeconds: intSetting('BENCH_DURATION_S', 5),
    rounds: intSetting('BENCH_ROUNDS', 5),
    pinning: pin.description,
    // Far above what 2 cores can send, so the limit never rejects; limit_req still runs.
    publicRate: '1000000r/s',
    publicBurst: '1000000',
    drainInFlight: 32,
    drainHoldMs: 200,
  };
  const started = performance.now();
  const m: Measurements = {};
  // A part that cannot run (a busy port, a missing image) is reported as not measured; the
  // others still run and the report is still written.
  const notMeasured: Record<string, string> = {};
  const measure = async (part: Part, what: string, body: () => Promise<void>) => {
    if (!parts.has(part)) return;
    log(what);
    try {
      await body();
    } catch (error) {
      notMeasured[part] = (error as Error).message;
      log(`NOT MEASURED: ${part}: ${(error as Error).message}`);
    }
  };
  const load = {
    connections: settings.connections,
    durationSeconds: settings.durationSeconds,
    rounds: settings.rounds,
    podCpus: pin.podCpus,
    generatorCpus: pin.generatorCpus,
    nginxEnv: {
      NGINX_PUBLIC_RATE: settings.publicRate,
      NGINX_PUBLIC_BURST: settings.publicBurst,
      // One worker per core NGINX gets, as the chart sets it from the CPU limit.
      NGINX_WORKER_PROCESSES: String(pin.podCpus?.split(',').length ?? cpus().length),
    },
    nginxImage: image,
    log,
  };
  await measure(
    'overhead',
    `what a request costs: ${settings.rounds} rounds x ${settings.durationSeconds} s per scenario (${pin.description})`,
    async () => {
      m.overhead = await measureOverhead(load);
      m.chartMemory = chartMemory();
    },
  );
  await measure(
    'features',
    `what each NGINX feature costs: ${settings.rounds} rounds x ${settings.durationSeconds} s per variant`,
    async () => {
      m.features = await measureNginxFeatures(load);
    },
  );
  await measure(
    'observability',
    `what metrics and tracing cost: ${settings.rounds} rounds x ${settings.durationSeconds} s per variant`,
    async () => {
      const rev = process.env.BENCH_API_BASELINE_REV;
      const baseline = rev ? await buildBaselineApi(root, rev, log) : undefined;
      try {
        m.observability = await measureObservabilityCost(load, baseline);
      } finally {
        await baseline?.remove();
      }
    },
  );
  await measure(
    'profile',
    `the API under node --cpu-prof, ${settings.durationSeconds} s at the maximum rate`,
    async () => {
      m.profile = await profileApi({
        root,
        durationSeconds: settings.durationSeconds,
        connections: settings.connections,
        podCpus: pin.podCpus,
        generatorCpus: pin.generatorCpus,
        log,
      });
    },
  );
  await measure('startup', "the API's start, split", async () => {
    m.startup = await measureStartup({
      runs: intSetting('BENCH_STARTUP_RUNS', 10),
      cpus: pin.podCpus,
      log,
    });
  });
  await measure('pod', "Pod start to Ready (the chart's Pod on Docker)", async () => {
    m.podStart = await measurePodStart({
      runs: intSetting('BENCH_POD_RUNS', 5),
      imageTag: tag,
      log,
    });
  });
  await measure(
    'drain',
    `graceful drain with ${settings.drainInFlight} requests in flight`,
    async () => {
      m.drain = await measureDrain({
        runs: intSetting('BENCH_DRAIN_RUNS', 5),
        inFlight: settings.drainInFlight,
        holdMs: settings.drainHoldMs,
        cpus: pin.podCpus,
        log,
      });
    },
  );
  await measure('cluster', 'Pod start to Ready on the kind cluster', async () => {
    m.clusterStart = await measureClusterStart({
      root,
      runs: intSetting('BENCH_CLUSTER_RUNS', 5),
      log,
    });
  });
  await measure('images', 'image sizes', async () => {
    m.images = await measureImages([`sidecar-api:${tag}`, `sidecar-nginx:${tag}`]);
  });
  await measure(
    'devloop',
    'development loop: nx run-many -t lint test build, cold, then cached; make dev, save to answer',
    async () => {
      m.devLoop = await measureDevLoop({
        coldRuns: intSetting('BENCH_DEV_LOOP_COLD_RUNS', 1),
        cachedRuns: intSetting('BENCH_DEV_LOOP_CACHED_RUNS', 3),
        log,
      });
      m.editToAnswerMs = await measureEditToAnswer({
        edits: intSetting('BENCH_DEV_EDITS', 5),
        log,
      });
    },
  );

  const analysis = analyse(m);
  const machine = describeMachine(loadBefore, await describeNginx(image));
  const command = 'make bench';
  const report = markdown(analysis, machine, settings, command, notMeasured);
  const outDir = join(root, 'dist', 'bench');
  await mkdir(outDir, { recursive: true });
  const svg = chartSvg(
    'sidecar: make bench',
    `${machine.cpu}, ${machine.cores} cores; ${settings.connections} connections; bars: median, whiskers: range over the runs`,
    panels(analysis),
  );
  await Promise.all([
    writeFile(join(outDir, 'report.md'), report),
    writeFile(
      join(outDir, 'report.json'),
      `${JSON.stringify({ generatedAt: new Date().toISOString(), command, machine, settings, analysis, notMeasured, runs: m }, null, 2)}\n`,
    ),
    writeFile(join(outDir, 'chart.svg'), svg),
    writeFile(join(outDir, 'chart.png'), svgToPng(svg)),
  ]);
  process.stdout.write(`\n${report}\n`);
  const missed = analysis.goals.filter((g) => !g.met);
  const minutes = ((performance.now() - started) / 60_000).toFixed(1);
  log(`wrote dist/bench/report.md, report.json, chart.svg and chart.png in ${minutes} min`);
  for (const g of missed) {
    log(
      `GOAL MISSED: ${g.name}: ${g.measured.toFixed(3)} ${g.unit}, needs ${g.comparison} ${g.bound}`,
    );
  }
  if (Object.keys(notMeasured).length > 0) {
    log(`not measured: ${Object.keys(notMeasured).join(', ')} (see above)`);
    process.exit(2);
  }
  if (missed.length > 0) process.exit(1);
  log(`all ${analysis.goals.length} goals met`);
}

main().catch((error: Error) => {
  log(`ERROR: ${error.message}`);
  process.exit(2);
});
