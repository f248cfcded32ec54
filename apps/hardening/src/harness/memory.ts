import { readFileSync } from 'node:fs';

/** Resident set size of a process in bytes (VmRSS in /proc/<pid>/status, proc(5)). */
export function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

export interface Trend {
  /** Mean of the last third of the samples minus the mean of the first third, in bytes. */
  growthBytes: number;
  /** Least-squares slope, in bytes per minute. */
  slopePerMinute: number;
  first: number;
  last: number;
  max: number;
}

/**
 * The trend of a series of (time ms, bytes) samples. Thirds rather than first and last sample,
 * so that one garbage collection at either end does not decide the verdict.
 */
export function trendOf(samples: { at: number; bytes: number }[]): Trend {
  const third = Math.max(1, Math.floor(samples.length / 3));
  const mean = (xs: { bytes: number }[]) => xs.reduce((sum, x) => sum + x.bytes, 0) / xs.length;
  const t0 = samples[0]?.at ?? 0;
  const xs = samples.map((s) => (s.at - t0) / 60_000);
  const ys = samples.map((s) => s.bytes);
  const xMean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const yMean = ys.reduce((a, b) => a + b, 0) / ys.length;
  const covariance = xs.reduce((sum, x, i) => sum + (x - xMean) * ((ys[i] ?? 0) - yMean), 0);
  const variance = xs.reduce((sum, x) => sum + (x - xMean) ** 2, 0);
  return {
    growthBytes: mean(samples.slice(-third)) - mean(samples.slice(0, third)),
    slopePerMinute: variance === 0 ? 0 : covariance / variance,
    first: ys[0] ?? 0,
    last: ys.at(-1) ?? 0,
    max: Math.max(...ys),
  };
}

export const MiB = 1024 * 1024;
