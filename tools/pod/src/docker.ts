import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Runs the docker CLI; a failure carries docker's own message. */
export async function docker(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('docker', args, { maxBuffer: 16 * 1024 * 1024 });
    return stdout.trim();
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`docker ${args[0]} failed: ${(stderr || message).trim()}`);
  }
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
