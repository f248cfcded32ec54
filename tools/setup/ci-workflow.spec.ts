import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * The public workflows (.github/workflows) cannot run here, so what they rely on is checked
 * instead: actionlint finds no problem in them (with shellcheck over their scripts), every action
 * is pinned by commit SHA, the make targets ci.yml calls exist, and `nx affected`, which it runs on pull requests,
 * reaches every project whose tests run what a change touches (the project graph's edges, some
 * of them implicitDependencies in project.json: a test that runs the API's image does not import
 * the API's code).
 */
const REPO_ROOT = join(__dirname, '../..');

interface Step {
  run?: string;
  uses?: string;
  if?: string;
}

const workflow = parse(readFileSync(join(REPO_ROOT, '.github/workflows/ci.yml'), 'utf8')) as {
  jobs: Record<string, { steps: Step[] }>;
};
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

function affectedBy(file: string): string[] {
  const out = execFileSync('npx', ['nx', 'show', 'projects', '--affected', `--files=${file}`], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, NX_DAEMON: 'false' },
  });
  return out.split('\n').filter(Boolean).sort();
}

describe('the public CI workflow', () => {
  it('runs `make affected` on pull requests, from the base nx-set-shas derives, and `make test` on main', () => {
    const on = (event: 'pull_request' | 'push') =>
      steps
        .filter((step) => step.run?.startsWith('make '))
        .filter((step) =>
          event === 'pull_request'
            ? step.if === "github.event_name == 'pull_request'"
            : step.if === "github.event_name != 'pull_request'",
        )
        .map((step) => step.run);
    expect(on('pull_request')).toEqual(['make affected']);
    expect(on('push')).toEqual(['make test']);
    const setShas = steps.findIndex((step) => step.uses?.startsWith('nrwl/nx-set-shas@'));
    const affected = steps.findIndex((step) => step.run === 'make affected');
    expect(setShas).toBeGreaterThanOrEqual(0);
    expect(setShas).toBeLessThan(affected);
  });

  it('calls only make targets that exist', () => {
    const targets = steps.flatMap((step) =>
      [...(step.run ?? '').matchAll(/^\s*make ([\w-]+)/gm)].map((match) => match[1] as string),
    );
    expect(targets.length).toBeGreaterThan(0);
    for (const target of new Set(targets)) {
      // -n prints the recipe without running it, and fails for a target that does not exist.
      expect(() =>
        execFileSync('make', ['-n', target], { cwd: REPO_ROOT, stdio: 'pipe' }),
      ).not.toThrow();
    }
  });

  it('affects every project that runs the API when a route changes', () => {
    expect(affectedBy('apps/api/src/routes/public.ts')).toEqual(
      expect.arrayContaining(['api', 'bench', 'deploy', 'e2e', 'hardening', 'nginx', 'pod']),
    );
  }, 60_000);

  it('affects what renders the chart when its values change, and not the API', () => {
    const affected = affectedBy('charts/sidecar/values.yaml');
    expect(affected).toEqual(expect.arrayContaining(['chart', 'deploy', 'pod']));
    expect(affected).not.toContain('api');
  }, 60_000);
});

describe('every public workflow', () => {
  const dir = join(REPO_ROOT, '.github/workflows');
  const files = readdirSync(dir).filter((file) => file.endsWith('.yml'));

  it('passes actionlint (the pinned one, shellcheck included)', () => {
    expect(files).toEqual(expect.arrayContaining(['ci.yml', 'release.yml']));
    const result = spawnSync(
      join(REPO_ROOT, '.cache/tools/bin/actionlint'),
      files.map((file) => join(dir, file)),
      { encoding: 'utf8' },
    );
    if (result.error)
      throw new Error(`actionlint is missing: run make setup (${result.error.message})`);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each(files)(
    '%s pins every action by a full commit SHA, with its version beside it',
    (file) => {
      const uses = [
        ...readFileSync(join(dir, file), 'utf8').matchAll(/^\s*-?\s*uses: (.+)$/gm),
      ].map((match) => (match[1] as string).trim());
      expect(uses.length).toBeGreaterThan(0);
      for (const use of uses)
        expect(use).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    },
  );
});
