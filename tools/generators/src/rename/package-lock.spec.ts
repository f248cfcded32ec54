import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renamePackageLock } from './package-lock';

const lock = {
  name: 'sidecar',
  lockfileVersion: 3,
  packages: {
    '': { name: 'sidecar', workspaces: ['charts/*'] },
    'charts/sidecar': {
      name: '@sidecar/chart',
      dependencies: { '@sidecar/api': '*', express: '5.3.0' },
    },
    'node_modules/@sidecar/chart': { resolved: 'charts/sidecar', link: true },
    'node_modules/sidecar-tools': {
      version: '1.0.0',
      resolved: 'https://registry.npmjs.org/sidecar-tools/-/sidecar-tools-1.0.0.tgz',
    },
    'node_modules/zod': { version: '4.6.7' },
  },
};
const rename = (value: string) => value.replace(/\bsidecar\b/g, 'acme');

describe('renamePackageLock', () => {
  it('renames the workspace entries and leaves registry packages alone', () => {
    expect(renamePackageLock(lock, rename)).toEqual({
      name: 'acme',
      lockfileVersion: 3,
      packages: {
        '': { name: 'acme', workspaces: ['charts/*'] },
        'charts/acme': {
          name: '@acme/chart',
          dependencies: { '@acme/api': '*', express: '5.3.0' },
        },
        'node_modules/@acme/chart': { resolved: 'charts/acme', link: true },
        'node_modules/sidecar-tools': lock.packages['node_modules/sidecar-tools'],
        'node_modules/zod': { version: '4.6.7' },
      },
    });
  });

  it("keeps npm's key order, so the repository's own lockfile survives an identity rename byte for byte", () => {
    const text = readFileSync(join(__dirname, '../../../../package-lock.json'), 'utf8');
    expect(
      `${JSON.stringify(
        renamePackageLock(JSON.parse(text), (value) => value),
        null,
        2,
      )}\n`,
    ).toBe(text);
  });
});
