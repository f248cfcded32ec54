import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { parse } from 'yaml';

/**
 * The one contract test for the literal copies of pinned values that a format needs for itself.
 * tools/versions.env and tools/ports.env are the homes; a Dockerfile's ARG default, the chart's
 * values, .nvmrc and package.json repeat some of them so that each works on its own (a plain
 * `docker build`, `helm install`, `nvm use`). Each copy must agree with its home.
 */
const REPO_ROOT = join(__dirname, '../..');
const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');
const versions = parseEnv(read('tools/versions.env'));
const ports = parseEnv(read('tools/ports.env'));
const pinned: Record<string, string | undefined> = { ...versions, ...ports };
const values = parse(read('charts/sidecar/values.yaml'));
const rootPackage = JSON.parse(read('package.json'));

const dockerfiles = spawnSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', '*Dockerfile'],
  {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  },
)
  .stdout.split('\n')
  .filter(Boolean);

/** `ARG NAME=default` lines of a Dockerfile whose NAME is pinned: [NAME, default]. */
function pinnedArgDefaults(dockerfile: string): [string, string][] {
  return [...read(dockerfile).matchAll(/^\s*ARG\s+([A-Za-z0-9_]+)=("?)([^"\s]*)\2\s*$/gm)]
    .map((match) => [match[1] as string, match[3] as string] as [string, string])
    .filter(([name]) => pinned[name] !== undefined);
}

describe('the copies of pinned values', () => {
  it('are found: both Dockerfiles default their base image and ports', () => {
    const names = dockerfiles.flatMap((file) => pinnedArgDefaults(file).map(([name]) => name));
    expect(names.sort()).toEqual([
      'API_PORT',
      'API_PORT',
      'NGINX_IMAGE',
      'NGINX_PORT',
      'NODE_IMAGE',
    ]);
  });

  it.each(dockerfiles)('%s: every pinned ARG default equals tools/*.env', (dockerfile) => {
    for (const [name, value] of pinnedArgDefaults(dockerfile)) {
      expect({ [name]: value }).toEqual({ [name]: pinned[name] });
    }
  });

  it('the chart repeats the ports of tools/ports.env', () => {
    expect(values.api.port).toBe(Number(ports.API_PORT));
    expect(values.nginx.port).toBe(Number(ports.NGINX_PORT));
  });

  it("the chart's metrics exporter is the image of tools/versions.env", () => {
    const { repository, tag } = values.metrics.nginxExporter.image;
    expect(`${repository}:${tag}`).toBe(versions.NGINX_EXPORTER_IMAGE);
  });

  it("the chart's stub_status port is NGINX's default", () => {
    expect(String(values.nginx.statusPort)).toBe(
      parseEnv(read('docker/nginx/defaults.env')).NGINX_STATUS_PORT,
    );
  });

  it('the chart ships the version of the root package.json as appVersion, the images’ tag', () => {
    expect(parse(read('charts/sidecar/Chart.yaml')).appVersion).toBe(rootPackage.version);
  });

  it('the chart names the images the build scripts build', () => {
    expect(read('tools/docker/build-api-image.sh')).toContain(
      `\${API_IMAGE_NAME:-${values.api.image.repository}}`,
    );
    expect(read('docker/nginx/scripts/build-image.sh')).toContain(
      `\${NGINX_IMAGE_NAME:-${values.nginx.image.repository}}`,
    );
  });

  it('.nvmrc, package.json engines and the API base image name the Node that ships', () => {
    expect(read('.nvmrc').trim()).toBe(versions.NODE_VERSION);
    expect(rootPackage.engines.node).toBe(`>=${versions.NODE_VERSION}`);
    expect(versions.NODE_IMAGE).toMatch(new RegExp(`^node:${versions.NODE_VERSION}-`));
  });
});
