/**
 * Issue 16, item 3: where the API spends its CPU. The built API runs under `node --cpu-prof`
 * while wrk loads GET /public/hello at the maximum rate; on exit V8 writes the profile, which
 * this module reduces to the functions with the most self time and to a flame graph (an SVG of
 * the call tree, widths by time), both in dist/bench/. The .cpuprofile itself opens in Chrome
 * DevTools (Performance, "Load profile") or https://www.speedscope.app for a closer look.
 */
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '@sidecar/testkit';
import { runMaxRate } from './max-rate';
import { startApi } from './servers';

/** V8's .cpuprofile (the Chrome DevTools protocol's Profiler.Profile). */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  /** function (file:line) */
  frame: string;
  /** Share of the busy samples (idle excluded), 0..1. */
  selfShare: number;
}

export interface ProfileRun {
  requestsPerSecond: number;
  top: ProfileEntry[];
  /** Files written, relative to the workspace root. */
  files: { profile: string; flameGraph: string };
}

const IDLE = new Set(['(idle)', '(program)']);

function frameOf(node: CpuProfile['nodes'][number]): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url ? url.split('/').slice(-2).join('/') : '';
  return `${functionName || '(anonymous)'}${file ? ` (${file}:${lineNumber + 1})` : ''}`;
}

/** Microseconds of samples per node id. */
function selfTimes(profile: CpuProfile): Map<number, number> {
  const times = new Map<number, number>();
  profile.samples.forEach((id, i) =>
    times.set(id, (times.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
  );
  return times;
}

/** The frames with the most self time, idle excluded, merged by name. */
export function topSelf(profile: CpuProfile, count: number): ProfileEntry[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const byFrame = new Map<string, number>();
  let busy = 0;
  for (const [id, micros] of selfTimes(profile)) {
    const node = byId.get(id);
    if (!node || IDLE.has(node.callFrame.functionName)) continue;
    busy += micros;
    byFrame.set(frameOf(node), (byFrame.get(frameOf(node)) ?? 0) + micros);
  }
  return [...byFrame]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([frame, micros]) => ({ frame, selfShare: busy > 0 ? micros / busy : 0 }));
}

/**
 * A flame graph of the busy samples: the root at the bottom, each call a box as wide as the time
 * spent in it and its callees; boxes narrower than a pixel are left out.
 */
export function flameGraphSvg(profile: CpuProfile, title: string): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = selfTimes(profile);
  const total = new Map<number, number>();
  const sum = (id: number): number => {
    const node = byId.get(id)!;
    if (IDLE.has(node.callFrame.functionName)) return 0;
    const t = (self.get(id) ?? 0) + (node.children ?? []).reduce((acc, c) => acc + sum(c), 0);
    total.set(id, t);
    return t;
  };
  const root = profile.nodes[0]!;
  const width = 1200;
  const rowHeight = 16;
  const all = sum(root.id) || 1;
  // Laid out first, drawn once the depth (hence the height) is known.
  const boxes: Array<{ x: number; w: number; depth: number; label: string; share: number }> = [];
  const layout = (id: number, x: number, depth: number) => {
    const t = total.get(id) ?? 0;
    const w = (t / all) * width;
    if (w < 1) return;
    boxes.push({ x, w, depth, label: frameOf(byId.get(id)!), share: t / all });
    let childX = x;
    for (const child of byId.get(id)?.children ?? []) {
      layout(child, childX, depth + 1);
      childX += ((total.get(child) ?? 0) / all) * width;
    }
  };
  layout(root.id, 0, 0);
  const height = (Math.max(0, ...boxes.map((b) => b.depth)) + 1) * rowHeight + 40;
  const body = boxes.map(({ x, w, depth, label, share }) => {
    const y = height - (depth + 1) * rowHeight;
    const hue = 20 + ((label.length * 37) % 40);
    return (
      `<g><title>${escape(label)}: ${(100 * share).toFixed(1)}%</title>` +
      `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${rowHeight - 1}" fill="hsl(${hue},80%,60%)"/>` +
      (w > 40
        ? `<text x="${(x + 3).toFixed(1)}" y="${y + 12}" font-size="11">${escape(label.slice(0, Math.floor(w / 6.5)))}</text>`
        : '') +
      '</g>'
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans Mono, monospace">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="4" y="18" font-size="14" font-weight="bold">${escape(title)}</text>`,
    ...body,
    '</svg>',
  ].join('\n');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export async function profileApi(options: {
  root: string;
  durationSeconds: number;
  connections: number;
  podCpus?: string;
  generatorCpus?: string;
  log: (line: string) => void;
}): Promise<ProfileRun> {
  const dir = join(options.root, 'dist', 'bench', 'profile');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const api = await startApi({
    port: await freePort(),
    cpus: options.podCpus,
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`],
  });
  let requestsPerSecond: number;
  try {
    const load = await runMaxRate({
      url: `${api.url}/public/hello`,
      connections: options.connections,
      durationSeconds: options.durationSeconds,
      cpus: options.generatorCpus,
    });
    requestsPerSecond = load.requestsPerSecond;
  } finally {
    // SIGTERM: the API drains and exits, and V8 writes the profile on the way out.
    await api.stop();
  }
  const written = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
  if (!written) throw new Error(`node --cpu-prof wrote no profile into ${dir}`);
  const profileFile = join(dir, 'api.cpuprofile');
  await rename(join(dir, written), profileFile);
  const profile = JSON.parse(await readFile(profileFile, 'utf8')) as CpuProfile;
  const flameGraph = join(dir, 'api-flame-graph.svg');
  await writeFile(
    flameGraph,
    flameGraphSvg(
      profile,
      `the API under GET /public/hello at ${Math.round(requestsPerSecond)} req/s (node --cpu-prof)`,
    ),
  );
  const top = topSelf(profile, 15);
  options.log(
    `profile: ${Math.round(requestsPerSecond)} req/s; top self time: ${top
      .slice(0, 5)
      .map((e) => `${e.frame} ${(100 * e.selfShare).toFixed(1)}%`)
      .join(', ')}`,
  );
  const relativeTo = (p: string) => p.slice(options.root.length + 1);
  return {
    requestsPerSecond,
    top,
    files: { profile: relativeTo(profileFile), flameGraph: relativeTo(flameGraph) },
  };
}
