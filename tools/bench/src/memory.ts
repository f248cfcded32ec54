import { readFile } from 'node:fs/promises';

/** Resident set size of a process in MiB, from /proc/<pid>/status (VmRSS, in kB). */
export async function residentMiB(pid: number): Promise<number> {
  return parseVmRssMiB(await readFile(`/proc/${pid}/status`, 'utf8'));
}

export function parseVmRssMiB(status: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error('no VmRSS line in /proc/<pid>/status');
  return Number(match[1]) / 1024;
}

/** Samples a process's RSS every `everyMs` until stopped; returns the largest sample. */
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
