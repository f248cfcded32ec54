import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseEnv } from 'node:util';

/** The repository root: the nearest directory above `from` that holds nx.json. */
export function findWorkspaceRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no nx.json above ${from}: run from the repository`);
  }
}

/** The files the suites read or run, by their home in the repository. */
export function workspacePaths(root = findWorkspaceRoot()) {
  const nginx = join(root, 'docker', 'nginx');
  return {
    root,
    /** The API's build (`nx build api`), which the image runs too. */
    apiMain: join(root, 'dist', 'apps', 'api', 'main.js'),
    portsEnv: join(root, 'tools', 'ports.env'),
    versionsEnv: join(root, 'tools', 'versions.env'),
    /** The pinned tools that `make setup` installs (tools/toolchain/install.sh). */
    toolsBin: join(root, '.cache', 'tools', 'bin'),
    nginxDockerfile: join(nginx, 'Dockerfile'),
    /** The image's defaults for the template variables other than the ports. */
    nginxDefaults: join(nginx, 'defaults.env'),
    nginxTemplates: join(nginx, 'templates'),
    nginxHtml: join(nginx, 'html'),
  };
}

/** A KEY=value file such as tools/ports.env, parsed as dotenv (Node's util.parseEnv). */
export function readEnvFile(path: string): Record<string, string> {
  return parseEnv(readFileSync(path, 'utf8')) as Record<string, string>;
}

/** The image's template-variable defaults (docker/nginx/defaults.env), ports aside. */
export function readNginxDefaults(): Record<string, string> {
  return readEnvFile(workspacePaths().nginxDefaults);
}

/** API_PORT and NGINX_PORT from tools/ports.env, the one home of the Pod's ports. */
export function readPorts(path = workspacePaths().portsEnv): {
  apiPort: number;
  nginxPort: number;
} {
  const env = readEnvFile(path);
  const port = (name: string): number => {
    const value = Number(env[name]);
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      throw new Error(`${path}: ${name} must be a port number, got ${JSON.stringify(env[name])}`);
    }
    return value;
  };
  return { apiPort: port('API_PORT'), nginxPort: port('NGINX_PORT') };
}

/**
 * An image of tools/versions.env by its key (PROMETHEUS_IMAGE, NGINX_EXPORTER_IMAGE, ...) as this
 * machine has it: the official name, or the offline stand-in that tools/workarounds built and
 * recorded in .cache/workarounds/env. The record counts only while that folder exists, as in
 * tools/lib.sh.
 */
export function pinnedImage(key: string, root = findWorkspaceRoot()): string {
  const official = readEnvFile(join(root, 'tools', 'versions.env'))[key];
  if (!official) throw new Error(`tools/versions.env has no ${key}`);
  const record = join(root, '.cache', 'workarounds', 'env');
  if (!existsSync(join(root, 'tools', 'workarounds')) || !existsSync(record)) return official;
  return readEnvFile(record)[key] ?? official;
}

/** `repository:tag` as the chart's image values under `path` (e.g. metrics.nginxExporter.image). */
export function imageValues(image: string, path: string): Record<string, string> {
  const colon = image.lastIndexOf(':');
  if (colon <= image.lastIndexOf('/')) throw new Error(`${image} has no tag`);
  return { [`${path}.repository`]: image.slice(0, colon), [`${path}.tag`]: image.slice(colon + 1) };
}
