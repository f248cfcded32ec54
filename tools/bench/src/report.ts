/**
 * The bench's report: the raw runs summarized (median and range), the issue's goals checked on
 * ratios and differences of paired runs, and the markdown the README quotes.
 */
import type { Panel } from './chart';
import { PHASES, type ClusterStartRun } from './cluster-start';
import type { DevLoopRuns } from './dev-loop';
import type { DrainRun } from './drain';
import type { ImageSize } from './images';
import type { LoadResult } from './load';
import { SHIPPED, type FeatureRuns } from './nginx-features';
import { OBSERVABILITY_VARIANTS, type ObservabilityRuns } from './observability-cost';
import { SCENARIOS, type OverheadRuns, type Scenario } from './overhead';
import type { PodStartRun } from './pod-start';
import type { ProfileRun } from './profile';
import type { StartupRun } from './startup';
import {
  goal,
  median,
  pairedDifferences,
  pairedRatios,
  summarize,
  type Goal,
  type Summary,
} from './stats';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  /** Where NGINX ran: the sidecar image (and its nginx -v) or the host's nginx. */
  nginx: string;
  docker: string;
  /** 1-minute load average when the bench started and when it ended. */
  loadAverage: { before: number; after: number };
}

export interface Settings {
  connections: number;
  durationSeconds: number;
  rounds: number;
  pinning: string;
  publicRate: string;
  publicBurst: string;
  drainInFlight: number;
  drainHoldMs: number;
}

/** A container's memory request and limit in the chart's default values, in MiB. */
export interface ChartMemory {
  requestMiB: number;
  limitMiB: number;
}

export interface Measurements {
  overhead?: OverheadRuns;
  features?: FeatureRuns;
  observability?: ObservabilityRuns;
  profile?: ProfileRun;
  startup?: StartupRun[];
  podStart?: PodStartRun[];
  clusterStart?: ClusterStartRun[];
  drain?: DrainRun[];
  images?: ImageSize[];
  devLoop?: DevLoopRuns;
  /** make dev: from saving a route's source to its new answer through NGINX (edit-to-answer.ts). */
  editToAnswerMs?: number[];
  /** The chart's memory settings, held against what the containers used. */
  chartMemory?: Record<'api' | 'nginx', ChartMemory>;
}

/** The issue's goals (issue 16), and the published figure the sidecar is set against. */
export const GOALS = {
  /** The API's throughput as a share of minimal Express's, on one core. */
  minApiShareOfExpress: 0.8,
  maxNginxCpuMicros: 30,
  maxAddedP99Ms: 0.5,
  maxPodReadyMs: 2000,
  maxClusterPodReadyMs: 1000,
  /** make dev: a saved route answered through NGINX. */
  maxEditToAnswerMs: 2000,
  /** `nx run-many -t lint test build` when every task is cached. */
  maxCachedDevLoopSeconds: 3,
  /** The chart's memory request covers the idle container; its limit 1.5x the peak. */
  limitOverPeak: 1.5,
};
/** https://istio.io/v1.16/docs/ops/deployment/performance-and-scalability (Istio 1.16.2). */
export const ISTIO = { cpuMicrosPerRequest: 350, addedP90Ms: 2.65 };

export const SCENARIO_LABELS: Record<Scenario, string> = {
  'bare-http': "Node's http module, no framework (reference)",
  'minimal-express': 'minimal Express 5, one route (reference)',
  api: 'the API (info logging on)',
  'api-via-nginx': 'the API through the sidecar NGINX',
  'nginx-static': "NGINX's static page",
  work: 'minimal Express, ~1 ms route (reference)',
  'work-via-nginx': 'the ~1 ms route through the sidecar NGINX',
};

export interface LoadSummary {
  requestsPerSecond: Summary;
  p50Ms: Summary;
  p99Ms: Summary;
  failures: number;
}

export function summarizeLoad(runs: LoadResult[]): LoadSummary {
  return {
    requestsPerSecond: summarize(runs.map((r) => r.requestsPerSecond)),
    p50Ms: summarize(runs.map((r) => r.p50Ms)),
    p99Ms: summarize(runs.map((r) => r.p99Ms)),
    failures: runs.reduce((sum, r) => sum + r.failures, 0),
  };
}

