import { freePort, request, startSilentServer } from '@sidecar/testkit';
import { processesIn, ScratchCopy, type MakeRun } from './scratch-copy';

/**
 * Ctrl-C at any moment of `make up` and `make dev` leaves nothing behind: no container, no
 * process, no bound port. Each runs in a scratch copy of the checkout, in a process group of its
 * own that gets SIGINT as a terminal's Ctrl-C sends it, on ports of its own (API_PORT,
 * NGINX_PORT), so that a Pod a developer runs meanwhile is not in the way.
 */
describe('a stop at any moment', () => {
  const POD_CONTAINERS = ['sidecar-pod-api', 'sidecar-pod-nginx'];
  let copy: ScratchCopy;
  let ports: { API_PORT: string; NGINX_PORT: string };
  beforeAll(async () => {
    copy = new ScratchCopy();
    ports = { API_PORT: String(await freePort()), NGINX_PORT: String(await freePort()) };
  });
  afterAll(() => copy?.remove());

  const portNumbers = () => [Number(ports.API_PORT), Number(ports.NGINX_PORT)];

  /**
   * Ctrl-C, then once make has exited and the scripts it ran have finished their EXIT traps
   * (within seconds): nothing of the run is left.
   */
  async function interruptAndCheck(run: MakeRun): Promise<void> {
    run.interrupt();
    await run.exited;
    await run.groupEnded(15_000);
    expect(await copy.leftovers(portNumbers(), POD_CONTAINERS)).toEqual([]);
  }

  it('make up names a port in use at once, before it builds or starts anything', async () => {
    const taken = await startSilentServer(Number(ports.NGINX_PORT));
    try {
      const run = copy.make('up', ports);
      const code = await run.exited;
      expect(code).not.toBe(0);
      expect(run.output).toContain(
        `port ${ports.NGINX_PORT} (NGINX_PORT) on 127.0.0.1 is already in use`,
      );
      expect(run.output).toContain(`make up NGINX_PORT=${Number(ports.NGINX_PORT) + 1}`);
      expect(run.output).not.toContain('docker-build');
      expect(await copy.leftovers([Number(ports.API_PORT)], POD_CONTAINERS)).toEqual([]);
    } finally {
      await taken.stop();
    }
  }, 120_000);

  it('make up, stopped while it builds the images', async () => {
    const run = copy.make('up', ports);
    await run.until(
      'a docker build runs',
      () => processesIn(copy.dir).some((p) => p.includes(' docker build ')),
      240_000,
    );
    await interruptAndCheck(run);
  }, 300_000);

  it('make up, stopped while its containers start', async () => {
    const run = copy.make('up', ports);
    await run.until(
      'the first container starts',
      () => /\[pod\] starting \w+/.test(run.output),
      240_000,
    );
    await interruptAndCheck(run);
  }, 300_000);

  it('make up, stopped while it serves', async () => {
    const run = copy.make('up', ports);
    await run.until('the Pod is up', () => run.output.includes('is up: '), 240_000);
    const hello = await request(`http://127.0.0.1:${ports.NGINX_PORT}/public/hello`);
    expect(hello.status).toBe(200);
    await interruptAndCheck(run);
    const stopped = /\[pod\] stopped: (\{.*\})/.exec(run.output)?.[1];
    expect(JSON.parse(stopped ?? '{}')).toEqual({ api: 0, nginx: 0, 'nginx-exporter': 0 });
  }, 300_000);

  it('make dev, stopped while it starts (the API up, NGINX starting)', async () => {
    const run = copy.make('dev', ports);
    await run.until('the API started', () => run.output.includes('[pod] API started'), 240_000);
    await interruptAndCheck(run);
  }, 300_000);
});
