import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface BaselineApi {
  /** The revision's `nx build api` output, dist/apps/api/main.js of its worktree. */
  main: string;
  /** The revision as git names it (short hash). */
  revision: string;
  remove(): Promise<void>;
}

/**
 * BENCH_API_BASELINE_REV: the API of an earlier revision, built as `nx build api` builds it, in a
 * git worktree of its own, to run beside today's API in one bench run. The worktree borrows this
 * checkout's node_modules: the comparison is of the API's code, on today's dependencies (a
 * revision whose code needs other packages fails to build, and the bench says so).
 */
export async function buildBaselineApi(
  root: string,
  rev: string,
  log: (line: string) => void,
): Promise<BaselineApi> {
  const revision = (
    await run('git', ['-C', root, 'rev-parse', '--short', `${rev}^{commit}`])
  ).stdout.trim();
  const dir = await mkdtemp(join(tmpdir(), `sidecar-baseline-${revision}-`));
  const remove = async () => {
    await run('git', ['-C', root, 'worktree', 'remove', '--force', dir]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    log(`building the API of ${revision} (a git worktree in ${dir})`);
    await run('git', ['-C', root, 'worktree', 'add', '--detach', '--force', dir, revision]);
    await symlink(join(root, 'node_modules'), join(dir, 'node_modules'));
    await run('npx', ['nx', 'build', 'api', '--skip-nx-cache'], {
      cwd: dir,
      env: { ...process.env, NX_DAEMON: 'false' },
      maxBuffer: 16 * 1024 * 1024,
    });
    const main = join(dir, 'dist/apps/api/main.js');
    if (!existsSync(main)) throw new Error(`nx build api at ${revision} wrote no ${main}`);
    return { main, revision, remove };
  } catch (error) {
    await remove();
    throw new Error(`the API of ${revision} does not build: ${(error as Error).message}`);
  }
}
