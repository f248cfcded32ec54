import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * The Node that ships is the Node that runs: the tests, the bench and `make up` start the API with
 * the Node that runs them (process.execPath), so that Node must be the image's. `make` puts the one
 * `make setup` installs first on PATH; `nvm use` reads .nvmrc.
 */
const { NODE_VERSION } = parseEnv(readFileSync(join(__dirname, '../versions.env'), 'utf8'));

describe('the Node that runs the tests', () => {
  it('is NODE_VERSION, the one the images ship', () => {
    if (process.versions.node !== NODE_VERSION) {
      throw new Error(
        `these tests run on Node ${process.versions.node}, the images ship ${NODE_VERSION}: ` +
          'run them through make, or put .cache/tools/bin first on PATH (make setup installs it there), or nvm use',
      );
    }
    expect(process.versions.node).toBe(NODE_VERSION);
  });
});