function analyseOverhead(o: OverheadRuns, goals: Goal[]) {
  const runs = (s: Scenario) => o.saturated[s];
  const cpu = (s: Scenario) => runs(s).map((r) => r.cpuMicros);
  const rps = (s: Scenario) => runs(s).map((r) => r.load.requestsPerSecond);
  const nginxCpu = (s: Scenario) => runs(s).map((r) => r.nginxCpuMicros ?? 0);
  const scenarios = Object.fromEntries(
    SCENARIOS.map((s) => [
      s,
      {
        load: summarizeLoad(runs(s).map((r) => r.load)),
        cpuMicros: summarize(cpu(s)),
        busyCores: summarize(runs(s).map((r) => r.busyCores)),
        ...(runs(s)[0]?.nginxCpuMicros === undefined
          ? {}
          : { nginxCpuMicros: summarize(nginxCpu(s)) }),
      },
    ]),
  ) as Record<
    Scenario,
    { load: LoadSummary; cpuMicros: Summary; busyCores: Summary; nginxCpuMicros?: Summary }
  >;
  const shares = {
    // CPU per request is what runs out on a saturated core: its ratio is the throughput ratio
    // that the load generator's own limits cannot distort.
    apiOfExpressByCpu: pairedRatios(cpu('minimal-express'), cpu('api')),
    apiOfExpressByRate: pairedRatios(rps('api'), rps('minimal-express')),
    expressOfBareByCpu: pairedRatios(cpu('bare-http'), cpu('minimal-express')),
    viaNginxOfDirectByCpu: pairedRatios(cpu('api'), cpu('api-via-nginx')),
    workViaNginxOfDirectByCpu: pairedRatios(cpu('work'), cpu('work-via-nginx')),
  };
  const latency = o.halfRate.map((h) => ({
    route: h.route,
    placement: h.placement,
    requestsPerSecond: h.requestsPerSecond,
    direct: summarizeLoad(h.direct),
    viaNginx: summarizeLoad(h.viaNginx),
    addedP50Ms: pairedDifferences(
      h.viaNginx.map((r) => r.p50Ms),
      h.direct.map((r) => r.p50Ms),
    ),
    addedP99Ms: pairedDifferences(
      h.viaNginx.map((r) => r.p99Ms),
      h.direct.map((r) => r.p99Ms),
    ),
  }));
  const memory = {
    api: { idle: o.memory.api.idle, peak: summarize(o.memory.api.peak) },
    nginx: { idle: o.memory.nginx.idle, peak: summarize(o.memory.nginx.peak) },
  };
  goals.push(
    goal(
      'the API / minimal Express, throughput on one core (by CPU per request)',
      shares.apiOfExpressByCpu.median,
      '>=',
      GOALS.minApiShareOfExpress,
    ),
    goal(
      'NGINX CPU per proxied request, GET /public/hello',
      scenarios['api-via-nginx'].nginxCpuMicros!.median,
      '<=',
      GOALS.maxNginxCpuMicros,
      'µs',
    ),
  );
  // The goal's placement: containers with CPU limits run on any of the node's cores.
  const hello = latency.find((l) => l.route === 'hello' && l.placement === 'every core');
  if (hello) {
    goals.push(
      goal(
        `p99 added by NGINX at half load (${hello.requestsPerSecond} req/s, GET /public/hello, servers on every core)`,
        hello.addedP99Ms.median,
        '<=',
        GOALS.maxAddedP99Ms,
        'ms',
      ),
    );
  }
  return { scenarios, shares, latency, memory };
}

function analyseFeatures(f: FeatureRuns) {
  const shipped = f.nginxCpuMicros[SHIPPED]!;
  return {
    shipped: summarize(shipped),
    variants: Object.entries(f.without).map(([name, without]) => ({
      name,
      without,
      nginxCpuMicros: summarize(f.nginxCpuMicros[name]!),
      requestsPerSecond: summarize(f.requestsPerSecond[name]!),
      // What the feature costs: the shipped config's CPU minus this variant's, paired by round.
      shareMicros: pairedDifferences(shipped, f.nginxCpuMicros[name]!),
    })),
  };
}

