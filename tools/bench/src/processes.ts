import { readFile } from 'node:fs/promises';

/** A process and its children (nginx: the master and its workers), from /proc. */
export async function withChildren(pid: number): Promise<number[]> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return [pid, ...children.split(' ').filter(Boolean).map(Number)];
}
