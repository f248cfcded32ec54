import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { capture, run, say, waitFor } from './shell';
import { KUBERNETES_VERSION, RELEASE, REPO_ROOT, TOOLS_BIN } from './settings';

/**
 * Where the chart is installed. Everything cluster-specific lives behind this interface; the
 * deploy and the tests (deploy.ts, integration.ts) are the same for every provider.
 */
export interface ClusterProvider {
  readonly name: ProviderName;
  /** Environment for kubectl, helm and ct: KUBECONFIG, and PATH with the pinned tools first. */
  readonly env: NodeJS.ProcessEnv;
  /** The provider's values file for the chart. */
  readonly valuesFile: string;
  /** Starts the cluster when it is not running; resolves to what stops it again (a no-op when it was already up). */
  ensureCluster(): Promise<() => Promise<void>>;
  /** Puts locally built images on the cluster's node(s), as a registry pull would. */
  loadImages(images: readonly string[]): Promise<void>;
  /**
   * The Service's URL as this machine reaches it without a port-forward, so it keeps answering
   * while Pods are replaced (a port-forward is bound to one Pod).
   */
  serviceUrl(namespace: string): string;
  /** A URL to the Service for the e2e suite, and what closes it. */
  openService(namespace: string): Promise<{ url: string; close: () => void }>;
}

export type ProviderName = 'kind' | 'local';

/** Refuses a URL whose host is not on this machine: the tests never send traffic anywhere else. */
export function assertLocalUrl(url: string): string {
  const host = new URL(url).hostname;
  const local = Object.values(networkInterfaces())
    .flat()
    .some((address) => address?.address === host);
  if (!local) throw new Error(`refusing ${url}: ${host} is not an address of this machine`);
  return url;
}

const withToolsOnPath = (kubeconfig: string, ...dirs: string[]): NodeJS.ProcessEnv => ({
  ...process.env,
  KUBECONFIG: kubeconfig,
  PATH: [TOOLS_BIN, ...dirs, process.env.PATH].join(':'),
});

/** kind (https://kind.sigs.k8s.io): the cluster of `make deploy`, on any machine whose Docker can pull kind's node image. */
export function kindProvider(): ClusterProvider {
  const cluster = process.env.KIND_CLUSTER ?? 'sidecar';
  const kubeconfig = join(REPO_ROOT, '.cache/kind', `${cluster}.kubeconfig`);
  const env = withToolsOnPath(kubeconfig);
  const valuesFile = join(REPO_ROOT, 'tools/kind/values.yaml');
  return {
    name: 'kind',
    env,
    valuesFile,
    async ensureCluster() {
      await run(join(REPO_ROOT, 'tools/kind/create-cluster.sh'), [], {
        env: { ...process.env, KIND_CLUSTER: cluster },
      });
      // The cluster stays for the next run; `make kind-delete` removes it.
      return async () => undefined;
    },
    async loadImages(images) {
      await run('kind', ['load', 'docker-image', '--name', cluster, ...images], { env });
    },
    serviceUrl() {
      return kindServiceUrl();
    },
    async openService() {
      return { url: kindServiceUrl(), close: () => undefined };
    },
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

/** The single-node cluster that tools/workarounds/local-cluster builds and runs on this machine (no Docker networking needed). */
export function localProvider(): ClusterProvider {
  const scripts = join(REPO_ROOT, 'tools/workarounds/local-cluster');
  const kubeconfig = join(REPO_ROOT, '.cache/local-cluster/kubeconfig');
  // The cluster's own kubectl, the same release as its API server.
  const kubectlDir = join(REPO_ROOT, '.cache/local-cluster/bin', KUBERNETES_VERSION);
  const env = withToolsOnPath(kubeconfig, kubectlDir);
  const answers = () =>
    existsSync(kubeconfig) &&
    spawnSync('kubectl', ['get', '--raw', '/readyz'], { env, stdio: 'ignore', timeout: 10_000 })
      .status === 0;
  return {
    name: 'local',
    env,
    valuesFile: join(REPO_ROOT, 'tools/deploy/local-cluster-values.yaml'),
    async ensureCluster() {
      if (answers()) {
        say('the local cluster is already running');
        return async () => undefined;
      }
      await run(join(scripts, 'up.sh'), []);
      if (process.env.KEEP_CLUSTER === '1') return async () => undefined;
      return () => run(join(scripts, 'down.sh'), []);
    },
    async loadImages(images) {
      await run(join(scripts, 'load-image.sh'), [...images]);
    },
    serviceUrl(namespace) {
      const nodeIp = capture(
        'kubectl',
        [
          'get',
          'nodes',
          '-o',
          'jsonpath={.items[0].status.addresses[?(@.type=="InternalIP")].address}',
        ],
        { env, quiet: true },
      ).trim();
      const nodePort = capture(
        'kubectl',
        ['-n', namespace, 'get', 'service', RELEASE, '-o', 'jsonpath={.spec.ports[0].nodePort}'],
        {
          env,
          quiet: true,
        },
      ).trim();
      // The node address is the gateway of the Pod bridge that up.sh creates on this machine.
      return assertLocalUrl(`http://${nodeIp}:${nodePort}`);
    },
    async openService(namespace) {
      return portForward(env, namespace);
    },
  };
}

/** `kubectl port-forward` to the Service on a free port of 127.0.0.1. */
async function portForward(
  env: NodeJS.ProcessEnv,
  namespace: string,
): Promise<{ url: string; close: () => void }> {
  const args = [
    '-n',
    namespace,
    'port-forward',
    '--address',
    '127.0.0.1',
    `service/${RELEASE}`,
    ':http',
  ];
  console.log(`$ kubectl ${args.join(' ')} &`);
  const child = spawn('kubectl', args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const port = await waitFor('kubectl port-forward', 30_000, () => {
    if (child.exitCode !== null)
      throw new Error(`kubectl port-forward exited (${child.exitCode}): ${output}`);
    return /Forwarding from 127\.0\.0\.1:(\d+)/.exec(output)?.[1];
  });
  return { url: `http://127.0.0.1:${port}`, close: () => child.kill() };
}

/**
 * CLUSTER_PROVIDER=kind|local, or else kind where Docker answers and kind can start (or already
 * has) the cluster, and the local cluster where it cannot. Decided on local facts alone: nothing
 * is pulled to find out.
 */
export function chooseProvider(requested = process.env.CLUSTER_PROVIDER): ClusterProvider {
  if (requested === 'kind') return kindProvider();
  if (requested === 'local') return localProvider();
  if (requested) throw new Error(`CLUSTER_PROVIDER must be kind or local, not '${requested}'`);
  const check = spawnSync(join(REPO_ROOT, 'tools/kind/create-cluster.sh'), ['--check'], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (check.status === 0) {
    say('provider: kind (Docker answers and kind can start the cluster)');
    return kindProvider();
  }
  const reason = `${check.stderr}`.trim().split('\n').pop() ?? '';
  say(
    `provider: local (kind cannot start a cluster here: ${reason.replace(/^\[[^\]]+\] (ERROR: )?/, '')})`,
  );
  return localProvider();
}
