import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'dotenv';
import { pinnedImage } from '@sidecar/testkit';

/**
 * What the cluster steps share, each read from its one home: pinned versions and ports from
 * tools/*.env, the image tag from the root package.json, names and paths defined here.
 */
export const REPO_ROOT = resolve(__dirname, '../../..');

const versions = parse(readFileSync(join(REPO_ROOT, 'tools/versions.env')));
const ports = parse(readFileSync(join(REPO_ROOT, 'tools/ports.env')));

function required(file: Record<string, string>, key: string, where: string): string {
  const value = file[key];
  if (!value) throw new Error(`${key} is missing from ${where}`);
  return value;
}

export const KUBERNETES_VERSION = required(versions, 'KUBERNETES_VERSION', 'tools/versions.env');
export const CT_VERSION = required(versions, 'CT_VERSION', 'tools/versions.env');
export const NGINX_PORT = Number(required(ports, 'NGINX_PORT', 'tools/ports.env'));
/** The local registry (tools/registry) as this machine and the kind nodes name it. */
export const REGISTRY_HOST = `localhost:${required(ports, 'REGISTRY_PORT', 'tools/ports.env')}`;

/** The images' tag: the root package.json version, as the docker-build targets tag them. */
export const IMAGE_TAG: string = JSON.parse(
  readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'),
).version;
/**
 * The chart's metrics exporter as this machine has it (make setup pulled it, or tools/workarounds
 * made a stand-in): pushed to the local registry with the app images, which the nodes pull from.
 */
export const EXPORTER_IMAGE = pinnedImage('NGINX_EXPORTER_IMAGE', REPO_ROOT);
/** The cluster tests' Prometheus (tools/deploy/src/cluster-prometheus.ts), pushed like the exporter. */
export const PROMETHEUS_IMAGE = pinnedImage('PROMETHEUS_IMAGE', REPO_ROOT);
/** The cluster tests' metrics-server (tools/deploy/src/metrics-server.ts), pushed like the exporter. */
export const METRICS_SERVER_IMAGE = pinnedImage('METRICS_SERVER_IMAGE', REPO_ROOT);
/** Where that Prometheus runs; tools/kind/values.yaml admits scrapes from this namespace only. */
export const MONITORING_NAMESPACE = 'monitoring';
export const IMAGES = [`sidecar-api:${IMAGE_TAG}`, `sidecar-nginx:${IMAGE_TAG}`, EXPORTER_IMAGE];

export const CHART_DIR = join(REPO_ROOT, 'charts/sidecar');
/** One release in one namespace; the chart names its resources after the release (`sidecar`). */
export const RELEASE = process.env.RELEASE ?? 'sidecar';
export const NAMESPACE = process.env.NAMESPACE ?? 'sidecar';
/** The Secret with the API's bearer tokens, created by deploy (the chart reads it via auth.existingSecret). */
export const TOKEN_SECRET = `${RELEASE}-api-tokens`;
export const TOKEN_SECRET_KEY = 'tokens';

/** Helm's deadline for one install or upgrade, including the rollout it waits for. */
export const HELM_TIMEOUT = process.env.HELM_TIMEOUT ?? '5m';

/** The pinned tools (make setup installs them with tools/toolchain/install.sh) and the project's caches. */
export const TOOLS_BIN = join(REPO_ROOT, '.cache/tools/bin');
export const CACHE_DIR = join(REPO_ROOT, '.cache/deploy');
/** CustomResourceDefinitions make setup keeps (tools/toolchain/module-files.sh), installed before ct install. */
export const CRDS_DIR = join(REPO_ROOT, '.cache/tools/crds');
/** metrics-server's own chart, of the release METRICS_SERVER_VERSION pins (tools/toolchain/module-files.sh). */
export const METRICS_SERVER_CHART = join(
  REPO_ROOT,
  '.cache/tools/charts/metrics-server-chart/metrics-server',
);
