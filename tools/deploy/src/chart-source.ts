import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'dotenv';
import { CHART_DIR, EXPORTER_IMAGE, IMAGES, REPO_ROOT } from './settings';

/**
 * The chart a deploy installs, and the images it must first push to the cluster's registry:
 *   - this checkout's chart directory with the images just built (make deploy);
 *   - the release make release published (the cluster tests): the chart from its OCI registry,
 *     checked by Helm against its provenance file as a user installs it (`--verify`), with the
 *     released, signed images already in the registry; only the exporter is pushed.
 */
export interface ChartSource {
  /** For the log: what is installed. */
  readonly name: string;
  /** The chart reference and its flags, for `helm upgrade --install <release> ...`. */
  readonly helmArgs: readonly string[];
  readonly imagesToPush: readonly string[];
}

export const LOCAL_CHART: ChartSource = {
  name: 'charts/sidecar',
  helmArgs: [CHART_DIR],
  imagesToPush: IMAGES,
};

/** What make release wrote (tools/release/release.sh): references and digests. */
export interface ReleaseRecord {
  VERSION: string;
  CHART: string;
  CHART_DIGEST: string;
  API_REPOSITORY: string;
  API_DIGEST: string;
  NGINX_REPOSITORY: string;
  NGINX_DIGEST: string;
}

export const RELEASE_ENV = join(REPO_ROOT, 'dist/release/latest/release.env');
/** The local keys make release signs with (tools/release/keys.sh): what the tests verify against. */
export const RELEASE_KEYS = join(REPO_ROOT, '.cache/release/keys');

export function readRelease(file = RELEASE_ENV): ReleaseRecord {
  if (!existsSync(file)) throw new Error(`${file} is missing: run make release first`);
  const record = parse(readFileSync(file)) as unknown as ReleaseRecord;
  for (const key of ['VERSION', 'CHART', 'API_DIGEST', 'NGINX_DIGEST'] as const) {
    if (!record[key]) throw new Error(`${file} has no ${key}`);
  }
  return record;
}

export function releasedChart(record = readRelease()): ChartSource {
  return {
    name: `${record.CHART}:${record.VERSION}`,
    helmArgs: [
      record.CHART,
      '--version',
      record.VERSION,
      // The local registry speaks plain HTTP on loopback.
      '--plain-http',
      '--verify',
      '--keyring',
      join(RELEASE_KEYS, 'pubring.gpg'),
    ],
    imagesToPush: [EXPORTER_IMAGE],
  };
}
