import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

/**
 * The repository's shell: every tracked script is shellcheck-clean, following the files it
 * sources (-x), which each script names relative to itself (-P SCRIPTDIR); and every script that
 * runs on the host (one with a #! line; the others are sourced) speaks through the one shell
 * library, tools/lib.sh (directly, or through a folder's lib.sh that sources it). Scripts that
 * run inside an image cannot reach it, nor can the runtime the Docker engine runs (a copy of it
 * lives outside the checkout).
 */
const REPO_ROOT = join(__dirname, '../..');
const INSIDE_AN_IMAGE = /(^|\/)(docker-entrypoint\.sh|docker-entrypoint\.d\/.*)$/;
const RUN_BY_THE_ENGINE = 'tools/workarounds/runc-without-sys-resource.sh';

const tracked = spawnSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', '*.sh', '*.envsh', '.ci/run'],
  {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  },
)
  .stdout.split('\n')
  .filter(Boolean);
const runOnTheHost = tracked.filter(
  (script) =>
    !INSIDE_AN_IMAGE.test(script) &&
    script !== RUN_BY_THE_ENGINE &&
    script !== '.ci/run' &&
    readFileSync(join(REPO_ROOT, script), 'utf8').startsWith('#!'),
);

/** A `source "$(dirname ...)/PATH"` line: PATH is relative to the script's own folder. */
const SOURCE_LINE = /^\s*source "\$\(dirname "\$(?:\{BASH_SOURCE\[0\]\}|0)"\)\/([^"]+)"/gm;

/** True when the script sources tools/lib.sh, or a library that (in turn) does. */
function sourcesTheLibrary(script: string, seen = new Set<string>()): boolean {
  if (script === 'tools/lib.sh') return true;
  if (seen.has(script)) return false;
  seen.add(script);
  const text = readFileSync(join(REPO_ROOT, script), 'utf8');
  const libraries = [...text.matchAll(SOURCE_LINE)].map((match) =>
    normalize(join(dirname(script), match[1] as string)),
  );
  return libraries.some((library) => sourcesTheLibrary(library, seen));
}

describe('the shell scripts', () => {
  it('are found, CI entry point included', () => {
    expect(tracked).toEqual(
      expect.arrayContaining(['.ci/run', 'tools/lib.sh', 'tools/kind/deploy.sh']),
    );
  });

  it.each(tracked)('%s is shellcheck-clean', (script) => {
    const result = spawnSync('shellcheck', ['-x', '-P', 'SCRIPTDIR', script], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    if (result.error)
      throw new Error(`shellcheck is missing: run make setup (${result.error.message})`);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each(runOnTheHost)('%s speaks through tools/lib.sh', (script) => {
    expect(sourcesTheLibrary(script)).toBe(true);
  });
});
