import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, request } from '@sidecar/testkit';
import { ScratchCopy, type MakeRun } from './scratch-copy';

/**
 * `make dev` as a developer uses it, in a scratch copy: a saved route is answered through NGINX,
 * a saved page is served as saved, a saved NGINX template is reloaded (and a broken one refused
 * while the last good config keeps serving); one Ctrl-C then leaves no process and no port.
 * How fast a save is answered is measured by `make bench` (its dev loop part), not asserted here:
 * the waits below are generous bounds for a loaded machine.
 */
describe('make dev', () => {
  let copy: ScratchCopy;
  let run: MakeRun;
  let base: string;
  let ports: { API_PORT: string; NGINX_PORT: string };
  const edit = (path: string, change: (text: string) => string) => {
    const file = join(copy.dir, path);
    const before = readFileSync(file, 'utf8');
    const after = change(before);
    expect(after).not.toBe(before);
    writeFileSync(file, after);
  };
  const answers = (path: string, check: (text: string, status: number) => boolean) =>
    run.until(
      `${path} to answer as edited`,
      async () => {
        const res = await request(`${base}${path}`).catch(() => undefined);
        return res !== undefined && check(res.text, res.status);
      },
      30_000,
    );
  const logs = (text: string) =>
    run.until(`make dev to print "${text}"`, () => run.output.includes(text), 30_000);

  beforeAll(async () => {
    copy = new ScratchCopy();
    ports = { API_PORT: String(await freePort()), NGINX_PORT: String(await freePort()) };
    base = `http://127.0.0.1:${ports.NGINX_PORT}`;
    run = copy.make('dev', ports);
    await run.until('make dev is up', () => run.output.includes('is up: '), 240_000);
  }, 300_000);
  afterAll(async () => {
    if (run) {
      run.interrupt();
      await run.exited;
    }
    copy?.remove();
  });

  it('answers through NGINX, with the API behind it', async () => {
    const hello = await request(`${base}/public/hello`);
    expect(hello.status).toBe(200);
    expect(JSON.parse(hello.text)).toMatchObject({ message: 'Hello from the public API!' });
  });

  it('answers a saved route with its new answer, through NGINX', async () => {
    const started = performance.now();
    edit('apps/api/src/routes/public.ts', (text) =>
      text.replace("'Hello from the public API!'", "'Hello from the edited API!'"),
    );
    await answers('/public/hello', (text) => text.includes('Hello from the edited API!'));
    process.stdout.write(
      `make dev: a saved route answered in ${Math.round(performance.now() - started)} ms\n`,
    );
    await logs('[pod] API restarted');
  }, 60_000);

  it('keeps the last good API when a save does not build, and recovers on the next', async () => {
    const route = 'apps/api/src/routes/public.ts';
    const broken = '\nexport const broken = ;\n';
    edit(route, (text) => text.replace("'Hello from the edited API!'", "'Hello again!'") + broken);
    await logs('build failed');
    expect(JSON.parse((await request(`${base}/public/hello`)).text)).toMatchObject({
      message: 'Hello from the edited API!',
    });
    edit(route, (text) => text.replace(broken, ''));
    await answers('/public/hello', (text) => text.includes('Hello again!'));
  }, 60_000);

  it('serves a saved page as saved', async () => {
    edit('docker/nginx/html/index.html', (text) =>
      text.replace('</body>', '<p>saved in make dev</p></body>'),
    );
    await answers('/', (text) => text.includes('saved in make dev'));
  }, 60_000);

  it('reloads NGINX when a template is saved, and refuses a broken one', async () => {
    const template = 'docker/nginx/templates/conf.d/sidecar.conf.template';
    edit(template, (text) =>
      text.replace(
        '  location /api/ {',
        "  location = /reloaded {\n    return 200 'reloaded\\n';\n  }\n\n  location /api/ {",
      ),
    );
    await answers('/reloaded', (text, status) => status === 200 && text === 'reloaded\n');
    expect(run.output).toContain('nginx: config reloaded');

    edit(template, (text) => text.replace("return 200 'reloaded\\n';", 'return 200 too many;'));
    await logs('the new config is invalid');
    expect(run.output).toContain('invalid number of arguments in "return" directive');
    expect((await request(`${base}/reloaded`)).text).toBe('reloaded\n');
  }, 60_000);

  it('stops on one Ctrl-C and leaves no process and no port', async () => {
    run.interrupt();
    await run.exited;
    const bound = [Number(ports.API_PORT), Number(ports.NGINX_PORT)];
    expect(await copy.leftovers(bound, [])).toEqual([]);
  }, 60_000);
});
