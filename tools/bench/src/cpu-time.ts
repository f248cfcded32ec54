import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { withChildren } from './processes';

/**
 * CPU time that processes used (user + system), from /proc/<pid>/stat: the cost of a request in
 * CPU rather than in wall time, which other work on a shared machine does not distort.
 * https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html
 */

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  return ticksPerSecond;
}

/** utime + stime (fields 14 and 15), in clock ticks. */
export function parseStatTicks(stat: string): number {
  // The command name (field 2) may hold spaces and parentheses: count from its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [utime, stime] = [Number(fields[11]), Number(fields[12])];
  if (!Number.isInteger(utime) || !Number.isInteger(stime))
    throw new Error(`not a /proc/<pid>/stat line: ${stat}`);
  return utime + stime;
}

/** CPU seconds used so far by these processes and their children. */
export async function cpuSeconds(pids: number[]): Promise<number> {
  const all = (await Promise.all(pids.map(withChildren))).flat();
  const ticks = await Promise.all(
    all.map((pid) => readFile(`/proc/${pid}/stat`, 'utf8').then(parseStatTicks)),
  );
  return ticks.reduce((sum, t) => sum + t, 0) / clockTicks();
}
