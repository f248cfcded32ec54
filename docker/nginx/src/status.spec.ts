import { freePort, request, startNginx, type NginxHandle } from '@sidecar/testkit';

/**
 * NGINX's stub_status, for the metrics exporter: on its own loopback port, counting the requests
 * of the sidecar's server; never on the port the Service exposes.
 */
let nginx: NginxHandle;
let statusUrl: string;

beforeAll(async () => {
  const statusPort = await freePort();
  statusUrl = `http://127.0.0.1:${statusPort}/stub_status`;
  nginx = await startNginx({ nginxPort: await freePort(), apiPort: await freePort(), statusPort });
});
afterAll(() => nginx?.stop());

/** "server accepts handled requests\n 3 3 7": the third number, requests since start. */
function requestsOf(text: string): number {
  const counts = /^\s*(\d+)\s+(\d+)\s+(\d+)\s*$/m.exec(text);
  if (!counts) throw new Error(`not a stub_status page:\n${text}`);
  return Number(counts[3]);
}

it("counts the sidecar server's requests on the status port", async () => {
  const before = (await request(statusUrl)).text;
  expect(before).toMatch(/^Active connections: \d+/);
  for (let i = 0; i < 5; i++) await request(`${nginx.url}/healthz`);
  const after = await request(statusUrl);
  expect(after.status).toBe(200);
  // The five, and this second status request itself.
  expect(requestsOf(after.text) - requestsOf(before)).toBe(6);
});

it('is not on the port the Service exposes', async () => {
  expect((await request(`${nginx.url}/stub_status`)).status).toBe(404);
});
