import request from 'supertest';
import { buildTestApp } from '../testing/build-test-app';

const MIB = 1024 * 1024;
const enabled = { NODE_ENV: 'test', FAULT_INJECTION_ENABLED: 'true' };

describe('POST /fault/exhaust-memory', () => {
  it('does not exist unless FAULT_INJECTION_ENABLED is true', async () => {
    await request(buildTestApp().app).post('/fault/exhaust-memory').expect(404);
  });

  it('answers 202, logs a warning and holds the memory it allocates', async () => {
    const { app, logLines } = buildTestApp(enabled);
    const before = process.memoryUsage().arrayBuffers;
    const res = await request(app).post('/fault/exhaust-memory?limitMiB=32').expect(202);
    expect(res.body.allocating).toBe(
      '16 MiB every 10 ms until the process is killed or holds 32 MiB',
    );
    expect(logLines()).toContainEqual(
      expect.objectContaining({
        level: 40, // pino's warn
        msg: 'fault injection: allocating memory until killed',
        limitMiB: 32,
      }),
    );
    const reached = () =>
      logLines().find((line) => line.msg === 'fault injection: reached the limit');
    while (!reached()) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(reached()).toMatchObject({ heldMiB: 32 });
    // Held, not freed: other buffers of the process may come and go meanwhile, not 16 MiB.
    expect(process.memoryUsage().arrayBuffers - before).toBeGreaterThan(16 * MIB);
  }, 30_000);

  it('refuses a limit that is not a positive number, and other methods', async () => {
    const { app } = buildTestApp(enabled);
    await request(app).post('/fault/exhaust-memory?limitMiB=-1').expect(400);
    await request(app).get('/fault/exhaust-memory').expect(405);
  });
});
