import type { LoadResult } from './load';
import type { OverheadRuns } from './overhead';
import { analyse, formatBytes, markdown, type Machine, type Settings } from './report';

const load = (requestsPerSecond: number, p99Ms: number): LoadResult => ({
  requests: requestsPerSecond * 5,
  requestsPerSecond,
  p50Ms: p99Ms / 3,
  p99Ms,
  failures: 0,
});

function overhead(sidecarRps: number[], sidecarP99: number[]): OverheadRuns {
  return {
    saturated: {
      direct: [load(1000, 5), load(800, 6), load(1000, 5)],
      sidecar: sidecarRps.map((rps) => load(rps, 6)),
      sidecarNoKeepalive: [load(500, 9), load(400, 9), load(500, 9)],
      static: [load(9000, 2), load(9000, 2), load(9000, 2)],
    },
    halfRate: 500,
    fixedRate: {
      direct: [load(500, 2), load(500, 3), load(500, 2)],
      sidecar: sidecarP99.map((p99) => load(500, p99)),
      sidecarNoKeepalive: [load(500, 4), load(500, 4), load(500, 4)],
    },
    cpuMicrosPerRequest: {
      direct: [200, 260, 200],
      sidecar: [250, 325, 250],
      sidecarNoKeepalive: [300, 390, 300],
      static: [40, 40, 40],
    },
    apiResidentMiB: { idle: 60, underLoad: [90, 95, 92] },
  };
}

const machine: Machine = {
  cpu: 'Test CPU',
  cores: 2,
  memoryGiB: 24,
  os: 'Debian',
  node: 'v20',
  nginx: 'nginx/1.22.1',
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
  it('compares paired rounds, so a round where both variants slowed down costs no ratio', () => {
    const a = analyse({ overhead: overhead([900, 720, 900], [2.5, 3.5, 2.5]) });
    expect(a.overhead?.ratios.sidecarToDirect.median).toBeCloseTo(0.9);
    expect(a.overhead?.halfRate.sidecarExtraP99Ms.median).toBeCloseTo(0.5);
    expect(a.overhead?.cpuMicrosPerRequest.directToSidecar.median).toBeCloseTo(0.8);
    expect(a.goals.every((g) => g.met)).toBe(true);
  });

  it('misses the throughput goal below 0.85 of direct and the latency goal past 1 ms', () => {
    const a = analyse({ overhead: overhead([800, 640, 800], [4, 5, 4]) });
    expect(a.goals.filter((g) => !g.met).map((g) => g.name)).toEqual([
      'throughput via the sidecar / direct',
      'p99 via the sidecar minus direct, at half the maximum rate (500 req/s)',
    ]);
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
  it('names a missed goal and the machine and command the figures came from', () => {
    const text = markdown(
      analyse({ overhead: overhead([800, 640, 800], [2, 3, 2]) }),
      machine,
      settings,
      'make bench',
    );
    expect(text).toContain('Produced by `make bench` on Test CPU, 2 cores');
    expect(text).toMatch(
      /\| throughput via the sidecar \/ direct \| 0\.800 \| >= 0\.85 \| \*\*MISSED\*\* \|/,
    );
    expect(text).toMatch(/\| direct to the API: throughput \| 1000 req\/s \| 800 – 1000 \| 3 \|/);
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