function analyseObservability(o: ObservabilityRuns) {
  const variants = [...(o.baseline ? (['baseline'] as const) : []), ...OBSERVABILITY_VARIANTS];
  return {
    exports: o.exports,
    baseline: o.baseline,
    variants: variants.map((variant) => {
      const cpu = o.cpuMicros[variant]!;
      const rate = o.requestsPerSecond[variant]!;
      return {
        variant,
        cpuMicros: summarize(cpu),
        requestsPerSecond: summarize(rate),
        // Against the API with both off, paired by round.
        addedMicros: pairedDifferences(cpu, o.cpuMicros.off),
        throughputShare: pairedRatios(rate, o.requestsPerSecond.off),
      };
    }),
  };
}

function analyseStartup(runs: StartupRun[]) {
  const of = (pick: (r: StartupRun) => number) => summarize(runs.map(pick));
  return {
    emptyNodeMs: of((r) => r.emptyNodeMs),
    loadMs: of((r) => r.startupMs.load),
    configMs: of((r) => r.startupMs.config),
    listenMs: of((r) => r.startupMs.listen),
    totalMs: of((r) => r.startupMs.total),
    readyMs: of((r) => r.readyMs),
  };
}

/** Everything the report says, derived from the measurements alone. */
export function analyse(m: Measurements) {
  const goals: Goal[] = [];
  const overhead = m.overhead && analyseOverhead(m.overhead, goals);
  if (overhead && m.chartMemory) {
    for (const container of ['api', 'nginx'] as const) {
      const chart = m.chartMemory[container];
      const used = overhead.memory[container];
      goals.push(
        goal(
          `chart: ${container} memory request covers the idle container`,
          chart.requestMiB - used.idle,
          '>=',
          0,
          'MiB',
        ),
        goal(
          `chart: ${container} memory limit / peak under load`,
          chart.limitMiB / used.peak.max,
          '>=',
          GOALS.limitOverPeak,
        ),
      );
    }
  }
  const features = m.features && analyseFeatures(m.features);
  const observability = m.observability && analyseObservability(m.observability);
  const startup = m.startup && analyseStartup(m.startup);
  const podStart = m.podStart && {
    readyMs: summarize(m.podStart.map((r) => r.readyMs)),
    probedReadyMs: summarize(m.podStart.map((r) => r.probedReadyMs)),
    cleanExits: m.podStart.every((r) => Object.values(r.exitCodes).every((code) => code === 0)),
  };
  if (podStart) {
    goals.push(
      goal(
        'Pod start to Ready on Docker (both readiness endpoints)',
        podStart.readyMs.median,
        '<=',
        GOALS.maxPodReadyMs,
        'ms',
      ),
    );
  }
  const clusterStart = m.clusterStart && {
    readyMs: summarize(m.clusterStart.map((r) => r.readyMs)),
    phases: PHASES.filter((p) => m.clusterStart!.every((r) => r.phases[p] !== undefined)).map(
      (phase) => ({ phase, ms: summarize(m.clusterStart!.map((r) => r.phases[phase]!)) }),
    ),
  };
  if (clusterStart) {
    goals.push(
      goal(
        'Pod start to Ready on the kind cluster (creation to the Ready condition)',
        clusterStart.readyMs.median,
        '<=',
        GOALS.maxClusterPodReadyMs,
        'ms',
      ),
    );
  }
  const drain = m.drain && {
    exitMs: summarize(m.drain.map((r) => r.exitMs)),
    afterLastResponseMs: summarize(m.drain.map((r) => r.afterLastResponseMs)),
    completed: summarize(m.drain.map((r) => r.completed)),
    cleanExits: m.drain.every((r) => r.exitCode === 0),
  };
  if (m.devLoop) {
    goals.push(
      goal(
        '`nx run-many -t lint test build`, every task cached',
        median(m.devLoop.cachedSeconds),
        '<=',
        GOALS.maxCachedDevLoopSeconds,
        's',
      ),
    );
  }
  const editToAnswerMs = m.editToAnswerMs && summarize(m.editToAnswerMs);
  if (editToAnswerMs) {
    goals.push(
      goal(
        'make dev: from saving a route to its new answer through NGINX',
        editToAnswerMs.median,
        '<=',
        GOALS.maxEditToAnswerMs,
        'ms',
      ),
    );
  }
  const devLoop = m.devLoop && {
    coldSeconds: summarize(m.devLoop.coldSeconds),
    cachedSeconds: summarize(m.devLoop.cachedSeconds),
    coldToCached: median(m.devLoop.coldSeconds) / median(m.devLoop.cachedSeconds),
    failedRuns: m.devLoop.failedRuns,
    failedTasks: m.devLoop.failedTasks,
    cacheMisses: m.devLoop.cacheMisses,
  };
  return {
    overhead,
    features,
    observability,
    profile: m.profile,
    startup,
    podStart,
    clusterStart,
    drain,
    images: m.images,
    devLoop,
    editToAnswerMs,
    chartMemory: m.chartMemory,
    goals,
  };
}

