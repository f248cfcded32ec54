/**
 * The rename end to end: a scratch copy of this repository is renamed with the real
 * `nx g <scope>/generators:rename`, then its lint, unit tests and chart lint run with the new names.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { isRenameItself } from './generator';
import { CONCEPT_WORD, keptOccurrences, occurrences } from './rules';
import {
  copyRepository,
  linkNodeModules,
  linkWorkspacePackages,
  repositoryRoot,
} from './testing/scratch-workspace';

// Hyphenated on purpose: it must stay valid wherever the old name was an identifier.
const NEW_NAME = 'acme-orders';
// The projects whose lint and tests the copy runs: the API, the chart (helm lint, ct lint and its
// jest specs over `helm template`) and the kind path, about two minutes together.
const PROJECTS = ['api', 'chart', 'kind'];

const root = repositoryRoot();
const oldName: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name;
let copy: string;
let generatorOutput: string;

// The copy's Nx must not inherit the task context of an Nx that runs this test (NX_* variables).
const nxEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NX_'))),
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  CI: 'true',
};

function nx(args: string[]): { status: number | null; output: string } {
  const run = spawnSync('npx', ['--no-install', 'nx', ...args], {
    cwd: copy,
    env: nxEnv,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

const readCopy = (path: string) => readFileSync(join(copy, path), 'utf8');

/** The copy's text files, as the generator sees them: no dependencies, caches, build output, or the rename's own files. */
function textFiles(dir = copy): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    const rel = relative(copy, path);
    if (['node_modules', '.cache', '.nx', '.git', 'dist', 'coverage'].includes(entry)) return [];
    if (statSync(path).isDirectory()) return textFiles(path);
    if (isRenameItself(rel)) return [];
    const content = readFileSync(path);
    return content.includes(0) ? [] : [rel];
  });
}

beforeAll(() => {
  copy = copyRepository(root);
  linkNodeModules(root, copy, `@${oldName}`);
  const run = nx(['g', `@${oldName}/generators:rename`, `--name=${NEW_NAME}`, '--no-interactive']);
  generatorOutput = run.output;
  if (run.status !== 0) throw new Error(`nx g rename failed in ${copy}:\n${run.output}`);
  linkWorkspacePackages(copy, `@${NEW_NAME}`);
}, 120_000);

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

describe(`renaming a copy of the repository from its current name to ${NEW_NAME}`, () => {
  it('says what it renamed and finds nothing it cannot classify', () => {
    expect(generatorOutput).toMatch(new RegExp(`Renamed "${oldName}" to "${NEW_NAME}"`));
    expect(generatorOutput).not.toContain('Left unchanged');
  });

  it('moves the chart to charts/<name>, scripts still executable, and names it there', () => {
    expect(existsSync(join(copy, 'charts', oldName))).toBe(false);
    expect(parse(readCopy(`charts/${NEW_NAME}/Chart.yaml`)).name).toBe(NEW_NAME);
    const mode = (path: string) => statSync(path).mode & 0o777;
    expect(mode(join(copy, `charts/${NEW_NAME}/scripts/lint.sh`))).toBe(
      mode(join(root, `charts/${oldName}/scripts/lint.sh`)),
    );
  });

  it('renames the root package, every workspace package and the images', () => {
    expect(JSON.parse(readCopy('package.json')).name).toBe(NEW_NAME);
    const scoped = readdirSync(join(copy, 'node_modules', `@${NEW_NAME}`));
    expect(scoped).toEqual(expect.arrayContaining(['api', 'chart', 'nginx', 'generators']));
    const values = parse(readCopy(`charts/${NEW_NAME}/values.yaml`));
    expect([values.api.image.repository, values.nginx.image.repository]).toEqual([
      `${NEW_NAME}-api`,
      `${NEW_NAME}-nginx`,
    ]);
  });

  it('names the kind cluster after the service', () => {
    expect(readCopy('tools/kind/lib.sh')).toContain(`KIND_CLUSTER="\${KIND_CLUSTER:-${NEW_NAME}}"`);
  });

  it('renders the chart with the new helper names, labels and images', () => {
    const helm = join(root, '.cache/tools/bin/helm');
    // The values file CI renders the chart with, so the test follows the chart's own requirements.
    const chart = join(copy, 'charts', NEW_NAME);
    const rendered = execFileSync(
      helm,
      ['template', 'demo', chart, '--values', join(chart, 'ci/default-values.yaml')],
      { encoding: 'utf8' },
    );
    const resources = parseAllDocuments(rendered)
      .map((doc) => doc.toJS())
      .filter(Boolean);
    expect(resources.length).toBeGreaterThan(3);
    for (const resource of resources) {
      expect(resource.metadata.name).toMatch(new RegExp(`^demo-${NEW_NAME}`));
      expect(resource.metadata.labels).toMatchObject({
        'app.kubernetes.io/name': NEW_NAME,
        'app.kubernetes.io/part-of': NEW_NAME,
      });
    }
    const deployment = resources.find((resource) => resource.kind === 'Deployment');
    const images = [
      ...(deployment.spec.template.spec.initContainers ?? []),
      ...deployment.spec.template.spec.containers,
    ].map((c) => c.image);
    expect(images.sort()).toEqual([
      `${NEW_NAME}-api:0.1.0`,
      `${NEW_NAME}-nginx:0.1.0`,
      'nginx/nginx-prometheus-exporter:1.4.2',
    ]);
  });

  it('rewrites only the workspace entries of package-lock.json', () => {
    const before = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    const after = JSON.parse(readCopy('package-lock.json'));
    expect(after.name).toBe(NEW_NAME);
    expect(Object.keys(after.packages)).toHaveLength(Object.keys(before.packages).length);
    expect(
      Object.keys(after.packages).filter(
        (key) => key.includes(`@${oldName}/`) || key === `charts/${oldName}`,
      ),
    ).toEqual([]);
    expect(after.packages[`node_modules/@${NEW_NAME}/chart`]).toEqual({
      resolved: `charts/${NEW_NAME}`,
      link: true,
    });
  });

  it(`leaves "${CONCEPT_WORD}" only where it means the Kubernetes pattern`, () => {
    const left = textFiles().flatMap((path) => {
      const text = readCopy(path);
      const kept = keptOccurrences(path, text);
      return occurrences(oldName, text)
        .filter((start) => oldName !== CONCEPT_WORD || !kept.has(start))
        .map(
          (start) =>
            `${path}:${text.slice(0, start).split('\n').length}: ${text.split('\n')[text.slice(0, start).split('\n').length - 1]?.trim()}`,
        );
    });
    expect(left).toEqual([]);
  });

  it(`passes lint, unit tests and chart lint (${PROJECTS.join(', ')}) with the new names`, () => {
    const run = nx([
      'run-many',
      '-t',
      'lint',
      'test',
      '-p',
      ...PROJECTS,
      '--skip-nx-cache',
      '--outputStyle=stream',
    ]);
    if (run.status !== 0) console.log(run.output.slice(-20_000));
    expect(run.status).toBe(0);
  }, 600_000);
});
