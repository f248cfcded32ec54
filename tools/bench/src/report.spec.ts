import type { LoadResult } from './load';
import type { FeatureRuns } from './nginx-features';
import type { ObservabilityRuns } from './observability-cost';
import { SCENARIOS, type OverheadRuns, type Scenario, type ScenarioRun } from './overhead';
import { analyse, formatBytes, markdown, type Machine, type Settings } from './report';

const load = (requestsPerSecond: number, p99Ms: number): LoadResult => ({
  requests: requestsPerSecond * 5,
  requestsPerSecond,
  p50Ms: p99Ms / 3,
  p99Ms,
  failures: 0,
});

/** Three rounds per scenario at these CPU µs per request (NGINX's share where it is on the path). */
function overhead(
  cpu: Partial<Record<Scenario, number[]>>,
  nginxCpu: number[],
  addedP99: number[],
): OverheadRuns {
  const defaults: Record<Scenario, number[]> = {
    'bare-http': [40, 50, 40],
    'minimal-express': [100, 125, 100],
    api: [120, 150, 120],
    'api-via-nginx': [150, 180, 150],
    'nginx-static': [20, 20, 20],
    work: [1000, 1100, 1000],
    'work-via-nginx': [1030, 1130, 1030],
  };
  const onPath = (s: Scenario) => s.includes('nginx');
  const saturated = Object.fromEntries(
    SCENARIOS.map((s) => [
      s,
      (cpu[s] ?? defaults[s]).map((micros, round): ScenarioRun => ({
        load: load(1e6 / micros, 5),
        cpuMicros: micros,
        ...(onPath(s) ? { nginxCpuMicros: nginxCpu[round] } : {}),
        busyCores: 1,
      })),
    ]),
  ) as Record<Scenario, ScenarioRun[]>;
  return {
    saturated,
    halfRate: [
      {
        route: 'hello',
        placement: 'every core',
        requestsPerSecond: 4000,
        direct: [load(4000, 2), load(4000, 3), load(4000, 2)],
        viaNginx: addedP99.map((added, i) => load(4000, [2, 3, 2][i]! + added)),
      },
    ],
    memory: { api: { idle: 60, peak: [90, 95, 92] }, nginx: { idle: 8, peak: [12, 12, 13] } },
  };
}

const machine: Machine = {
  cpu: 'Test CPU',
  cores: 2,
  memoryGiB: 24,
  os: 'Debian',
  node: 'v24.21.0',
  nginx: 'the sidecar-nginx:0.1.0 image (nginx/1.22.1)',
  docker: '20.10',
  loadAverage: { before: 0.1, after: 0.2 },
};
const settings: Settings = {
  connections: 32,
  durationSeconds: 5,
  rounds: 3,
  pinning: 'none',
  publicRate: '1000000r/s',
  publicBurst: '1000000',
  drainInFlight: 32,
  drainHoldMs: 200,
};