export type Analysis = ReturnType<typeof analyse>;

/** Bytes in binary units: the small layers of an image read as KiB, the images as MiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** "median (min – max)" */
function spread(s: Summary, digits: number, unit = ''): string {
  const u = unit ? ` ${unit}` : '';
  return `${s.median.toFixed(digits)}${u} (${s.min.toFixed(digits)} – ${s.max.toFixed(digits)})`;
}

/** A markdown table: a header row, then the rows. */
function table(lines: string[], heading: string, header: string[], rows: string[][]): void {
  lines.push(`**${heading}**`, '');
  lines.push(
    `| ${header.join(' | ')} |`,
    `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`,
  );
  for (const row of rows) lines.push(`| ${row.join(' | ')} |`);
  lines.push('');
}

function goalLines(lines: string[], goals: Goal[]): void {
  lines.push('| goal | measured (median) | bound | |', '| --- | ---: | ---: | --- |');
  for (const g of goals) {
    const unit = g.unit ? ` ${g.unit}` : '';
    const digits = g.unit === 'ms' ? 2 : g.unit ? 1 : 3;
    lines.push(
      `| ${g.name} | ${g.measured.toFixed(digits)}${unit} | ${g.comparison} ${g.bound}${unit} | ${g.met ? 'met' : '**MISSED**'} |`,
    );
  }
  lines.push('');
}

function overheadLines(lines: string[], o: NonNullable<Analysis['overhead']>, settings: Settings) {
  const s = o.scenarios;
  const rows = (scenarios: Scenario[], base: Scenario) =>
    scenarios.map((name) => {
      const x = s[name];
      const failed = x.load.failures > 0 ? ` (**${x.load.failures} failed**)` : '';
      return [
        `${SCENARIO_LABELS[name]}${failed}`,
        spread(x.load.requestsPerSecond, 0),
        spread(x.cpuMicros, 1),
        x.nginxCpuMicros ? spread(x.nginxCpuMicros, 1) : '',
        x.busyCores.median.toFixed(2),
        (s[base].cpuMicros.median / x.cpuMicros.median).toFixed(2),
      ];
    });
  const header = [
    'server',
    'req/s',
    'CPU µs per request (all its processes)',
    'of which NGINX',
    'cores busy',
    'throughput per core vs the first row',
  ];
  table(
    lines,
    `GET /public/hello as fast as answered: ${settings.connections} connections, ${settings.durationSeconds} s per run, ${settings.rounds} interleaved rounds (wrk; ${settings.pinning})`,
    header,
    rows(['bare-http', 'minimal-express', 'api', 'api-via-nginx', 'nginx-static'], 'bare-http'),
  );
  table(
    lines,
    'A route that does ~1 ms of work (PBKDF2 calibrated at start), same load',
    header,
    rows(['work', 'work-via-nginx'], 'work'),
  );
  table(
    lines,
    'Shares, from CPU per request paired by round (median, range)',
    ['figure', 'median (range)'],
    [
      ['the API / minimal Express', spread(o.shares.apiOfExpressByCpu, 3)],
      ['the API / minimal Express, by req/s', spread(o.shares.apiOfExpressByRate, 3)],
      ["minimal Express / Node's http module", spread(o.shares.expressOfBareByCpu, 3)],
      [
        'hello through NGINX / direct (NGINX on the same core)',
        spread(o.shares.viaNginxOfDirectByCpu, 3),
      ],
      ['~1 ms route through NGINX / direct', spread(o.shares.workViaNginxOfDirectByCpu, 3)],
    ],
  );
  table(
    lines,
    'Latency at half of what the Pod serves through NGINX at most (vegeta, an open model: requests leave on schedule)',
    [
      'route',
      'servers on',
      'req/s',
      'direct p50 / p99 ms',
      'through NGINX p50 / p99 ms',
      'added p50 ms',
      'added p99 ms',
    ],
    o.latency.map((l) => [
      l.route === 'hello' ? 'GET /public/hello (the API)' : 'GET /public/work (~1 ms)',
      l.placement,
      String(l.requestsPerSecond),
      `${l.direct.p50Ms.median.toFixed(2)} / ${l.direct.p99Ms.median.toFixed(2)}`,
      `${l.viaNginx.p50Ms.median.toFixed(2)} / ${l.viaNginx.p99Ms.median.toFixed(2)}`,
      spread(l.addedP50Ms, 2),
      spread(l.addedP99Ms, 2),
    ]),
  );
  const nginx = s['api-via-nginx'].nginxCpuMicros!.median;
  const hello = o.latency.find((l) => l.route === 'hello' && l.placement === 'every core');
  lines.push(
    `Set against Istio's published figures for Envoy as a sidecar proxy (${ISTIO.cpuMicrosPerRequest} µs of CPU per request: 0.35 vCPU per 1000 req/s; +${ISTIO.addedP90Ms} ms at p90; Istio 1.16): this sidecar's NGINX uses ${nginx.toFixed(1)} µs per proxied request (${(ISTIO.cpuMicrosPerRequest / nginx).toFixed(0)}x less)${hello ? ` and adds ${hello.addedP99Ms.median.toFixed(2)} ms at p99 at half load` : ''}.`,
    '',
  );
}

