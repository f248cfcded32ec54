import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { probeOnce, probeUntilSuccess } from './kubelet-probe';

/** A real server whose answer per path the test chooses; '/hang' never answers. */
async function serve(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.url === '/hang') return;
    const status = Number(req.url?.slice(1)) || 200;
    res.writeHead(status).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

describe('kubelet-style probes', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => ({ server, port } = await serve()));
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it.each([
    [200, true],
    [302, true],
    [399, true],
    [404, false],
    [503, false],
  ])('treats status %i as ok=%s, as the kubelet does', async (status, ok) => {
    const result = await probeOnce({ httpGet: { path: `/${status}`, port } }, [], '127.0.0.1');
    expect(result).toEqual({ ok, detail: `GET :${port}/${status} -> ${status}` });
  });

  it('resolves a named port from the container ports', async () => {
    const result = await probeOnce(
      { httpGet: { path: '/200', port: 'http' } },
      [{ name: 'http', containerPort: port }],
      '127.0.0.1',
    );
    expect(result.ok).toBe(true);
  });

  it('fails on an unknown port name', async () => {
    await expect(
      probeOnce({ httpGet: { path: '/', port: 'nope' } }, [], '127.0.0.1'),
    ).resolves.toEqual({
      ok: false,
      detail: 'no container port named nope',
    });
  });

  it('fails after timeoutSeconds when nothing answers', async () => {
    const result = await probeOnce(
      { httpGet: { path: '/hang', port }, timeoutSeconds: 0.2 },
      [],
      '127.0.0.1',
    );
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/no answer within 200 ms/);
  });

  it('gives up after failureThreshold failures in a row', async () => {
    const result = await probeUntilSuccess(
      { httpGet: { path: '/500', port }, periodSeconds: 0.01, failureThreshold: 3 },
      [],
      '127.0.0.1',
    );
    expect(result).toEqual({
      ok: false,
      detail: `failed 3 times in a row; last: GET :${port}/500 -> 500`,
    });
  });
});