describe('analyse', () => {
  it('compares paired rounds, so a round where both servers slowed down costs no ratio', () => {
    const a = analyse({ overhead: overhead({}, [25, 28, 25], [0.2, 0.3, 0.2]) });
    // minimal Express / the API, round by round: 100/120, 125/150, 100/120.
    expect(a.overhead?.shares.apiOfExpressByCpu.median).toBeCloseTo(100 / 120);
    expect(a.overhead?.shares.apiOfExpressByCpu.max).toBeCloseTo(100 / 120);
    expect(a.overhead?.latency[0]?.addedP99Ms.median).toBeCloseTo(0.2);
    expect(a.goals.every((g) => g.met)).toBe(true);
  });

  it('misses the API goal below 0.8 of minimal Express, and the NGINX goals past their bounds', () => {
    const a = analyse({
      overhead: overhead({ api: [200, 250, 200] }, [45, 50, 45], [0.8, 0.9, 0.8]),
    });
    expect(a.goals.filter((g) => !g.met).map((g) => g.name)).toEqual([
      'the API / minimal Express, throughput on one core (by CPU per request)',
      'NGINX CPU per proxied request, GET /public/hello',
      'p99 added by NGINX at half load (4000 req/s, GET /public/hello, servers on every core)',
    ]);
  });

  it("holds the chart's memory request against idle and its limit against 1.5x the peak", () => {
    const chartMemory = {
      api: { requestMiB: 64, limitMiB: 128 },
      nginx: { requestMiB: 4, limitMiB: 64 },
    };
    const a = analyse({ overhead: overhead({}, [25, 25, 25], [0, 0, 0]), chartMemory });
    expect(a.goals.filter((g) => !g.met).map((g) => g.name)).toEqual([
      // 128 MiB over a 95 MiB peak is 1.35x; 4 MiB does not cover NGINX's 8 MiB idle.
      'chart: api memory limit / peak under load',
      'chart: nginx memory request covers the idle container',
    ]);
  });

  it('takes a feature’s cost as the shipped CPU minus the variant’s, round by round', () => {
    const features: FeatureRuns = {
      without: { 'no-access-log': 'the JSON access log' },
      nginxCpuMicros: { shipped: [30, 40, 30], 'no-access-log': [25, 34, 26] },
      requestsPerSecond: { shipped: [1, 1, 1], 'no-access-log': [1, 1, 1] },
    };
    const variant = analyse({ features }).features?.variants[0];
    expect(variant?.shareMicros).toEqual({ median: 5, min: 4, max: 6, runs: 3 });
  });

  it('takes what metrics and tracing cost against the all-off API, round by round', () => {
    const observability: ObservabilityRuns = {
      cpuMicros: {
        off: [100, 120, 100],
        metrics: [110, 128, 112],
        tracing: [150, 170, 140],
        'metrics+tracing': [160, 180, 150],
      },
      requestsPerSecond: {
        off: [1000, 800, 1000],
        metrics: [900, 800, 900],
        tracing: [500, 400, 500],
        'metrics+tracing': [500, 400, 400],
      },
      exports: 12,
    };
    const rows = analyse({ observability }).observability?.variants;
    const metrics = rows?.find((row) => row.variant === 'metrics');
    expect(metrics?.addedMicros).toEqual({ median: 10, min: 8, max: 12, runs: 3 });
    expect(metrics?.throughputShare.median).toBeCloseTo(0.9);
    const markdownLines = markdown(analyse({ observability }), machine, settings, 'make bench');
    expect(markdownLines).toContain('| tracing on, every request sampled and exported | 150.0');
  });

  it('misses the Pod start goal at 2 s or more', () => {
    const podStart = [2100, 1900, 2500].map((readyMs) => ({
      readyMs,
      containerReadyMs: { nginx: readyMs - 500, api: readyMs },
      probedReadyMs: 3000,
      exitCodes: { api: 0, nginx: 0 },
    }));
    expect(analyse({ podStart }).goals).toEqual([
      expect.objectContaining({
        name: expect.stringContaining('Pod start'),
        measured: 2100,
        met: false,
      }),
    ]);
  });
});

describe('formatBytes', () => {
  it('writes an image in MiB and a layer under 1 MiB in KiB', () => {
    expect(formatBytes(221_863_936)).toBe('211.6 MiB');
    expect(formatBytes(14_336)).toBe('14.0 KiB');
  });
});

describe('markdown', () => {
  it('names a missed goal, the reference rows, and the machine and Node the figures came from', () => {
    const text = markdown(
      analyse({ overhead: overhead({ api: [200, 250, 200] }, [25, 25, 25], [0, 0, 0]) }),
      machine,
      settings,
      'make bench',
    );
    expect(text).toContain('Produced by `make bench` on Test CPU, 2 cores');
    expect(text).toContain('Node v24.21.0 (the Node the image ships)');
    expect(text).toMatch(
      /\| the API \/ minimal Express, throughput on one core \(by CPU per request\) \| 0\.500 \| >= 0\.8 \| \*\*MISSED\*\* \|/,
    );
    expect(text).toMatch(
      /\| Node's http module, no framework \(reference\) \| 25000 \(20000 – 25000\) \|/,
    );
    expect(text).toContain("Istio's published figures");
  });

  it('says which part could not be measured, and why', () => {
    const text = markdown(analyse({}), machine, settings, 'make bench', {
      pod: "something already answers on the Pod's ports\nmore detail",
    });
    expect(text).toContain("**Not measured: pod.** something already answers on the Pod's ports");
    expect(text).not.toContain('more detail');
  });

  it('warns when the machine was busy while the bench ran', () => {
    const busy = { ...machine, loadAverage: { before: 6, after: 5 } };
    expect(markdown(analyse({}), busy, settings, 'make bench')).toContain('busy');
    expect(markdown(analyse({}), machine, settings, 'make bench')).not.toContain('busy');
  });
});