function featureLines(lines: string[], f: NonNullable<Analysis['features']>) {
  table(
    lines,
    `What each NGINX feature costs: NGINX CPU per proxied GET /public/hello with the feature taken out (shipped config: ${spread(f.shipped, 1, 'µs')})`,
    [
      'variant',
      'without',
      'NGINX CPU µs per request',
      'shipped minus variant, µs: what the feature costs',
      'req/s',
    ],
    f.variants.map((v) => [
      v.name,
      v.without,
      spread(v.nginxCpuMicros, 1),
      spread(v.shareMicros, 1),
      v.requestsPerSecond.median.toFixed(0),
    ]),
  );
}

const OBSERVABILITY_LABELS = {
  off: 'metrics and tracing off',
  metrics: 'metrics on (METRICS_ENABLED)',
  tracing: 'tracing on, every request sampled and exported',
  'metrics+tracing': 'both on',
} as const;

function observabilityLines(lines: string[], o: NonNullable<Analysis['observability']>) {
  table(
    lines,
    `What metrics and tracing cost: the API's CPU per GET /public/hello at the maximum rate, side by side (${o.exports} OTLP exports received)`,
    [
      'API',
      'API CPU µs per request',
      'minus the all-off API, µs',
      'req/s',
      'req/s share of all-off',
    ],
    o.variants.map((v) => [
      v.variant === 'baseline'
        ? `${o.baseline}, before (its defaults)`
        : OBSERVABILITY_LABELS[v.variant],
      spread(v.cpuMicros, 1),
      v.variant === 'off' ? '' : spread(v.addedMicros, 1),
      v.requestsPerSecond.median.toFixed(0),
      v.variant === 'off' ? '' : spread(v.throughputShare, 3),
    ]),
  );
}

function memoryRows(a: Analysis): string[][] {
  const o = a.overhead;
  if (!o) return [];
  return (['api', 'nginx'] as const).map((c) => {
    const chart = a.chartMemory?.[c];
    return [
      c,
      `${o.memory[c].idle.toFixed(1)} MiB`,
      `${spread(o.memory[c].peak, 1, 'MiB')}`,
      chart ? `${chart.requestMiB} MiB / ${chart.limitMiB} MiB` : 'not read',
    ];
  });
}

