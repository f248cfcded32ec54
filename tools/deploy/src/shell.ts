import { spawn, spawnSync } from 'node:child_process';

/**
 * Runs the command-line tools the cluster steps drive (kubectl, helm, kind, ct), printing each
 * command before it runs, so a log shows exactly what happened.
 */
export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Text for the command's stdin. */
  input?: string;
  /** Keep quiet: no echo of the command (for polling and for commands whose output we parse). */
  quiet?: boolean;
  cwd?: string;
}

function describe(command: string, args: readonly string[]): string {
  return [command, ...args]
    .map((part) => (/^[\w@%+=:,./-]+$/.test(part) ? part : JSON.stringify(part)))
    .join(' ');
}

/** Runs a command to completion, its output on our terminal; rejects when it fails. */
export function run(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<void> {
  if (!options.quiet) console.log(`$ ${describe(command, args)}`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: [options.input === undefined ? 'inherit' : 'pipe', 'inherit', 'inherit'],
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolvePromise()
        : reject(new Error(`${describe(command, args)} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

/** Runs a command and returns its stdout; throws with its stderr when it fails. */
export function capture(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): string {
  if (!options.quiet) console.log(`$ ${describe(command, args)}`);
  const result = spawnSync(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(
      `${describe(command, args)} failed (exit ${result.status}): ${result.stderr.trim()}`,
    );
  }
  return result.stdout;
}

/** Polls `probe` until it returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => T | undefined | Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export function say(message: string): void {
  console.log(`[cluster] ${message}`);
}
