import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { releaseValues } from './deploy';
import {
  CHART_DIR,
  EXPORTER_IMAGE,
  IMAGES,
  IMAGE_TAG,
  REGISTRY_HOST,
  REPO_ROOT,
  TOKEN_SECRET,
  TOOLS_BIN,
} from './settings';

/**
 * The chart as the cluster steps install it: tools/kind/values.yaml plus the values deploy sets
 * (the local registry, the built tag, the token Secret), rendered by the pinned Helm without a
 * cluster.
 */
const HELM = join(TOOLS_BIN, 'helm');
const KIND_VALUES = join(REPO_ROOT, 'tools/kind/values.yaml');

interface Manifest {
  kind: string;
  metadata: { name: string };
  spec: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function helm(args: string[]): string {
  const result = spawnSync(HELM, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`helm ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

function releaseArgs(valuesFile: string, extra: string[] = []): string[] {
  return [
    'sidecar',
    CHART_DIR,
    '--namespace',
    'sidecar',
    '--values',
    valuesFile,
    ...[...releaseValues(REGISTRY_HOST), ...extra].flatMap((v) => ['--set', v]),
  ];
}

function render(valuesFile: string, extra: string[] = []): Manifest[] {
  return parseAllDocuments(helm(['template', ...releaseArgs(valuesFile, extra)]))
    .map((document) => document.toJSON() as Manifest | null)
    .filter((manifest): manifest is Manifest => manifest !== null);
}

const find = (manifests: Manifest[], kind: string) => {
  const found = manifests.find((manifest) => manifest.kind === kind);
  if (!found) throw new Error(`no ${kind} rendered`);
  return found;
};

describe('the chart with the kind values', () => {
  const valuesFile = KIND_VALUES;
  const manifests = render(valuesFile);
  const pod = find(manifests, 'Deployment').spec.template.spec;
  const containers: { name: string; image: string; imagePullPolicy: string }[] = [
    ...pod.containers,
    ...(pod.initContainers ?? []),
  ];

  it('pulls the built images and the exporter image from the local registry deploy pushes them to', () => {
    const image = (name: string) => containers.find((container) => container.name === name);
    expect(containers.map((container) => container.name).sort()).toEqual([
      'api',
      'nginx',
      'nginx-exporter',
    ]);
    expect(image('api')).toMatchObject({
      image: `${REGISTRY_HOST}/sidecar-api:${IMAGE_TAG}`,
      imagePullPolicy: 'IfNotPresent',
    });
    expect(image('nginx')).toMatchObject({
      image: `${REGISTRY_HOST}/sidecar-nginx:${IMAGE_TAG}`,
      imagePullPolicy: 'IfNotPresent',
    });
    expect(image('nginx-exporter')?.image).toBe(`${REGISTRY_HOST}/${EXPORTER_IMAGE}`);
    expect(IMAGES).toContain(EXPORTER_IMAGE);
  });

  it('reads the API tokens from the Secret deploy creates, and renders no Secret of its own', () => {
    expect(manifests.filter((manifest) => manifest.kind === 'Secret')).toEqual([]);
    expect(JSON.stringify(pod.volumes)).toContain(`"secretName":"${TOKEN_SECRET}"`);
  });

  it('exposes NGINX on a NodePort', () => {
    const service = find(manifests, 'Service');
    expect(service.spec.type).toBe('NodePort');
    expect(service.spec.ports[0].nodePort).toBe(30080);
  });

  it('installs with `helm install --dry-run=client`, in both sidecar modes', () => {
    expect(helm(['install', ...releaseArgs(valuesFile), '--dry-run=client'])).toMatch(
      /STATUS: pending-install/,
    );
    expect(
      helm(['install', ...releaseArgs(valuesFile, ['nativeSidecar=true']), '--dry-run=client']),
    ).toMatch(/STATUS: pending-install/);
  });
});

describe('the native-sidecar mode the integration test rolls into', () => {
  it('runs NGINX as an initContainer with restartPolicy Always', () => {
    const pod = find(render(KIND_VALUES, ['nativeSidecar=true']), 'Deployment').spec.template.spec;
    expect(pod.initContainers).toEqual([
      expect.objectContaining({
        image: `${REGISTRY_HOST}/sidecar-nginx:${IMAGE_TAG}`,
        restartPolicy: 'Always',
      }),
    ]);
    expect(pod.containers.map((container: { image: string }) => container.image)).toEqual([
      `${REGISTRY_HOST}/sidecar-api:${IMAGE_TAG}`,
      `${REGISTRY_HOST}/${EXPORTER_IMAGE}`,
    ]);
  });
});
