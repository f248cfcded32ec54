import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { deploy, helmUpgrade } from './deploy';
import { dumpNamespace } from './diagnostics';
import { describeFigures } from './load';
import type { ClusterProvider } from './providers';
import { rollingUpdateUnderLoad } from './rollout';
import { capture, run, say } from './shell';
import { CHART_DIR, CT_VERSION, HELM_TIMEOUT, NAMESPACE, RELEASE, REPO_ROOT } from './settings';

/**
 * The cluster integration tests, the same on every provider: deploy, `helm test`, the shared e2e
 * suite through the Service, two rolling updates under load (a config change, then into the
 * native-sidecar mode, which helm test and e2e check again), and `ct install` of the chart's ci values.
 */
export async function integration(provider: ClusterProvider): Promise<void> {
  const started = Date.now();
  const results: string[] = [];
  const step = async (name: string, body: () => Promise<string | void>) => {
    say(`--- ${name}`);
    const stepStarted = Date.now();
    const detail = await body();
    results.push(
      `PASS ${name} (${((Date.now() - stepStarted) / 1000).toFixed(0)}s)${detail ? `: ${detail}` : ''}`,
    );
  };

  await run(join(REPO_ROOT, 'tools/toolchain/install.sh'), [
    'helm',
    ...(pinnedCtOnPath() ? [] : ['ct']),
  ]);
  const stopCluster = await provider.ensureCluster();
  let failedNamespace: string | undefined = NAMESPACE;
  try {
    let token = '';
    await step(`deploy to ${provider.name}`, async () => {
      token = (await deploy(provider)).token;
    });
    await step('helm test (standard mode)', () => helmTest(provider, NAMESPACE));
    await step('e2e suite through the Service (standard mode)', () => e2e(provider, token));
    await step('rolling update under load: a Pod annotation changes', async () => {
      const figures = await rollingUpdateUnderLoad(
        provider,
        NAMESPACE,
        token,
        'podAnnotations',
        () =>
          helmUpgrade(provider, NAMESPACE, [`podAnnotations.sidecar\\.dev/rollout=${Date.now()}`]),
      );
      return describeFigures(figures);
    });
    await step('rolling update under load: into the native-sidecar mode', async () => {
      const figures = await rollingUpdateUnderLoad(
        provider,
        NAMESPACE,
        token,
        'nativeSidecar=true',
        () => helmUpgrade(provider, NAMESPACE, ['nativeSidecar=true']),
      );
      return describeFigures(figures);
    });
    await step('NGINX runs as a native sidecar', async () =>
      assertNativeSidecar(provider, NAMESPACE),
    );
    await step('helm test (native-sidecar mode)', () => helmTest(provider, NAMESPACE));
    await step('e2e suite through the Service (native-sidecar mode)', () => e2e(provider, token));
    failedNamespace = CT_NAMESPACE;
    await step('ct install (every ci values file)', () => ctInstall(provider));
    failedNamespace = undefined;
  } catch (error) {
    if (failedNamespace) dumpNamespace(provider, failedNamespace);
    throw error;
  } finally {
    await stopCluster();
  }
  say(
    `cluster integration on ${provider.name}: ${results.length} steps passed in ${((Date.now() - started) / 1000).toFixed(0)}s`,
  );
  for (const line of results) say(line);
}

/** A ct of the pinned version already on PATH (CI's chart-testing-action installs one): no need to build ours. */
function pinnedCtOnPath(): boolean {
  const result = spawnSync('ct', ['version'], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes(CT_VERSION);
}

async function helmTest(provider: ClusterProvider, namespace: string): Promise<void> {
  await run(
    'helm',
    ['test', RELEASE, '--namespace', namespace, '--logs', '--timeout', HELM_TIMEOUT],
    { env: provider.env },
  );
}

/** The shared suite (apps/e2e) against the Service; E2E_BASE_URL tells its global setup to start nothing. */
async function e2e(provider: ClusterProvider, token: string): Promise<void> {
  const service = await provider.openService(NAMESPACE);
  try {
    await run('npx', ['jest', '-c', 'apps/e2e/jest.config.cjs'], {
      cwd: REPO_ROOT,
      env: { ...process.env, E2E_BASE_URL: service.url, E2E_API_TOKEN: token },
    });
  } finally {
    service.close();
  }
}

/** https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/: an initContainer with restartPolicy Always, started. */
function assertNativeSidecar(provider: ClusterProvider, namespace: string): string {
  const pods = JSON.parse(
    capture(
      'kubectl',
      [
        '-n',
        namespace,
        'get',
        'pods',
        '-l',
        `app.kubernetes.io/instance=${RELEASE},app.kubernetes.io/component!=helm-test`,
        '-o',
        'json',
      ],
      {
        env: provider.env,
        quiet: true,
      },
    ),
  ) as {
    items: {
      metadata: { name: string };
      spec: { initContainers?: { name: string; restartPolicy?: string }[] };
      status: { initContainerStatuses?: { name: string; started?: boolean; ready?: boolean }[] };
    }[];
  };
  const summaries = pods.items.map((pod) => {
    const sidecar = pod.spec.initContainers?.find(
      (container) => container.restartPolicy === 'Always',
    );
    const status = pod.status.initContainerStatuses?.find(
      (candidate) => candidate.name === sidecar?.name,
    );
    if (!sidecar || !status?.started || !status.ready) {
      throw new Error(
        `Pod ${pod.metadata.name} has no started, ready initContainer with restartPolicy Always`,
      );
    }
    return `${pod.metadata.name}: ${sidecar.name}`;
  });
  if (summaries.length === 0) throw new Error('no Pods of the release');
  return summaries.join(', ');
}

/**
 * chart-testing installs the chart once per charts/sidecar/ci/*-values.yaml, runs its helm test and
 * uninstalls it (https://github.com/helm/chart-testing/blob/main/doc/ct_install.md). In a namespace
 * of ours, so that the Secret existing-secret-values.yaml refers to is there first. The Service type
 * is forced to ClusterIP: a LoadBalancer never gets an address on kind or the local cluster, so
 * `--wait` would time out on loadbalancer-hpa-ingress-values.yaml.
 */
const CT_NAMESPACE = 'ct-sidecar';
async function ctInstall(provider: ClusterProvider): Promise<void> {
  const manifests = [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: CT_NAMESPACE,
        labels: { 'pod-security.kubernetes.io/enforce': 'restricted' },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'sidecar-api-tokens', namespace: CT_NAMESPACE },
      stringData: { 'api-tokens': 'ct-token-0123456789abcdef\n' },
    },
  ];
  for (const manifest of manifests) {
    await run('kubectl', ['apply', '-f', '-'], {
      env: provider.env,
      input: JSON.stringify(manifest),
    });
  }
  try {
    await run(
      'ct',
      [
        'install',
        '--charts',
        CHART_DIR,
        '--namespace',
        CT_NAMESPACE,
        '--release-label',
        'app.kubernetes.io/instance',
        '--helm-extra-set-args',
        '--set=service.type=ClusterIP',
        '--helm-extra-args',
        `--timeout ${HELM_TIMEOUT}`,
      ],
      { env: provider.env, cwd: REPO_ROOT },
    );
  } finally {
    await run(
      'kubectl',
      ['delete', 'namespace', CT_NAMESPACE, '--ignore-not-found', '--timeout=120s'],
      { env: provider.env },
    );
  }
}
