import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { startNginx } from './start-nginx';
import { freePort, request } from './http';

describe('startNginx', () => {
  it('serves until stop(), which ends nginx and removes its directory', async () => {
    const nginx = await startNginx({ nginxPort: await freePort(), apiPort: await freePort() });
    expect((await request(`${nginx.url}/healthz`)).status).toBe(200);
    await nginx.stop();
    expect(existsSync(nginx.prefix)).toBe(false);
    await expect(request(`${nginx.url}/healthz`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('fails with the error log when the port is taken, instead of trusting whoever answers', async () => {
    const port = await freePort();
    // Answers 200 to everything, /healthz included.
    const squatter = createServer((_req, res) => res.end('{"status":"ok"}'));
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', resolve));
    try {
      await expect(startNginx({ nginxPort: port, apiPort: await freePort() })).rejects.toThrow(
        /Address already in use/,
      );
    } finally {
      squatter.close();
    }
  });

  it('fails at once, saying how to install nginx, when it is missing', async () => {
    await expect(
      startNginx({
        nginxPort: await freePort(),
        apiPort: await freePort(),
        nginxBinary: '/no-such-dir/nginx',
      }),
    ).rejects.toThrow(
      '/no-such-dir/nginx is missing: run `make setup` (it installs it on Debian) or install nginx',
    );
  });
});
