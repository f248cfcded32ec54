import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * renovate.json keeps the project's pins current; Renovate runs on GitHub, not here, so its
 * config is checked instead: Renovate's own validator accepts it (strict), refuses a broken one,
 * and its regex managers find every pin of tools/versions.env.
 */
const REPO_ROOT = join(__dirname, '../..');
const TOOLS_BIN = join(REPO_ROOT, '.cache/tools/bin');

function validate(dir: string): { status: number | null; output: string } {
  const result = spawnSync(join(TOOLS_BIN, 'renovate-config-validator'), ['--strict'], {
    cwd: dir,
    encoding: 'utf8',
    // The pinned Node runs it (its shebang is `env node`).
    env: { ...process.env, PATH: `${TOOLS_BIN}:${process.env.PATH}` },
  });
  if (result.error) {
    throw new Error(
      `renovate-config-validator is missing: run make setup (${result.error.message})`,
    );
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

interface CustomManager {
  matchStrings: string[];
  datasourceTemplate?: string;
}

describe('renovate.json', () => {
  it("passes Renovate's config validator", () => {
    const { status, output } = validate(REPO_ROOT);
    expect(output).toContain('Config validated successfully');
    expect(status).toBe(0);
  }, 60_000);

  it('and the validator refuses an unknown option', () => {
    const dir = mkdtempSync(join(tmpdir(), 'renovate-'));
    writeFileSync(join(dir, 'renovate.json'), JSON.stringify({ packageRulez: [] }));
    const { status, output } = validate(dir);
    expect(output).toContain('Invalid configuration option: packageRulez');
    expect(status).not.toBe(0);
  }, 60_000);

  it('finds every pin of tools/versions.env, with a datasource and a name', () => {
    const config = JSON.parse(readFileSync(join(REPO_ROOT, 'renovate.json'), 'utf8'));
    const versions = readFileSync(join(REPO_ROOT, 'tools/versions.env'), 'utf8');
    const pins = [...versions.matchAll(/^([A-Z0-9_]+)=(.+)$/gm)].map((m) => m[2] as string);
    const found = (config.customManagers as CustomManager[]).flatMap((manager) =>
      manager.matchStrings.flatMap((pattern) =>
        [...versions.matchAll(new RegExp(pattern, 'g'))].map((match) => ({
          datasource: manager.datasourceTemplate ?? match.groups?.datasource,
          depName: match.groups?.depName,
          currentValue: match.groups?.currentValue as string,
        })),
      ),
    );
    for (const dependency of found) {
      expect(dependency.datasource).toMatch(/^(docker|go|pypi|npm|node-version|github-releases)$/);
      expect(dependency.depName).toBeTruthy();
    }
    const covered = (pin: string) =>
      found.some((dependency) => pin.includes(dependency.currentValue));
    expect(pins.filter((pin) => !covered(pin))).toEqual([]);
    expect(found.length).toBe(pins.length);
  });
});
