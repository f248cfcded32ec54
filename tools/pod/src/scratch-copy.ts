import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor, workspacePaths } from '@sidecar/testkit';
import { docker } from './docker';
import { requireFreePorts } from './ports';

/**
 * A scratch copy of this checkout (tools/setup/scratch-copy.sh) where `make` targets run as a user
 * runs them in a terminal, and whatever they leave behind can be found: a process whose working
 * directory is in the copy, a bound port, a container of the Pod.
 */
export class ScratchCopy {
  readonly dir: string;

  constructor() {
    const work = mkdtempSync(join(tmpdir(), 'sidecar-scratch-'));
    // Readable by all, like a checkout: nginx's workers (nobody, when tests run as root) serve
    // the copy's static site.
    chmodSync(work, 0o755);
    this.dir = join(work, 'checkout');
    execFileSync('bash', [
      join(workspacePaths().root, 'tools', 'setup', 'scratch-copy.sh'),
      this.dir,
    ]);
  }

  /**
   * `make <target> NAME=value...` in the copy, in a session of its own as in a terminal. The
   * variables go on the command line, as a user sets them: ones from the environment would lose
   * to the Makefile's own (tools/ports.env).
   */
  make(target: string, variables: Record<string, string> = {}): MakeRun {
    const args = [target, ...Object.entries(variables).map(([name, value]) => `${name}=${value}`)];
    return new MakeRun(this.dir, args);
  }

  /** Processes still running in the copy, ports still bound, Pod containers still present. */
  async leftovers(ports: number[], containers: string[]): Promise<string[]> {
    const found = processesIn(this.dir).map((p) => `process ${p}`);
    for (const port of ports) {
      await requireFreePorts([{ name: 'port', port }]).catch(() => found.push(`port ${port}`));
    }
    const names = (await docker('ps', '--all', '--format', '{{.Names}}')).split('\n');
    found.push(...names.filter((name) => containers.includes(name)).map((n) => `container ${n}`));
    return found;
  }

  remove(): void {
    rmSync(join(this.dir, '..'), { recursive: true, force: true });
  }
}

export class MakeRun {
  private text = '';
  readonly exited: Promise<number | null>;
  private readonly pid: number;

  constructor(cwd: string, args: string[]) {
    const child = spawn('make', args, {
      cwd,
      // Its own session and process group, as a terminal's foreground job: interrupt() signals
      // the whole group, as Ctrl-C does. The Nx daemon stays off: it outlives any run by design.
      detached: true,
      env: { ...process.env, NX_DAEMON: 'false', NX_TUI: 'false', NX_NO_CLOUD: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.pid = child.pid ?? 0;
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8').on('data', (chunk: string) => (this.text += chunk));
    }
    this.exited = once(child, 'exit').then(([code]) => code as number | null);
  }

  get output(): string {
    return this.text;
  }

  /** Waits until `check` holds, failing early, with the output so far, if make exits first. */
  async until(
    what: string,
    check: () => boolean | Promise<boolean>,
    timeoutMs: number,
  ): Promise<void> {
    let exited = false;
    void this.exited.then(() => (exited = true));
    await waitFor(
      what,
      async () => {
        if (await check()) return true;
        if (exited) throw new Error(`make exited before ${what}:\n${this.text.slice(-4_000)}`);
        return undefined;
      },
      timeoutMs,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- output so far:\n${this.text.slice(-4_000)}`);
    });
  }

  /**
   * Resolves once no process of make's group is left: after a Ctrl-C, make may exit while a
   * script it ran still runs its EXIT trap (a temporary folder removed), as in a terminal whose
   * prompt is back. Fails, naming them, if some are still there after timeoutMs.
   */
  async groupEnded(timeoutMs: number): Promise<void> {
    await waitFor(
      `the processes of make's group (${this.pid}) to end`,
      () => (processGroupMembers(this.pid).length === 0 ? true : undefined),
      timeoutMs,
    ).catch((error: Error) => {
      throw new Error(`${error.message}: ${processGroupMembers(this.pid).join('; ')}`);
    });
  }

  /** Ctrl-C: SIGINT to every process of the group (none, once it has ended). */
  interrupt(): void {
    try {
      process.kill(-this.pid, 'SIGINT');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}

/** `pid command` of every process of the process group pgid (field 5 of /proc/<pid>/stat). */
function processGroupMembers(pgid: number): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command (field 2) is in parentheses and may hold spaces: count after its last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      found.push(`${pid} ${command}`);
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

/** `pid command` of every process whose working directory is in dir. */
export function processesIn(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd !== dir && !cwd.startsWith(`${dir}/`)) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      found.push(`${pid} ${command}`);
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}