export function markdown(
  a: Analysis,
  machine: Machine,
  settings: Settings,
  command: string,
  notMeasured: Record<string, string> = {},
): string {
  const lines: string[] = [];
  lines.push(
    `Produced by \`${command}\` on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}; Node ${machine.node} (the Node the image ships); NGINX: ${machine.nginx}; Docker ${machine.docker}. Load average ${machine.loadAverage.before.toFixed(2)} before, ${machine.loadAverage.after.toFixed(2)} after.`,
    '',
  );
  if (Math.max(machine.loadAverage.before, machine.loadAverage.after) > machine.cores / 2) {
    lines.push(
      `> **The machine was busy** (load average above ${machine.cores / 2} on ${machine.cores} cores): other work shared the CPUs, so rates and latencies understate what the template does on an idle machine; CPU per request suffers least. Rerun \`${command}\` on a quiet machine.`,
      '',
    );
  }
  if (a.goals.length > 0) goalLines(lines, a.goals);
  if (a.overhead) overheadLines(lines, a.overhead, settings);
  if (a.features) featureLines(lines, a.features);
  if (a.observability) observabilityLines(lines, a.observability);
  if (a.profile) {
    table(
      lines,
      `Where the API spends its CPU: self time under GET /public/hello at ${Math.round(a.profile.requestsPerSecond)} req/s, idle excluded (flame graph: ${a.profile.files.flameGraph}; profile: ${a.profile.files.profile})`,
      ['function (file:line in the bundle or Node)', 'share of busy time'],
      a.profile.top.map((e) => [
        e.frame.replace(/\|/g, '\\|'),
        `${(100 * e.selfShare).toFixed(1)}%`,
      ]),
    );
  }
  const memory = memoryRows(a);
  if (memory.length > 0) {
    table(
      lines,
      "Resident memory of each container (RSS of its processes) under the load above, and the chart's defaults",
      ['container', 'idle', 'peak under load (per run)', 'chart request / limit'],
      memory,
    );
  }
  const rest: string[][] = [];
  if (a.startup) {
    const s = a.startup;
    rest.push(
      [
        'Node starting and stopping an empty program (`node -e ""`)',
        spread(s.emptyNodeMs, 1, 'ms'),
      ],
      ["the API: Node's start and the bundle's load (startupMs.load)", spread(s.loadMs, 1, 'ms')],
      ['the API: reading the config (startupMs.config)', spread(s.configMs, 1, 'ms')],
      ['the API: binding the port (startupMs.listen)', spread(s.listenMs, 1, 'ms')],
      ['the API: spawn to the first 200 on /readyz', spread(s.readyMs, 1, 'ms')],
    );
  }
  if (a.podStart) {
    rest.push(
      [
        'Docker Pod: first container created -> both readiness endpoints answer',
        spread(a.podStart.readyMs, 0, 'ms'),
      ],
      [
        "Docker Pod: with the chart's probes at their periods",
        spread(a.podStart.probedReadyMs, 0, 'ms'),
      ],
    );
  }
  if (a.clusterStart) {
    rest.push(
      ...a.clusterStart.phases.map(({ phase, ms }) => [
        `kind cluster: a new Pod of the release created -> ${phase} (kubectl watch)`,
        spread(ms, 0, 'ms'),
      ]),
    );
  }
  if (a.drain) {
    rest.push(
      [
        `Drain: SIGTERM -> API exit, ${settings.drainInFlight} requests in flight, bodies finished ${settings.drainHoldMs} ms after SIGTERM`,
        spread(a.drain.exitMs, 0, 'ms'),
      ],
      ['Drain: last in-flight response -> API exit', spread(a.drain.afterLastResponseMs, 1, 'ms')],
      [
        `Drain: in-flight requests completed (of ${settings.drainInFlight})`,
        spread(a.drain.completed, 0),
      ],
    );
  }
  for (const image of a.images ?? []) {
    rest.push(
      [`image ${image.image}`, formatBytes(image.bytes)],
      [`image ${image.image}: own layers above ${image.base}`, formatBytes(image.ownLayersBytes)],
    );
  }
  if (a.devLoop) {
    rest.push(
      [
        '`nx run-many -t lint test build` cold (--skip-nx-cache)',
        spread(a.devLoop.coldSeconds, 1, 's'),
      ],
      ['`nx run-many -t lint test build` fully cached', spread(a.devLoop.cachedSeconds, 1, 's')],
      ['ratio: cold / cached (medians)', a.devLoop.coldToCached.toFixed(1)],
    );
  }
  if (a.editToAnswerMs) {
    rest.push([
      'make dev: a saved route answered through NGINX',
      spread(a.editToAnswerMs, 0, 'ms'),
    ]);
  }
  if (rest.length > 0)
    table(
      lines,
      'Start, drain, images and the development loop',
      ['figure', 'median (range)'],
      rest,
    );
  if (a.overhead || a.features) {
    lines.push(
      `For the bench, NGINX's limit on /public/ is raised (NGINX_PUBLIC_RATE=${settings.publicRate}, NGINX_PUBLIC_BURST=${settings.publicBurst}; the image ships 20r/s, burst 40): the limit_req check still runs on every request. The API logs every request at info; its output and NGINX's access log go to /dev/null (written, not collected). "cores busy" well below 1 on a row means the load generator, not the servers, set the pace: a server that is not saturated spends more CPU per request (fewer events per wake-up), so that row's CPU figure is an upper bound.`,
      '',
    );
  }
  if (a.devLoop?.cacheMisses.some((tasks) => tasks.length > 0)) {
    lines.push(
      `Not every "cached" run of the development loop was all cache hits: ${a.devLoop.cacheMisses
        .map((tasks, i) => `run ${i + 1} ran ${tasks.length > 0 ? tasks.join(', ') : 'nothing'}`)
        .join('; ')}.`,
      '',
    );
  }
  if (a.devLoop && a.devLoop.failedRuns > 0) {
    lines.push(
      `The development loop failed in ${a.devLoop.failedRuns} run(s)${a.devLoop.failedTasks.length > 0 ? ` (failed tasks: ${a.devLoop.failedTasks.join(', ')})` : ''}: Nx caches no failed task, so the "cached" runs ran those again, and what depends on them.`,
      '',
    );
  }
  for (const [part, reason] of Object.entries(notMeasured)) {
    lines.push(`**Not measured: ${part}.** ${reason.split('\n')[0]}`, '');
  }
  return lines.join('\n');
}

