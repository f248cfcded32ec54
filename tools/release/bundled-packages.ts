import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The API image holds one bundle (apps/api: esbuild, thirdParty), not node_modules, so an image
 * scanner sees none of the npm packages it runs. esbuild's metafile does: every input under
 * node_modules/ is a file of a package that went into the bundle. This module lists those
 * packages and adds them, as CycloneDX components, to the SBOM syft made of the image.
 *   npx tsx tools/release/bundled-packages.ts <meta.json> <sbom.cdx.json>
 * from the workspace root, where esbuild's input paths start.
 */
export interface BundledPackage {
  name: string;
  version: string;
  license?: string;
}

/** The package directory of a node_modules input: the last node_modules/<name> or node_modules/@scope/<name>. */
export function packageDirOf(input: string): string | undefined {
  const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return match?.[1];
}

export function bundledPackages(
  metafile: { inputs: Record<string, unknown> },
  root: string,
): BundledPackage[] {
  const dirs = new Set(
    Object.keys(metafile.inputs)
      .map(packageDirOf)
      .filter((dir): dir is string => dir !== undefined),
  );
  const found = new Map<string, BundledPackage>();
  for (const dir of dirs) {
    const manifest = join(root, dir, 'package.json');
    if (!existsSync(manifest)) throw new Error(`${manifest} is missing: run npm ci first`);
    const { name, version, license } = JSON.parse(readFileSync(manifest, 'utf8'));
    found.set(`${name}@${version}`, {
      name,
      version,
      ...(typeof license === 'string' ? { license } : {}),
    });
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** The purl of an npm package (https://github.com/package-url/purl-spec): the scope's @ encoded. */
export function npmPurl({ name, version }: BundledPackage): string {
  return `pkg:npm/${name.replace(/^@/, '%40')}@${version}`;
}

interface Component {
  'bom-ref'?: string;
  type: string;
  name: string;
  version?: string;
  purl?: string;
}

export function addToSbom(sbom: { components?: Component[] }, packages: BundledPackage[]): number {
  const components = (sbom.components ??= []);
  const known = new Set(components.map((component) => component.purl));
  let added = 0;
  for (const pkg of packages) {
    const purl = npmPurl(pkg);
    if (known.has(purl)) continue;
    components.push({
      'bom-ref': purl,
      type: 'library',
      name: pkg.name,
      version: pkg.version,
      purl,
      ...(pkg.license ? { licenses: [{ license: { id: pkg.license } }] } : {}),
      properties: [{ name: 'bundled-by', value: 'esbuild (the metafile of the API bundle)' }],
    } as Component);
    added += 1;
  }
  return added;
}

if (require.main === module) {
  const [metaPath, sbomPath] = process.argv.slice(2);
  if (!metaPath || !sbomPath)
    throw new Error('usage: bundled-packages.ts <meta.json> <sbom.cdx.json>');
  const packages = bundledPackages(JSON.parse(readFileSync(metaPath, 'utf8')), process.cwd());
  const sbom = JSON.parse(readFileSync(sbomPath, 'utf8'));
  const added = addToSbom(sbom, packages);
  writeFileSync(sbomPath, `${JSON.stringify(sbom, null, 2)}\n`);
  console.log(`${packages.length} npm packages in the bundle, ${added} added to ${sbomPath}`);
}
