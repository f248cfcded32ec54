import { rm } from 'node:fs/promises';
import { renderNginxConfig } from '@sidecar/testkit';
import { NGINX_VARIANTS, type RenderedConfig } from './nginx-variants';
import { readRenderedConfig } from './servers';

/** The shipped config as the image renders it, file by file. */
async function shippedConfig(): Promise<RenderedConfig> {
  const { prefix } = await renderNginxConfig({
    nginxPort: 8080,
    apiPort: 3000,
    // As the bench runs it: one worker for the one core it gives NGINX.
    env: { NGINX_WORKER_PROCESSES: '1' },
  });
  try {
    return await readRenderedConfig(prefix);
  } finally {
    await rm(prefix, { recursive: true, force: true });
  }
}

/** Lines of `after` not in `before`, and lines of `before` not in `after`, over all files. */
function changedLines(before: RenderedConfig, after: RenderedConfig) {
  const lines = (c: RenderedConfig) => Object.values(c).flatMap((text) => text.split('\n'));
  const [b, a] = [lines(before), lines(after)];
  return {
    removed: b.filter((line) => !a.includes(line)).map((l) => l.trim()),
    added: a.filter((line) => !b.includes(line)).map((l) => l.trim()),
  };
}

describe('the bench-only NGINX variants', () => {
  let shipped: RenderedConfig;
  beforeAll(async () => {
    shipped = await shippedConfig();
  });

  it.each([
    ['no-access-log', ['access_log /dev/stdout sidecar_json;'], ['access_log off;']],
    ['no-request-id-map', ['"~^[A-Za-z0-9._:-]{1,128}$" $http_x_request_id;'], []],
    ['no-limit-req', ['limit_req zone=public burst=40 nodelay;'], []],
    ['no-gzip', ['gzip on;'], ['gzip off;']],
    ['two-workers', ['worker_processes 1;'], ['worker_processes 2;']],
    ['no-upstream-keepalive', ['keepalive 16;', 'keepalive_timeout 60s;'], []],
  ])('%s changes exactly its feature', (name, removed, added) => {
    const variant = NGINX_VARIANTS.find((v) => v.name === name)!;
    expect(changedLines(shipped, variant.edit(shipped))).toEqual({ removed, added });
  });

  it('no-security-headers removes every add_header but the request id', () => {
    const variant = NGINX_VARIANTS.find((v) => v.name === 'no-security-headers')!;
    const { removed, added } = changedLines(shipped, variant.edit(shipped));
    expect(added).toEqual([]);
    expect(removed.length).toBe(4);
    expect(removed.every((line) => line.startsWith('add_header '))).toBe(true);
    expect(variant.edit(shipped)['conf.d/sidecar.conf']).toContain('add_header X-Request-ID');
  });

  it('minimal-proxy keeps the listen address and the upstream, and nothing else of the config', () => {
    const variant = NGINX_VARIANTS.find((v) => v.name === 'minimal-proxy')!;
    const main = variant.edit(shipped)['nginx.conf']!;
    expect(main).toContain('listen 127.0.0.1:8080;');
    expect(main).toContain('server 127.0.0.1:3000; keepalive 16;');
    expect(main).not.toMatch(/include|add_header|limit_req|gzip on/);
  });

  it('fails loudly when the config no longer has what a variant edits', () => {
    const withoutLog = { ...shipped, 'conf.d/logging.conf': '# nothing here\n' };
    const variant = NGINX_VARIANTS.find((v) => v.name === 'no-access-log')!;
    expect(() => variant.edit(withoutLog)).toThrow('update tools/bench/src/nginx-variants.ts');
  });
});
