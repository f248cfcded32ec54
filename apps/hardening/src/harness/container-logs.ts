import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A container's whole log: its stdout and its stderr (NGINX's error log goes to stderr). */
export async function containerLogs(name: string): Promise<string> {
  const { stdout, stderr } = await run('docker', ['logs', name], { maxBuffer: 64 * 1024 * 1024 });
  return `${stdout}${stderr}`;
}
