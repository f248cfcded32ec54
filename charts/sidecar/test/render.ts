import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

/** Where the chart and the workspace are, from this folder. */
export const chartDir = resolve(__dirname, '..');
export const workspaceRoot = resolve(chartDir, '../..');
/** The pinned Helm that `make setup` puts in place (tools/toolchain/install.sh). */
const helm = join(workspaceRoot, '.cache/tools/bin/helm');

/** A rendered Kubernetes object, loosely typed: the specs read the fields they check. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Manifest = Record<string, any>;

/** The values every render needs: the chart refuses to render without API tokens. */
export const tokens = { auth: { tokens: ['spec-token-0123456789abcdef'] } };

function helmTemplate(values: object[], valueFiles: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'chart-spec-'));
  try {
    const files = values.map((value, index) => {
      const file = join(dir, `values-${index}.yaml`);
      writeFileSync(file, stringify(value));
      return file;
    });
    const args = ['template', 'spec', chartDir, '--namespace', 'spec'];
    for (const file of [...valueFiles.map((name) => join(chartDir, name)), ...files])
      args.push('--values', file);
    return execFileSync(helm, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Renders the chart with `helm template` and returns every object it would apply. */
export function render(values: object[] = [tokens], valueFiles: string[] = []): Manifest[] {
  return parseAllDocuments(helmTemplate(values, valueFiles))
    .map((document) => document.toJS() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

/** Renders the chart expecting Helm to refuse, and returns what Helm printed. */
export function renderError(values: object[]): string {
  try {
    helmTemplate(values, []);
  } catch (error) {
    return String((error as { stderr?: string }).stderr ?? error);
  }
  throw new Error(`helm template accepted values it should refuse: ${JSON.stringify(values)}`);
}

/** The one object of a kind (and name suffix, for the test Pod) in a render. */
export function find(manifests: Manifest[], kind: string, nameSuffix = ''): Manifest {
  const found = manifests.filter(
    (m) => m.kind === kind && String(m.metadata.name).endsWith(nameSuffix),
  );
  if (found.length !== 1)
    throw new Error(
      `expected one ${kind}${nameSuffix && ` named *${nameSuffix}`}, found ${found.length}`,
    );
  return found[0] as Manifest;
}

/** The Pod spec of the Deployment. */
export function podSpec(manifests: Manifest[]): Manifest {
  return find(manifests, 'Deployment').spec.template.spec;
}

/** A container of the Pod by name, from containers or initContainers. */
export function container(spec: Manifest, name: string): Manifest {
  const all = [...(spec.initContainers ?? []), ...spec.containers] as Manifest[];
  const found = all.find((c) => c.name === name);
  if (!found) throw new Error(`no container named ${name}`);
  return found;
}
