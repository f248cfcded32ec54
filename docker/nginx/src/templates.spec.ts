import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { envsubst, renderTemplates, substitutedNames } from './templates';
import { nginxProjectPaths } from './workspace';

describe('substitutedNames', () => {
  it('keeps the set variables whose name matches NGINX_ENVSUBST_FILTER', () => {
    const env = {
      NGINX_PORT: '8080',
      API_PORT: '3000',
      API_TOKENS: 'secret',
      HOME: '/root',
      NGINX_UNSET: undefined,
      NGINX_ENVSUBST_FILTER: '^(NGINX_|API_PORT)',
    };
    expect([...substitutedNames(env)].sort()).toEqual([
      'API_PORT',
      'NGINX_ENVSUBST_FILTER',
      'NGINX_PORT',
    ]);
  });

  it('keeps every set variable when there is no filter', () => {
    expect([...substitutedNames({ A: '1', B: '2' })].sort()).toEqual(['A', 'B']);
  });
});

describe('envsubst', () => {
  const env = { NGINX_PORT: '8080', host: 'not-nginx' };

  it('replaces ${NAME} and $NAME of the listed variables only', () => {
    const text = 'listen ${NGINX_PORT}; x $NGINX_PORT; y ${API_PORT}; proxy_set_header Host $host;';
    expect(envsubst(text, new Set(['NGINX_PORT']), env)).toBe(
      'listen 8080; x 8080; y ${API_PORT}; proxy_set_header Host $host;',
    );
  });

  it('takes the longest name after $, as envsubst does', () => {
    expect(envsubst('$NGINX_PORTS ${NGINX_PORT}s', new Set(['NGINX_PORT']), env)).toBe(
      '$NGINX_PORTS 8080s',
    );
  });
});

describe('renderTemplates', () => {
  const paths = nginxProjectPaths();
  let outputDir: string;
  beforeEach(async () => {
    outputDir = await mkdtemp(join(tmpdir(), 'nginx-templates-'));
  });
  afterEach(() => rm(outputDir, { recursive: true, force: true }));

  const env = {
    NGINX_ENVSUBST_FILTER: '^(NGINX_|API_PORT)',
    NGINX_PORT: '8080',
    API_PORT: '3000',
    NGINX_LISTEN_ADDRESS: '127.0.0.1',
    NGINX_STATIC_ROOT: '/srv/html',
    NGINX_WORKER_PROCESSES: '1',
    NGINX_PUBLIC_RATE: '5r/s',
    NGINX_PUBLIC_BURST: '10',
    NGINX_CLIENT_MAX_BODY_SIZE: '1m',
    NGINX_PROXY_CONNECT_TIMEOUT: '2s',
    NGINX_PROXY_READ_TIMEOUT: '30s',
  };

  it('writes each template to the same relative path without .template', async () => {
    await renderTemplates({ templateDir: paths.templates, outputDir, env });
    const templates = (await readdir(paths.templates, { recursive: true }))
      .filter((name) => name.endsWith('.template'))
      .map((name) => name.slice(0, -'.template'.length))
      .sort();
    const rendered = (await readdir(outputDir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile())
      .map((entry) => relative(outputDir, join(entry.parentPath, entry.name)))
      .sort();
    expect(rendered).toEqual(templates);
    expect(rendered).toContain('nginx.conf');
  });

  it('produces byte for byte what GNU envsubst, the image entrypoint, produces', async () => {
    const written = await renderTemplates({ templateDir: paths.templates, outputDir, env });
    const shellFormat = [...substitutedNames(env)].map((name) => `\${${name}}`).join(' ');
    for (const output of written) {
      const template = join(paths.templates, `${relative(outputDir, output)}.template`);
      const gnu = spawnSync('envsubst', [shellFormat], {
        input: await readFile(template),
        env: { PATH: process.env.PATH, ...env },
      });
      if (gnu.error)
        throw new Error(
          `envsubst is missing (${gnu.error.message}): apt-get install -y gettext-base`,
        );
      expect(await readFile(output, 'utf8')).toBe(gnu.stdout.toString('utf8'));
    }
  });
});
