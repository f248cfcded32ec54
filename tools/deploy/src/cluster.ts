import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { run } from './shell';
import { REGISTRY_HOST, REPO_ROOT, TOOLS_BIN } from './settings';

/**
 * The kind cluster (https://kind.sigs.k8s.io) that `make deploy` and the cluster tests use:
 * KIND_CLUSTER (default sidecar), created by tools/kind/create-cluster.sh when absent. Everything
 * cluster-specific lives here; the deploy and the tests (deploy.ts, integration.ts) use only this.
 */
export interface KindCluster {
  readonly name: string;
  /** Environment for kubectl, helm and ct: the cluster's KUBECONFIG, and PATH with the pinned tools first. */
  readonly env: NodeJS.ProcessEnv;
  /** The chart's values on kind (tools/kind/values.yaml). */
  readonly valuesFile: string;
  /** Creates the cluster when it is absent. It stays for the next run; `make kind-delete` removes it. */
  ensure(): Promise<void>;
  /**
   * The local registry the nodes pull from (tools/registry, wired by create-cluster.sh), as
   * `host:port`: an image pushed as `<registry>/<name>` on this machine is the same name there.
   */
  readonly registry: string;
  /** Pushes local images to that registry as `<registry>/<image>`, for the nodes to pull. */
  pushImages(images: readonly string[]): Promise<void>;
  /**
   * The Service's URL on this machine: the loopback port that kind maps to the chart's NodePort.
   * No port-forward, so it keeps answering while Pods are replaced (a port-forward is bound to one Pod).
   */
  readonly serviceUrl: string;
}

export function kindCluster(name = process.env.KIND_CLUSTER ?? 'sidecar'): KindCluster {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // As tools/kind/lib.sh names it.
    KUBECONFIG: process.env.KIND_KUBECONFIG ?? join(REPO_ROOT, '.cache/kind', `${name}.kubeconfig`),
    PATH: [TOOLS_BIN, process.env.PATH].join(':'),
  };
  return {
    name,
    env,
    valuesFile: join(REPO_ROOT, 'tools/kind/values.yaml'),
    async ensure() {
      await run(join(REPO_ROOT, 'tools/kind/create-cluster.sh'), [], {
        env: { ...process.env, KIND_CLUSTER: name },
      });
    },
    registry: REGISTRY_HOST,
    async pushImages(images) {
      for (const image of images) {
        await run('docker', ['tag', image, `${REGISTRY_HOST}/${image}`], { env, quiet: true });
        await run('docker', ['push', '--quiet', `${REGISTRY_HOST}/${image}`], { env });
      }
    },
    serviceUrl: kindServiceUrl(),
  };
}

/**
 * The host address kind maps to the chart's NodePort: the extraPortMappings entry of
 * tools/kind/cluster.yaml whose containerPort is service.nodePort in tools/kind/values.yaml.
 */
export function kindServiceUrl(): string {
  const config = parse(readFileSync(join(REPO_ROOT, 'tools/kind/cluster.yaml'), 'utf8'));
  const values = parse(readFileSync(join(REPO_ROOT, 'tools/kind/values.yaml'), 'utf8'));
  const nodePort = values?.service?.nodePort;
  const mappings: { containerPort?: number; hostPort?: number; listenAddress?: string }[] = (
    config?.nodes ?? []
  ).flatMap((node: { extraPortMappings?: [] }) => node.extraPortMappings ?? []);
  const mapping = mappings.find((candidate) => candidate.containerPort === nodePort);
  if (!mapping?.hostPort) {
    throw new Error(
      `tools/kind/cluster.yaml maps no hostPort to the NodePort ${nodePort} of tools/kind/values.yaml`,
    );
  }
  return `http://${mapping.listenAddress ?? '127.0.0.1'}:${mapping.hostPort}`;
}
