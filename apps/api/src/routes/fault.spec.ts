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
    // Two 16 MiB chunks; other buffers of the process come and go by a few KiB meanwhile.
    const grown = () => process.memoryUsage().arrayBuffers - before;
    for (let i = 0; i < 100 && grown() < 31 * MIB; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(grown()).toBeGreaterThanOrEqual(31 * MIB);
    expect(grown()).toBeLessThan(40 * MIB);
    expect(logLines()).toContainEqual(
      expect.objectContaining({
        level: 40, // pino's warn
        msg: 'fault injection: allocating memory until killed',
        limitMiB: 32,
      }),
    );
  });

  it('refuses a limit that is not a positive number, and other methods', async () => {
    const { app } = buildTestApp(enabled);
    await request(app).post('/fault/exhaust-memory?limitMiB=-1').expect(400);
    await request(app).get('/fault/exhaust-memory').expect(405);
  });
});
