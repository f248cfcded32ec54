import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { renderNginxConfig, requireTool, workspacePaths } from '@sidecar/testkit';

// The config as the image renders it, with the image's defaults and tools/ports.env's ports.
describe('the rendered NGINX config', () => {
  let rendered: { prefix: string; args: string[] };
  beforeAll(async () => {
    rendered = await renderNginxConfig({ nginxPort: 8080, apiPort: 3000 });
  });
  afterAll(() => rm(rendered.prefix, { recursive: true, force: true }));

  it('passes `nginx -t` with the real binary', () => {
    // stdout to /dev/null: access_log /dev/stdout cannot open the socket a pipe from Node would be.
    const nginx = requireTool(process.env.NGINX_BINARY ?? 'nginx', 'nginx');
    const result = spawnSync(nginx, ['-t', ...rendered.args], {
      encoding: 'utf8',
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    expect(result.stderr).toContain('test is successful');
    expect(result.status).toBe(0);
  });

  it('has no gixy-ng findings', () => {
    // The pinned gixy-ng, which `make setup` installs into .cache/tools (tools/toolchain).
    const gixy = join(workspacePaths().root, '.cache', 'tools', 'bin', 'gixy');
    if (!existsSync(gixy))
      throw new Error(
        `${gixy} is missing: run \`make setup\` (or tools/toolchain/install.sh gixy)`,
      );
    const result = spawnSync(gixy, [join(rendered.prefix, 'nginx.conf')], { encoding: 'utf8' });
    const report = `${result.stdout}${result.stderr}`;
    expect(report).toMatch(/Total issues:\s+Unspecified: 0\s+Low: 0\s+Medium: 0\s+High: 0/);
    expect(result.status).toBe(0);
  });
});
