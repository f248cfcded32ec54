/**
 * The bench's report: the raw runs summarized (median and range), the issue's goals checked on
 * ratios and differences of paired runs, and the markdown table the README shows.
 */
import type { Panel } from './chart';
import type { DevLoopRuns } from './dev-loop';
import type { DrainRun } from './drain';
import type { ImageSize } from './images';
import type { LoadResult } from './load';
import type { OverheadRuns } from './overhead';
import type { PodStartRun } from './pod-start';
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

export interface Measurements {
  overhead?: OverheadRuns;
  podStart?: PodStartRun[];
  drain?: DrainRun[];
  images?: ImageSize[];
  devLoop?: DevLoopRuns;
}

/** The issue's goals (issue 8). */
export const GOALS = {
  minThroughputRatio: 0.85,
  maxExtraP99Ms: 1,
  maxPodReadyMs: 2000,
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

/** Everything the report says, derived from the measurements alone. */
export function analyse(m: Measurements) {
  const goals: Goal[] = [];
  const o = m.overhead;
  const overhead = o && {
    maxRate: {
      direct: summarizeLoad(o.saturated.direct),
      sidecar: summarizeLoad(o.saturated.sidecar),
      sidecarNoKeepalive: summarizeLoad(o.saturated.sidecarNoKeepalive),
      static: summarizeLoad(o.saturated.static),
    },
    ratios: {
      sidecarToDirect: pairedRatios(rps(o.saturated.sidecar), rps(o.saturated.direct)),
      sidecarNoKeepaliveToDirect: pairedRatios(
        rps(o.saturated.sidecarNoKeepalive),
        rps(o.saturated.direct),
      ),
      keepaliveOnToOff: pairedRatios(rps(o.saturated.sidecar), rps(o.saturated.sidecarNoKeepalive)),
      staticToDirect: pairedRatios(rps(o.saturated.static), rps(o.saturated.direct)),
    },
    halfRate: {
      requestsPerSecond: o.halfRate,
      direct: summarizeLoad(o.fixedRate.direct),
      sidecar: summarizeLoad(o.fixedRate.sidecar),
      sidecarNoKeepalive: summarizeLoad(o.fixedRate.sidecarNoKeepalive),
      sidecarExtraP99Ms: pairedDifferences(p99(o.fixedRate.sidecar), p99(o.fixedRate.direct)),
      sidecarNoKeepaliveExtraP99Ms: pairedDifferences(
        p99(o.fixedRate.sidecarNoKeepalive),
        p99(o.fixedRate.direct),
      ),
    },
    cpuMicrosPerRequest: {
      direct: summarize(o.cpuMicrosPerRequest.direct),
      sidecar: summarize(o.cpuMicrosPerRequest.sidecar),
      sidecarNoKeepalive: summarize(o.cpuMicrosPerRequest.sidecarNoKeepalive),
      static: summarize(o.cpuMicrosPerRequest.static),
      // Where the API and NGINX share the cores and CPU is what runs out, throughput goes as
      // 1 / CPU per request: this ratio is the throughput ratio that other work cannot distort.
      directToSidecar: pairedRatios(o.cpuMicrosPerRequest.direct, o.cpuMicrosPerRequest.sidecar),
    },
    apiResidentMiB: {
      idle: o.apiResidentMiB.idle,
      underLoad: summarize(o.apiResidentMiB.underLoad),
    },
  };
  if (overhead) {
    goals.push(
      goal(
        'throughput via the sidecar / direct',
        overhead.ratios.sidecarToDirect.median,
        '>=',
        GOALS.minThroughputRatio,
      ),
      goal(
        `p99 via the sidecar minus direct, at half the maximum rate (${o.halfRate} req/s)`,
        overhead.halfRate.sidecarExtraP99Ms.median,
        '<=',
        GOALS.maxExtraP99Ms,
        'ms',
      ),
    );
  }
  const podStart = m.podStart && {
    readyMs: summarize(m.podStart.map((r) => r.readyMs)),
    probedReadyMs: summarize(m.podStart.map((r) => r.probedReadyMs)),
    cleanExits: m.podStart.every((r) => Object.values(r.exitCodes).every((code) => code === 0)),
  };
  if (podStart) {
    goals.push(
      goal(
        'Pod start to Ready (both readiness endpoints)',
        podStart.readyMs.median,
        '<=',
        GOALS.maxPodReadyMs,
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
  const devLoop = m.devLoop && {
    coldSeconds: summarize(m.devLoop.coldSeconds),
    cachedSeconds: summarize(m.devLoop.cachedSeconds),
    coldToCached: median(m.devLoop.coldSeconds) / median(m.devLoop.cachedSeconds),
    failedRuns: m.devLoop.failedRuns,
    failedTasks: m.devLoop.failedTasks,
    cacheMisses: m.devLoop.cacheMisses,
  };
  return { overhead, podStart, drain, images: m.images, devLoop, goals };
}

export type Analysis = ReturnType<typeof analyse>;

const rps = (runs: LoadResult[]) => runs.map((r) => r.requestsPerSecond);
const p99 = (runs: LoadResult[]) => runs.map((r) => r.p99Ms);

/** Bytes in binary units: the small layers of an image read as KiB, the images as MiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

type Row = [figure: string, median: string, spread: string, runs: string];

function row(figure: string, s: Summary, unit: string, digits: number): Row {
  const f = (v: number) => `${v.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
  return [
    figure,
    f(s.median),
    `${s.min.toFixed(digits)} – ${s.max.toFixed(digits)}`,
    String(s.runs),
  ];
}

function loadRows(name: string, s: LoadSummary): Row[] {
  const failed = s.failures > 0 ? ` (**${s.failures} failed requests**)` : '';
  return [
    row(`${name}: throughput${failed}`, s.requestsPerSecond, 'req/s', 0),
    row(`${name}: p50 latency`, s.p50Ms, 'ms', 2),
    row(`${name}: p99 latency`, s.p99Ms, 'ms', 2),
  ];
}

export function markdown(
  a: Analysis,
  machine: Machine,
  settings: Settings,
  command: string,
  notMeasured: Record<string, string> = {},
): string {
  const lines: string[] = [];
  const table = (heading: string, rows: Row[]) => {
    lines.push(
      `**${heading}**`,
      '',
      '| figure | median | range over the runs | runs |',
      '| --- | ---: | ---: | ---: |',
    );
    for (const r of rows) lines.push(`| ${r.join(' | ')} |`);
    lines.push('');
  };
  lines.push(
    `Produced by \`${command}\` on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, ${machine.os}; Node ${machine.node}, ${machine.nginx}, Docker ${machine.docker}. Load average ${machine.loadAverage.before.toFixed(2)} before, ${machine.loadAverage.after.toFixed(2)} after.`,
    '',
  );
  if (Math.max(machine.loadAverage.before, machine.loadAverage.after) > machine.cores / 2) {
    lines.push(
      `> **The machine was busy** (load average above ${machine.cores / 2} on ${machine.cores} cores): other work shared the CPUs, so these figures understate what the template does on an idle machine. Rerun \`${command}\` on a quiet machine.`,
      '',
    );
  }
  if (a.goals.length > 0) {
    lines.push('| goal | measured (median) | bound | |', '| --- | ---: | ---: | --- |');
    for (const g of a.goals) {
      const unit = g.unit ? ` ${g.unit}` : '';
      lines.push(
        `| ${g.name} | ${g.measured.toFixed(g.unit ? 2 : 3)}${unit} | ${g.comparison} ${g.bound}${unit} | ${g.met ? 'met' : '**MISSED**'} |`,
      );
    }
    lines.push('');
  }
  if (a.overhead) {
    const o = a.overhead;
    table(
      `Sidecar overhead: GET /public/hello, ${settings.connections} connections, ${settings.durationSeconds} s per run, ${settings.rounds} interleaved rounds (vegeta; ${settings.pinning})`,
      [
        ...loadRows('direct to the API', o.maxRate.direct),
        ...loadRows('via the sidecar (upstream keepalive, as shipped)', o.maxRate.sidecar),
        ...loadRows(
          'via the sidecar, upstream keepalive off (bench-only config)',
          o.maxRate.sidecarNoKeepalive,
        ),
        row('ratio: via the sidecar / direct', o.ratios.sidecarToDirect, '', 3),
        row('ratio: keepalive off / direct', o.ratios.sidecarNoKeepaliveToDirect, '', 3),
        row('ratio: keepalive on / keepalive off', o.ratios.keepaliveOnToOff, '', 3),
        row('CPU per request, direct (the API)', o.cpuMicrosPerRequest.direct, 'µs', 0),
        row(
          'CPU per request, via the sidecar (the API + NGINX)',
          o.cpuMicrosPerRequest.sidecar,
          'µs',
          0,
        ),
        row(
          'CPU per request, keepalive off (the API + NGINX)',
          o.cpuMicrosPerRequest.sidecarNoKeepalive,
          'µs',
          0,
        ),
        row(
          'ratio: CPU direct / CPU via the sidecar (the CPU-bound throughput ratio)',
          o.cpuMicrosPerRequest.directToSidecar,
          '',
          3,
        ),
      ],
    );
    table(
      `At half the direct maximum rate: ${o.halfRate.requestsPerSecond} req/s, same connections and duration`,
      [
        ...loadRows('direct to the API', o.halfRate.direct),
        ...loadRows('via the sidecar', o.halfRate.sidecar),
        ...loadRows('via the sidecar, keepalive off', o.halfRate.sidecarNoKeepalive),
        row('p99 via the sidecar minus direct', o.halfRate.sidecarExtraP99Ms, 'ms', 2),
        row('p99 keepalive off minus direct', o.halfRate.sidecarNoKeepaliveExtraP99Ms, 'ms', 2),
      ],
    );
    table('The ceiling: NGINX serving its static page (GET /), same load', [
      ...loadRows('NGINX static page', o.maxRate.static),
      row('CPU per request, NGINX static page', o.cpuMicrosPerRequest.static, 'µs', 0),
      row('ratio: static page / API direct', o.ratios.staticToDirect, '', 2),
    ]);
  }
  const rest: Row[] = [];
  if (a.podStart) {
    rest.push(
      row(
        'Pod start to Ready: first container created -> both readiness endpoints answer',
        a.podStart.readyMs,
        'ms',
        0,
      ),
      row(
        "Pod start to Ready with the chart's probes at their periods (startDockerPod)",
        a.podStart.probedReadyMs,
        'ms',
        0,
      ),
    );
  }
  if (a.drain) {
    rest.push(
      row(
        `Drain: SIGTERM -> API exit, ${settings.drainInFlight} requests in flight, bodies finished ${settings.drainHoldMs} ms after SIGTERM`,
        a.drain.exitMs,
        'ms',
        0,
      ),
      row('Drain: last in-flight response -> API exit', a.drain.afterLastResponseMs, 'ms', 1),
      row(
        `Drain: in-flight requests completed (of ${settings.drainInFlight})`,
        a.drain.completed,
        '',
        0,
      ),
    );
  }
  if (a.overhead) {
    rest.push(
      [
        `API resident memory, idle (after start)`,
        `${a.overhead.apiResidentMiB.idle.toFixed(1)} MiB`,
        '',
        '1',
      ],
      row(
        'API resident memory, peak under load (per run)',
        a.overhead.apiResidentMiB.underLoad,
        'MiB',
        1,
      ),
    );
  }
  for (const image of a.images ?? []) {
    rest.push(
      [`image ${image.image}`, formatBytes(image.bytes), '', '1'],
      [
        `image ${image.image}: own layers above ${image.base}`,
        formatBytes(image.ownLayersBytes),
        '',
        '1',
      ],
    );
  }
  if (a.devLoop) {
    rest.push(
      row('`nx run-many -t lint test build` cold (--skip-nx-cache)', a.devLoop.coldSeconds, 's', 1),
      row('`nx run-many -t lint test build` fully cached', a.devLoop.cachedSeconds, 's', 1),
      ['ratio: cold / cached (medians)', a.devLoop.coldToCached.toFixed(1), '', ''],
    );
  }
  if (rest.length > 0) table('The Pod, the drain, memory, images and the development loop', rest);
  if (a.overhead) {
    lines.push(
      `For the bench, NGINX's limit on /public/ is raised (NGINX_PUBLIC_RATE=${settings.publicRate}, NGINX_PUBLIC_BURST=${settings.publicBurst}; the image ships 20r/s, burst 40): the limit_req check still runs on every request. "Keepalive off" is a bench-only variant of the rendered config with the upstream block's keepalive directives removed; the shipped config keeps them.`,
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

/** The chart's panels: throughput, p99 at half rate, and the Pod's timings. */
export function panels(a: Analysis): Panel[] {
  const result: Panel[] = [];
  if (a.overhead) {
    const o = a.overhead;
    result.push(
      {
        title: 'GET /public/hello at the maximum rate (req/s, higher is better)',
        unit: 'req/s',
        bars: [
          { label: 'direct to the API', summary: o.maxRate.direct.requestsPerSecond },
          { label: 'via the sidecar', summary: o.maxRate.sidecar.requestsPerSecond },
          {
            label: 'sidecar, keepalive off',
            summary: o.maxRate.sidecarNoKeepalive.requestsPerSecond,
          },
          { label: 'NGINX static page', summary: o.maxRate.static.requestsPerSecond },
        ],
      },
      {
        title: 'CPU per request (µs of the serving processes, lower is better)',
        unit: 'µs',
        bars: [
          { label: 'direct to the API', summary: o.cpuMicrosPerRequest.direct },
          { label: 'via the sidecar', summary: o.cpuMicrosPerRequest.sidecar },
          { label: 'sidecar, keepalive off', summary: o.cpuMicrosPerRequest.sidecarNoKeepalive },
          { label: 'NGINX static page', summary: o.cpuMicrosPerRequest.static },
        ],
      },
      {
        title: `p99 latency at ${o.halfRate.requestsPerSecond} req/s, half the direct maximum (ms, lower is better)`,
        unit: 'ms',
        bars: [
          { label: 'direct to the API', summary: o.halfRate.direct.p99Ms },
          { label: 'via the sidecar', summary: o.halfRate.sidecar.p99Ms },
          { label: 'sidecar, keepalive off', summary: o.halfRate.sidecarNoKeepalive.p99Ms },
        ],
      },
    );
  }
  const timings: Panel['bars'] = [];
  if (a.podStart) timings.push({ label: 'Pod start to Ready', summary: a.podStart.readyMs });
  if (a.drain) timings.push({ label: 'drain: SIGTERM to exit', summary: a.drain.exitMs });
  if (timings.length > 0)
    result.push({ title: 'The Pod (ms, lower is better)', unit: 'ms', bars: timings });
  return result;
}
