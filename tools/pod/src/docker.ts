import { spawn } from 'node:child_process';
import { once } from 'node:events';

/**
 * Runs the docker CLI; a failure carries docker's own message. In a process group of its own:
 * a Ctrl-C in the terminal reaches this process, which then stops the Pod in order, and not a
 * `docker run` halfway through creating a container that nothing would then remove.
 */
export async function docker(...args: string[]): Promise<string> {
  const child = spawn('docker', args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code, error] = await Promise.race([
    once(child, 'close'),
    once(child, 'error').then(([spawnError]) => [null, spawnError as Error]),
  ]);
  if (code === 0) return stdout.trim();
  const reason = error ? (error as Error).message : stderr.trim() || `exit code ${code}`;
  throw new Error(`docker ${args[0]} failed: ${reason}`);
}

/** True when a Docker engine answers (the CLI alone is not enough). */
export async function engineAnswers(): Promise<boolean> {
  return docker('info', '--format', '{{.ServerVersion}}').then(
    () => true,
    () => false,
  );
}

/**
 * Whether the engine has its default bridge network. Engines started with --bridge=none (this
 * project's machines: loopback only) have none, and containers share the host's network instead.
 */
export async function engineHasBridge(): Promise<boolean> {
  return docker('network', 'inspect', 'bridge').then(
    () => true,
    () => false,
  );
}
