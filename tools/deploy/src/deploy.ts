import { randomBytes } from 'node:crypto';
import { LOCAL_CHART, type ChartSource } from './chart-source';
import type { KindCluster } from './cluster';
import { imageValues } from '@sidecar/testkit';
import { capture, run, say } from './shell';
import {
  EXPORTER_IMAGE,
  HELM_TIMEOUT,
  IMAGE_TAG,
  NAMESPACE,
  RELEASE,
  TOKEN_SECRET,
  TOKEN_SECRET_KEY,
} from './settings';

/**
 * The deploy: the images into the local registry the cluster pulls from, a namespace that enforces the
 * "restricted" Pod Security Standard, the API token Secret, and `helm upgrade --install --wait`.
 * Idempotent: a second run keeps the token and upgrades the release in place.
 */
export interface Deployment {
  namespace: string;
  /** A bearer token the API accepts (from the Secret). */
  token: string;
}

export async function deploy(
  cluster: KindCluster,
  chart: ChartSource = LOCAL_CHART,
  namespace = NAMESPACE,
): Promise<Deployment> {
  await cluster.pushImages(chart.imagesToPush);
  await applyNamespace(cluster, namespace);
  const token = await ensureTokenSecret(cluster, namespace);
  await helmUpgrade(cluster, namespace, chart);
  return { namespace, token };
}

/** https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces */
async function applyNamespace(cluster: KindCluster, namespace: string): Promise<void> {
  const manifest = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: namespace,
      labels: {
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/warn': 'restricted',
      },
    },
  };
  await run('kubectl', ['apply', '-f', '-'], {
    env: cluster.env,
    input: JSON.stringify(manifest),
  });
}

/** The token Secret the chart mounts (auth.existingSecret): kept when it exists, else created with a random token. */
async function ensureTokenSecret(cluster: KindCluster, namespace: string): Promise<string> {
  const existing = capture(
    'kubectl',
    [
      '-n',
      namespace,
      'get',
      'secret',
      TOKEN_SECRET,
      '--ignore-not-found',
      '-o',
      `jsonpath={.data.${TOKEN_SECRET_KEY}}`,
    ],
    { env: cluster.env },
  ).trim();
  if (existing) {
    say(`keeping the API token in Secret ${namespace}/${TOKEN_SECRET}`);
    return firstToken(Buffer.from(existing, 'base64').toString('utf8'));
  }
  const token = randomBytes(24).toString('hex');
  const manifest = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: TOKEN_SECRET, namespace },
    type: 'Opaque',
    stringData: { [TOKEN_SECRET_KEY]: `${token}\n` },
  };
  say(`creating Secret ${namespace}/${TOKEN_SECRET} with a generated API token`);
  await run('kubectl', ['apply', '-f', '-'], {
    env: cluster.env,
    input: JSON.stringify(manifest),
    quiet: true,
  });
  return token;
}

function firstToken(file: string): string {
  const token = file.split(/\r?\n/).find((line) => line.trim().length > 0);
  if (!token)
    throw new Error(`Secret ${TOKEN_SECRET} holds no token under key ${TOKEN_SECRET_KEY}`);
  return token.trim();
}

/** The values every deploy sets: the registry, the built tag, the exporter image pushed, the token Secret. */
export function releaseValues(registry: string): string[] {
  return [
    `global.imageRegistry=${registry}`,
    `api.image.tag=${IMAGE_TAG}`,
    `nginx.image.tag=${IMAGE_TAG}`,
    ...exporterImageValues(),
    `auth.existingSecret=${TOKEN_SECRET}`,
    `auth.existingSecretKey=${TOKEN_SECRET_KEY}`,
  ];
}

/** The exporter image the deploy pushes (under global.imageRegistry), as `--set` values. */
export function exporterImageValues(): string[] {
  return Object.entries(imageValues(EXPORTER_IMAGE, 'metrics.nginxExporter.image')).map(
    ([key, value]) => `${key}=${value}`,
  );
}

/**
 * `extraArgs` are further Helm flags, such as `--set key=value` or `--set-string key=value`.
 * Helm 4's `--wait` waits for every resource to be ready (kstatus) and `--rollback-on-failure`
 * (Helm 3's `--atomic`) rolls a failed upgrade back (https://helm.sh/docs/helm/helm_upgrade/).
 */
export async function helmUpgrade(
  cluster: KindCluster,
  namespace: string,
  chart: ChartSource,
  extraArgs: string[] = [],
): Promise<void> {
  const sets = releaseValues(cluster.registry).flatMap((value) => ['--set', value]);
  await run(
    'helm',
    [
      'upgrade',
      '--install',
      RELEASE,
      ...chart.helmArgs,
      '--namespace',
      namespace,
      '--values',
      cluster.valuesFile,
      ...sets,
      ...extraArgs,
      '--wait',
      '--rollback-on-failure',
      '--timeout',
      HELM_TIMEOUT,
    ],
    { env: cluster.env },
  );
}

export async function undeploy(cluster: KindCluster, namespace = NAMESPACE): Promise<void> {
  await run(
    'helm',
    [
      'uninstall',
      RELEASE,
      '--namespace',
      namespace,
      '--ignore-not-found',
      '--wait',
      '--timeout',
      HELM_TIMEOUT,
    ],
    {
      env: cluster.env,
    },
  );
  await run('kubectl', ['delete', 'namespace', namespace, '--ignore-not-found', '--timeout=120s'], {
    env: cluster.env,
  });
}
