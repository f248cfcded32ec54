import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  NGINX_ENVSUBST_FILTER,
  readNginxDefaults,
  requireTool,
  workspacePaths,
} from '@sidecar/testkit';

// Plain text checks of the few lines the rest of the project relies on; the Dockerfile's ARG
// defaults are checked against tools/versions.env and tools/ports.env by
// tools/setup/pinned-copies.spec.ts.
const paths = workspacePaths();
const dockerfile = readFileSync(paths.nginxDockerfile, 'utf8');
/** The value an `ENV` line (or continuation line) of the Dockerfile gives `name`. */
const envValue = (name: string): string | undefined =>
  new RegExp(`^(?:ENV\\s+|\\s+)${name}=(\\S+)`, 'm').exec(dockerfile)?.[1];

/** Every variable a template refers to, as GNU envsubst lists them (`envsubst --variables`). */
async function templateVariables(): Promise<string[]> {
  const envsubst = requireTool('envsubst', 'gettext-base');
  const files = (await readdir(paths.nginxTemplates, { recursive: true })).filter((name) =>
    name.endsWith('.template'),
  );
  const names = await Promise.all(
    files.map(async (name) => {
      const text = await readFile(join(paths.nginxTemplates, name), 'utf8');
      return execFileSync(envsubst, ['--variables', text], { encoding: 'utf8' }).split('\n');
    }),
  );
  return [...new Set(names.flat().filter(Boolean))];
}

describe('the Dockerfile', () => {
  it('builds FROM the NGINX_IMAGE build argument', () => {
    expect(dockerfile).toMatch(/^ARG NGINX_IMAGE=\S+\nFROM \$\{NGINX_IMAGE\}$/m);
  });

  it('hands the ports from the build to the entrypoint, with the filter the test kit uses', () => {
    expect(envValue('NGINX_PORT')).toBe('${NGINX_PORT}');
    expect(envValue('API_PORT')).toBe('${API_PORT}');
    expect(envValue('NGINX_ENVSUBST_FILTER')).toBe(NGINX_ENVSUBST_FILTER);
  });

  it('loads defaults.env through an entrypoint script', () => {
    expect(dockerfile).toMatch(/^COPY defaults\.env \/etc\/nginx\/defaults\.env$/m);
    expect(dockerfile).toMatch(/^COPY docker-entrypoint\.d\/ \/docker-entrypoint\.d\/$/m);
  });

  it('runs as uid 10101, stops gracefully and starts nginx with the writable directory as prefix', () => {
    expect(dockerfile).toMatch(/^USER 10101:10101$/m);
    expect(dockerfile).toMatch(/^STOPSIGNAL SIGQUIT$/m);
    const cmd = /^CMD (.*)$/m.exec(dockerfile)?.[1];
    expect(JSON.parse(cmd ?? 'null')).toEqual([
      'nginx',
      '-p',
      `${envValue('NGINX_ENVSUBST_OUTPUT_DIR')}/`,
      '-c',
      'nginx.conf',
      '-g',
      'daemon off;',
    ]);
  });
});

describe('defaults.env', () => {
  it('with the ports, gives a default to every variable the templates use, and to no other', async () => {
    const filter = new RegExp(NGINX_ENVSUBST_FILTER);
    const used = (await templateVariables()).filter((name) => filter.test(name));
    const defaults = [...Object.keys(readNginxDefaults()), 'NGINX_PORT', 'API_PORT'];
    expect(defaults.sort()).toEqual(used.sort());
  });

  it('holds plain NAME=value lines, which the entrypoint script reads with `read`', () => {
    const lines = readFileSync(paths.nginxDefaults, 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'));
    for (const line of lines) expect(line).toMatch(/^[A-Z][A-Z0-9_]*=[^\s'"#=]+$/);
    expect(lines).toHaveLength(Object.keys(readNginxDefaults()).length);
  });
});
