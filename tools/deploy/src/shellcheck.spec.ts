import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Every bash script in tools/ is shellcheck-clean, following the files it sources (-x), which
 * each script names relative to itself (-P SCRIPTDIR).
 */
const REPO_ROOT = join(__dirname, '../../..');

function scripts(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return scripts(path);
    return entry.name.endsWith('.sh') ? [relative(REPO_ROOT, path)] : [];
  });
}

const found = scripts(join(REPO_ROOT, 'tools'));

describe('shellcheck', () => {
  it('finds the scripts of tools/', () => {
    expect(found).toEqual(
      expect.arrayContaining(['tools/kind/deploy.sh', 'tools/deploy/ensure-shellcheck.sh']),
    );
  });

  it.each(found)('%s is clean', (script) => {
    const result = spawnSync('shellcheck', ['-x', '-P', 'SCRIPTDIR', script], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(result.error).toBeUndefined();
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
