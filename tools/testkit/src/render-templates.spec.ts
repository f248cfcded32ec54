import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderTemplates } from './render-templates';

describe('renderTemplates', () => {
  let dir: string;
  let templateDir: string;
  let outputDir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'testkit-templates-'));
    templateDir = join(dir, 'templates');
    outputDir = join(dir, 'out');
    await mkdir(join(templateDir, 'conf.d'), { recursive: true });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const env = {
    NGINX_ENVSUBST_FILTER: '^(NGINX_|API_PORT)',
    NGINX_PORT: '8080',
    API_PORT: '3000',
    API_TOKENS: 'secret',
  };

  it('writes each template to the same relative path without .template, and nothing else', async () => {
    await writeFile(join(templateDir, 'nginx.conf.template'), 'main\n');
    await writeFile(join(templateDir, 'conf.d', 'site.conf.template'), 'site\n');
    await writeFile(join(templateDir, 'README.md'), 'not a template\n');
    await renderTemplates({ templateDir, env: { ...env, NGINX_ENVSUBST_OUTPUT_DIR: outputDir } });
    expect((await readdir(outputDir, { recursive: true })).sort()).toEqual([
      'conf.d',
      join('conf.d', 'site.conf'),
      'nginx.conf',
    ]);
    expect(await readFile(join(outputDir, 'conf.d', 'site.conf'), 'utf8')).toBe('site\n');
  });

  it("substitutes only the set variables that match the filter, leaving NGINX's own alone", async () => {
    await writeFile(
      join(templateDir, 'site.conf.template'),
      'listen ${NGINX_PORT} $NGINX_PORT; pass ${API_PORT}; ${API_TOKENS} ${NGINX_UNSET} $host;\n',
    );
    await renderTemplates({ templateDir, env: { ...env, NGINX_ENVSUBST_OUTPUT_DIR: outputDir } });
    expect(await readFile(join(outputDir, 'site.conf'), 'utf8')).toBe(
      'listen 8080 8080; pass 3000; ${API_TOKENS} ${NGINX_UNSET} $host;\n',
    );
  });

  it('fails at once, saying how to install envsubst, when it is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = join(dir, 'no-such-bin');
    try {
      await expect(
        renderTemplates({ templateDir, env: { ...env, NGINX_ENVSUBST_OUTPUT_DIR: outputDir } }),
      ).rejects.toThrow(
        'envsubst is missing: run `make setup` (it installs it on Debian) or install gettext-base',
      );
    } finally {
      process.env.PATH = path;
    }
  });
});
