import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { findWorkspaceRoot } from '@sidecar/testkit';
import type { HttpProbe, NamedPort } from './kubelet-probe';

/** A container of the chart's Pod, as far as running it outside Kubernetes needs. */
export interface ChartContainer {
  name: string;
  image: string;
  /** Native sidecars (initContainers with restartPolicy: Always) run for the Pod's whole life. */
  restartPolicy?: 'Always';
  /** Arguments to the image's entrypoint. */
  args?: string[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: { resourceFieldRef?: { resource: string; divisor?: string } };
  }[];
  ports?: NamedPort[];
  startupProbe?: HttpProbe;
  livenessProbe?: HttpProbe;
  readinessProbe?: HttpProbe;
  securityContext?: { runAsUser?: number; runAsGroup?: number; readOnlyRootFilesystem?: boolean };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  volumeMounts?: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[];
}

export interface ChartPod {
  /** In start order: native sidecars first, then the app containers. */
  containers: ChartContainer[];
  volumes: { name: string; emptyDir?: { sizeLimit?: string }; secret?: { secretName: string } }[];
  terminationGracePeriodSeconds: number;
}

/** The chart's helm binary: the pinned one tools/toolchain installs, else one on PATH. */
export function helmBinary(root = findWorkspaceRoot()): string {
  const pinned = join(root, '.cache', 'tools', 'bin', 'helm');
  return existsSync(pinned) ? pinned : 'helm';
}

/**
 * `helm template` of charts/sidecar with extra values (a string with `--set-string`, a number
 * with `--set`); returns the Deployment's Pod.
 */
export function renderChartPod(sets: Record<string, string | number> = {}): ChartPod {
  const root = findWorkspaceRoot();
  const args = ['template', 'sidecar', join(root, 'charts', 'sidecar')];
  for (const [key, value] of Object.entries(sets)) {
    args.push(typeof value === 'number' ? '--set' : '--set-string', `${key}=${value}`);
  }
  let manifest: string;
  try {
    manifest = execFileSync(helmBinary(root), args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? (error as Error).message;
    throw new Error(
      `helm template failed (install the pinned helm with \`make setup\`): ${stderr}`,
    );
  }
  const deployment = parseAllDocuments(manifest)
    .map((doc) => doc.toJS())
    .find((resource) => resource?.kind === 'Deployment');
  if (!deployment) throw new Error('the chart rendered no Deployment');
  const spec = deployment.spec.template.spec;
  const sidecars = (spec.initContainers ?? []).filter(
    (c: ChartContainer) => c.restartPolicy === 'Always',
  );
  return {
    containers: [...sidecars, ...spec.containers],
    volumes: spec.volumes ?? [],
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds ?? 30,
  };
}

/** A CPU quantity (500m, 2, 1.5) in cores. */
export function cpuCores(quantity: string): number {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(quantity.trim());
  if (!match) throw new Error(`not a CPU quantity: ${quantity}`);
  return Number(match[1]) / (match[2] ? 1000 : 1);
}

/**
 * A container's env as the kubelet sets it, where that needs no cluster: plain values, and the
 * CPU fields of the Downward API (limits.cpu, requests.cpu: the quantity over the divisor,
 * rounded up; without a limit, the node's cores). Other valueFrom entries are left out.
 * https://kubernetes.io/docs/concepts/workloads/pods/downward-api/#downwardapi-resourcefieldref
 */
export function plainEnv(
  container: ChartContainer,
  nodeCpus = cpus().length,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const entry of container.env ?? []) {
    if (entry.value !== undefined) {
      env[entry.name] = String(entry.value);
      continue;
    }
    const field = entry.valueFrom?.resourceFieldRef;
    const [kind, resource] = field?.resource.split('.') ?? [];
    if (resource !== 'cpu' || (kind !== 'limits' && kind !== 'requests')) continue;
    const set = container.resources?.[kind]?.cpu;
    const cores = set === undefined ? nodeCpus : cpuCores(set);
    env[entry.name] = String(Math.ceil(cores / cpuCores(field?.divisor ?? '1')));
  }
  return env;
}
