import { spawnSync } from 'node:child_process';
import { deploy, exporterImageValues, helmUpgrade } from './deploy';
import { dumpNamespace } from './diagnostics';
import { describeLoad, requirePinnedTool } from '@sidecar/testkit';
import type { KindCluster } from './cluster';
import { metricsScrapedInCluster } from './cluster-prometheus';
import { scaleOutAndIn } from './autoscaling';
import { describeFault, exhaustApiMemory, faultUnderLoad, sigkill } from './faults';
import { releasePods } from './release-pods';
import { rollingUpdateUnderLoad } from './rollout';
import { run, say } from './shell';
import { CHART_DIR, CRDS_DIR, HELM_TIMEOUT, NAMESPACE, RELEASE, REPO_ROOT } from './settings';
import { readRelease, releasedChart } from './chart-source';
import { unsignedTagIsRefused } from './signatures';

/**
 * The cluster integration tests, the same on every cluster: deploy, `helm test`, the shared e2e
 * suite through the Service, the Pods' metrics in a real Prometheus, two rolling updates under
 * load (a config change, then into the native-sidecar mode, which helm test and e2e check
 * again), a crash of each container and the API over its memory limit under load (faults.ts),
 * the HPA scaling out and in under load (autoscaling.ts), and `ct install` of the chart's ci
 * values.
 */
