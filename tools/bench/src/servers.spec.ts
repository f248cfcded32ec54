import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { renderNginxConfig } from '@sidecar/testkit';
import { withoutUpstreamKeepalive } from './servers';

describe('withoutUpstreamKeepalive', () => {
  let shipped: string;

  beforeAll(async () => {
    // The config exactly as the image renders it.
    const { prefix } = await renderNginxConfig({ nginxPort: 8080, apiPort: 3000 });
    shipped = await readFile(join(prefix, 'conf.d', 'sidecar.conf'), 'utf8');
    await rm(prefix, { recursive: true, force: true });
  });

  it('starts from a shipped config that keeps upstream connections alive', () => {
    expect(shipped).toMatch(/upstream api \{[^}]*\bkeepalive \d+;/);
  });

  it('removes the keepalive directives from the upstream block only', () => {
    const variant = withoutUpstreamKeepalive(shipped);
    const upstream = /upstream api \{[^}]*\}/.exec(variant)?.[0] ?? '';
    expect(upstream).toContain('server 127.0.0.1:3000;');
    expect(upstream).not.toMatch(/\bkeepalive(_timeout)?\s/);
    // Everything outside the upstream block is untouched.
    expect(variant.replace(upstream, '')).toBe(
      shipped.replace(/upstream api \{[^}]*\}/.exec(shipped)?.[0] ?? '', ''),
    );
  });

  it('fails loudly when the config no longer has the shape it edits', () => {
    expect(() => withoutUpstreamKeepalive('server { listen 8080; }')).toThrow('no upstream block');
    expect(() => withoutUpstreamKeepalive('upstream api { server 127.0.0.1:3000; }')).toThrow(
      'changed shape',
    );
  });
});