/** The chart's panels: CPU per request per server, added latency, and the Pod's timings. */
export function panels(a: Analysis): Panel[] {
  const result: Panel[] = [];
  if (a.overhead) {
    const o = a.overhead;
    result.push(
      {
        title: 'CPU per request (µs of the serving processes, lower is better)',
        unit: 'µs',
        bars: SCENARIOS.map((s) => ({ label: s, summary: o.scenarios[s].cpuMicros })),
      },
      {
        title: 'Throughput as fast as answered, one core for the servers (req/s)',
        unit: 'req/s',
        bars: SCENARIOS.map((s) => ({ label: s, summary: o.scenarios[s].load.requestsPerSecond })),
      },
    );
    for (const l of o.latency) {
      result.push({
        title: `p99 at ${l.requestsPerSecond} req/s, half the Pod's maximum, ${l.route} route, servers on ${l.placement} (ms)`,
        unit: 'ms',
        bars: [
          { label: 'direct', summary: l.direct.p99Ms },
          { label: 'through NGINX', summary: l.viaNginx.p99Ms },
        ],
      });
    }
  }
  if (a.features) {
    result.push({
      title: 'NGINX CPU per proxied request, with one feature taken out (µs)',
      unit: 'µs',
      bars: [
        { label: SHIPPED, summary: a.features.shipped },
        ...a.features.variants.map((v) => ({ label: v.name, summary: v.nginxCpuMicros })),
      ],
    });
  }
  const timings: Panel['bars'] = [];
  if (a.startup) timings.push({ label: 'API spawn to ready', summary: a.startup.readyMs });
  if (a.podStart) timings.push({ label: 'Docker Pod start to Ready', summary: a.podStart.readyMs });
  if (a.clusterStart)
    timings.push({ label: 'cluster Pod start to Ready', summary: a.clusterStart.readyMs });
  if (a.drain) timings.push({ label: 'drain: SIGTERM to exit', summary: a.drain.exitMs });
  if (timings.length > 0)
    result.push({ title: 'Start and stop (ms, lower is better)', unit: 'ms', bars: timings });
  return result;
}
