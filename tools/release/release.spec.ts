import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { checkSbom, newestSbom } from './attested-sbom';
import { addToSbom, bundledPackages, npmPurl, packageDirOf } from './bundled-packages';

const root = join(__dirname, '../..');

describe('one version for a release', () => {
  it('package.json, Chart.yaml version and appVersion agree (make release refuses otherwise)', () => {
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
    const chart = parse(readFileSync(join(root, 'charts/sidecar/Chart.yaml'), 'utf8'));
    expect(chart.version).toBe(version);
    expect(chart.appVersion).toBe(version);
  });

  it('release_version names each file when they differ', () => {
    const script = `source tools/release/lib.sh; project_version() { echo 9.9.9; }; release_version`;
    const result = spawnSync('bash', ['-c', script], { cwd: root, encoding: 'utf8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'one version for the release: package.json says 9.9.9, charts/sidecar/Chart.yaml version',
    );
    expect(result.stderr).toMatch(/and appVersion \S+; set all three alike/);
  });
});

describe('the npm packages of the API bundle, for its SBOM', () => {
  it('finds the package of a node_modules input, scoped and nested too', () => {
    expect(packageDirOf('node_modules/express/lib/express.js')).toBe('node_modules/express');
    expect(packageDirOf('node_modules/@opentelemetry/api/build/src/index.js')).toBe(
      'node_modules/@opentelemetry/api',
    );
    expect(packageDirOf('node_modules/a/node_modules/b/index.js')).toBe(
      'node_modules/a/node_modules/b',
    );
    expect(packageDirOf('apps/api/src/main.ts')).toBeUndefined();
  });

  it('lists each bundled package once, with the version installed, and adds it to an SBOM once', () => {
    const express = JSON.parse(
      readFileSync(join(root, 'node_modules/express/package.json'), 'utf8'),
    );
    const packages = bundledPackages(
      {
        inputs: {
          'apps/api/src/main.ts': {},
          'node_modules/express/index.js': {},
          'node_modules/express/lib/express.js': {},
        },
      },
      root,
    );
    expect(packages).toEqual([{ name: 'express', version: express.version, license: 'MIT' }]);
    const sbom = { components: [{ type: 'library', name: 'npm', purl: 'pkg:npm/npm@11.0.0' }] };
    expect(addToSbom(sbom, packages)).toBe(1);
    expect(addToSbom(sbom, packages)).toBe(0);
    expect(sbom.components.map((c) => c.purl)).toEqual([
      'pkg:npm/npm@11.0.0',
      `pkg:npm/express@${express.version}`,
    ]);
    expect(npmPurl({ name: '@opentelemetry/api', version: '1.9.0' })).toBe(
      'pkg:npm/%40opentelemetry/api@1.9.0',
    );
  });
});

describe('the SBOM attestation verify.sh checks', () => {
  const attestation = (timestamp: string, purls: string[]) =>
    JSON.stringify({
      payload: Buffer.from(
        JSON.stringify({
          predicate: { metadata: { timestamp }, components: purls.map((purl) => ({ purl })) },
        }),
      ).toString('base64'),
    });

  it('reads the newest SBOM and names the npm packages asked for', () => {
    const output = [
      attestation('2026-12-02T00:00:00Z', ['pkg:deb/debian/libc6@2.36', 'pkg:npm/express@5.3.0']),
      attestation('2026-12-01T00:00:00Z', ['pkg:deb/debian/libc6@2.36']),
    ].join('\n');
    expect(checkSbom(newestSbom(output), ['express'])).toBe(
      '2 components, 1 Debian packages, pkg:npm/express@5.3.0',
    );
  });

  it('fails without Debian packages, or without an npm package asked for', () => {
    expect(() => checkSbom({ components: [{ purl: 'pkg:npm/express@5.3.0' }] }, [])).toThrow(
      'it lists no Debian package',
    );
    expect(() =>
      checkSbom({ components: [{ purl: 'pkg:deb/debian/libc6@2.36' }] }, ['express']),
    ).toThrow('it does not list the npm package express');
  });
});