export async function integration(cluster: KindCluster): Promise<void> {
  const started = Date.now();
  const results: string[] = [];
  let failures = 0;
  // Every step runs even when an earlier one failed (one run shows every problem), except after a
  // failed deploy; a failed step dumps its namespace's Pods, events and logs.
  const step = async (
    name: string,
    namespace: string,
    body: () => Promise<string | void>,
  ): Promise<boolean> => {
    say(`--- ${name}`);
    const stepStarted = Date.now();
    const seconds = () => ((Date.now() - stepStarted) / 1000).toFixed(0);
    try {
      const detail = await body();
      results.push(`PASS ${name} (${seconds()}s)${detail ? `: ${detail}` : ''}`);
      return true;
    } catch (error) {
      failures += 1;
      results.push(`FAIL ${name} (${seconds()}s): ${(error as Error).message}`);
      dumpNamespace(cluster, namespace);
      return false;
    }
  };

  requirePinnedTool('helm');
  requirePinnedTool('ct');
  requirePinnedTool('cosign');
  await cluster.ensure();
  // The release make release published: what the steps install, as a user would.
  const release = readRelease();
  const chart = releasedChart(release);
  let token = '';
  await step(
    'the release verifies: signatures, SBOM attestations, chart provenance',
    NAMESPACE,
    () => run(`${REPO_ROOT}/tools/release/verify.sh`, [], { env: cluster.env }),
  );
  const deployed = await step(
    `deploy ${chart.name} to kind cluster ${cluster.name}`,
    NAMESPACE,
    async () => {
      token = (await deploy(cluster, chart)).token;
    },
  );
  if (deployed) {
    await step('helm test (standard mode)', NAMESPACE, () => helmTest(cluster, NAMESPACE));
    await step('e2e suite through the Service (standard mode)', NAMESPACE, () =>
      e2e(cluster, token),
    );
    await step('metrics: a Prometheus in the cluster scrapes every Pod', NAMESPACE, () =>
      metricsScrapedInCluster(cluster, NAMESPACE, token),
    );
    await step('rolling update under load: a Pod annotation changes', NAMESPACE, async () => {
      const figures = await rollingUpdateUnderLoad(
        cluster,
        NAMESPACE,
        token,
        'podAnnotations',
        () =>
          helmUpgrade(cluster, NAMESPACE, chart, [
            // An annotation value is a string; --set would make the timestamp a number.
            '--set-string',
            `podAnnotations.sidecar\\.dev/rollout=${Date.now()}`,
          ]),
      );
      return describeLoad(figures);
    });
    await step('rolling update under load: into the native-sidecar mode', NAMESPACE, async () => {
      const figures = await rollingUpdateUnderLoad(
        cluster,
        NAMESPACE,
        token,
        'nativeSidecar=true',
        () => helmUpgrade(cluster, NAMESPACE, chart, ['--set', 'nativeSidecar=true']),
      );
      return describeLoad(figures);
    });
    await step('NGINX runs as a native sidecar', NAMESPACE, async () =>
      assertNativeSidecar(cluster, NAMESPACE),
    );
    await step('helm test (native-sidecar mode)', NAMESPACE, () => helmTest(cluster, NAMESPACE));
    await step('e2e suite through the Service (native-sidecar mode)', NAMESPACE, () =>
      e2e(cluster, token),
    );
    for (const container of ['api', 'nginx'] as const) {
      await step(`SIGKILL ${container} in one Pod under load`, NAMESPACE, async () =>
        describeFault(await faultUnderLoad(cluster, NAMESPACE, token, sigkill(container))),
      );
    }
    await step('the API over its memory limit in one Pod under load', NAMESPACE, async () => {
      // The test-only switch, through the chart's extension point; the API refuses it while
      // NODE_ENV is production, as the image sets it.
      await helmUpgrade(cluster, NAMESPACE, chart, [
        '--set',
        'api.extraEnv[0].name=NODE_ENV,api.extraEnv[0].value=test',
        '--set',
        'api.extraEnv[1].name=FAULT_INJECTION_ENABLED',
        '--set-string',
        'api.extraEnv[1].value=true',
      ]);
      return describeFault(await faultUnderLoad(cluster, NAMESPACE, token, exhaustApiMemory));
    });
    await step('HPA scales out under load and back in, 0 failed requests', NAMESPACE, () =>
      scaleOutAndIn(cluster, NAMESPACE, token, chart),
    );
  }
  await step('ct install (every ci values file, upgrades from origin/main)', CT_NAMESPACE, () =>
    ctInstall(cluster),
  );
  await step('a re-pushed unsigned tag fails cosign verify', NAMESPACE, () =>
    unsignedTagIsRefused(release),
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  for (const line of results) say(line);
  if (failures > 0) {
    throw new Error(
      `cluster integration on ${cluster.name}: ${failures} of ${results.length} steps failed (${seconds}s)`,
    );
  }
  say(`cluster integration on ${cluster.name}: ${results.length} steps passed in ${seconds}s`);
}

/** A ct of the pinned version already on PATH (CI's chart-testing-action installs one): no need to build ours. */
async function helmTest(cluster: KindCluster, namespace: string): Promise<void> {
  await run(
    'helm',
    ['test', RELEASE, '--namespace', namespace, '--logs', '--timeout', HELM_TIMEOUT],
    { env: cluster.env },
  );
}

/** The shared suite (apps/e2e) against the Service; E2E_BASE_URL tells its global setup to start nothing. */
async function e2e(cluster: KindCluster, token: string): Promise<void> {
  await run('npx', ['jest', '-c', 'apps/e2e/jest.config.cjs'], {
    cwd: REPO_ROOT,
    env: { ...process.env, E2E_BASE_URL: cluster.serviceUrl, E2E_API_TOKEN: token },
  });
}

/** https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/: an initContainer with restartPolicy Always, started. */
function assertNativeSidecar(cluster: KindCluster, namespace: string): string {
  const pods = releasePods<{
    metadata: { name: string };
    spec: { initContainers?: { name: string; restartPolicy?: string }[] };
    status: { initContainerStatuses?: { name: string; started?: boolean; ready?: boolean }[] };
  }>(cluster, namespace);
  const summaries = pods.map((pod) => {
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
 * chart-testing installs the chart once per charts/sidecar/ci/*-values.yaml (and, with --upgrade,
 * upgrades to it from the target branch's chart and from itself), runs its helm test and
 * uninstalls it (https://github.com/helm/chart-testing/blob/main/doc/ct_install.md), so the API
 * server itself accepts the PodMonitor and ServiceMonitor of monitors-values.yaml and the
 * HTTPRoute of loadbalancer-hpa-ingress-values.yaml against their CRDs, installed first. In a namespace
 * of ours, so that the Secret existing-secret-values.yaml refers to is there first. The Service type
 * is forced to ClusterIP: a LoadBalancer never gets an address on kind, so
 * `--wait` would time out on loadbalancer-hpa-ingress-values.yaml.
 */
const CT_NAMESPACE = 'ct-sidecar';
async function ctInstall(cluster: KindCluster): Promise<void> {
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
      env: cluster.env,
      input: JSON.stringify(manifest),
    });
  }
  await installCrds(cluster, 'prometheus-operator-crds');
  await installCrds(cluster, 'gateway-api-crds');
  try {
    await run(
      'ct',
      [
        'install',
        ...upgradeArgs(),
        '--charts',
        CHART_DIR,
        '--namespace',
        CT_NAMESPACE,
        '--release-label',
        'app.kubernetes.io/instance',
        '--helm-extra-set-args',
        [
          '--set=service.type=ClusterIP',
          `--set=global.imageRegistry=${cluster.registry}`,
          ...exporterImageValues().map((v) => `--set=${v}`),
        ].join(' '),
        '--helm-extra-args',
        `--timeout ${HELM_TIMEOUT}`,
      ],
      { env: cluster.env, cwd: REPO_ROOT },
    );
  } finally {
    await run(
      'kubectl',
      ['delete', 'namespace', CT_NAMESPACE, '--ignore-not-found', '--timeout=120s'],
      { env: cluster.env },
    );
  }
}

/**
 * ct install --upgrade also installs the chart of the target branch (origin/main, as CI's clone
 * and a pull request's checkout have it) and upgrades it to this one, and upgrades this one in
 * place, for every ci values file: a change that breaks `helm upgrade` of a running release fails.
 * ct needs that branch to exist; a checkout without it (a copy not yet pushed) installs only.
 */
function upgradeArgs(): string[] {
  const target = spawnSync('git', ['rev-parse', '--verify', '--quiet', 'origin/main'], {
    cwd: REPO_ROOT,
  });
  if (target.status !== 0) {
    say('ct install without --upgrade: this checkout has no origin/main to upgrade from');
    return [];
  }
  return ['--upgrade', '--target-branch', 'main', '--remote', 'origin'];
}

/** A CRD set make setup keeps under .cache/tools/crds, applied server-side (the CRDs exceed the client-side annotation limit). */
async function installCrds(cluster: KindCluster, name: string): Promise<void> {
  await run(
    'kubectl',
    ['apply', '--server-side', '--force-conflicts', '-f', `${CRDS_DIR}/${name}/`],
    {
      env: cluster.env,
    },
  );
  await run(
    'kubectl',
    ['wait', '--for=condition=Established', '--timeout=60s', '-f', `${CRDS_DIR}/${name}/`],
    {
      env: cluster.env,
    },
  );
}
