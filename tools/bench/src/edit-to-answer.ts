/**
 * The development loop of `make dev`: from saving a route's source to its new answer through
 * NGINX. `make dev` runs in a scratch copy of the checkout (the edits must not touch this one), as
 * a developer runs it; each edit gives the route a new message, and the time runs until GET
 * /public/hello through NGINX answers with it. Polled every 50 ms, within NGINX's limit on
 * /public/ (20r/s), so the figures are up to 50 ms late.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ScratchCopy } from '@sidecar/pod';
import { freePort, request } from '@sidecar/testkit';

const ROUTE = join('apps', 'api', 'src', 'routes', 'public.ts');
const MESSAGE = "'Hello from the public API!'";

export async function measureEditToAnswer(options: {
  edits: number;
  log: (line: string) => void;
}): Promise<number[]> {
  const copy = new ScratchCopy();
  const ports = { API_PORT: String(await freePort()), NGINX_PORT: String(await freePort()) };
  const run = copy.make('dev', ports);
  try {
    await run.until('make dev to be up', () => run.output.includes('is up: '), 240_000);
    const route = join(copy.dir, ROUTE);
    const source = readFileSync(route, 'utf8');
    if (!source.includes(MESSAGE)) throw new Error(`${ROUTE} no longer holds ${MESSAGE}`);
    const url = `http://127.0.0.1:${ports.NGINX_PORT}/public/hello`;
    const times: number[] = [];
    for (let edit = 1; edit <= options.edits; edit++) {
      const message = `Hello after edit ${edit}!`;
      const saved = performance.now();
      writeFileSync(route, source.replace(MESSAGE, `'${message}'`));
      await run.until(
        `the answer of edit ${edit}`,
        async () => (await request(url).catch(() => undefined))?.text.includes(message) ?? false,
        30_000,
      );
      times.push(performance.now() - saved);
      options.log(
        `make dev: edit ${edit}/${options.edits} answered in ${Math.round(times.at(-1)!)} ms`,
      );
      // The limit on /public/ refills before the next edit's polling.
      await sleep(2_000);
    }
    return times;
  } finally {
    run.interrupt();
    await run.exited;
    copy.remove();
  }
}
