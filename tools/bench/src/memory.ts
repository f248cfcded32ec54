import { readFile } from 'node:fs/promises';
import { withChildren } from './processes';

/**
 * Resident set size in MiB of a process and its children (a container's processes: nginx's
 * master and workers), from /proc/<pid>/status (VmRSS, in kB). Pages the processes share count
 * once per process: an upper bound, which is the safe side for sizing a memory limit.
 */
export async function residentMiB(pid: number): Promise<number> {
  const statuses = await Promise.all(
    (await withChildren(pid)).map((p) => readFile(`/proc/${p}/status`, 'utf8')),
  );
  return statuses.reduce((sum, status) => sum + parseVmRssMiB(status), 0);
}

export function parseVmRssMiB(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error('no VmRSS line in /proc/<pid>/status');
  return Number(match[1]) / 1024;
}

/** Samples residentMiB every `everyMs` until stopped; returns the largest sample. */
export function samplePeakResident(pid: number, everyMs = 200): { stop(): Promise<number> } {
  let peak = 0;
  let sampling = Promise.resolve();
  const timer = setInterval(() => {
    sampling = residentMiB(pid).then(
      (mib) => void (peak = Math.max(peak, mib)),
      () => undefined,
    );
  }, everyMs);
  return {
    stop: async () => {
      clearInterval(timer);
      await sampling;
      peak = Math.max(peak, await residentMiB(pid));
      return peak;
    },
  };
}
