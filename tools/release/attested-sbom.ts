import { readFileSync } from 'node:fs';

/**
 * What `cosign verify-attestation --type cyclonedx` printed, checked: one JSON line per verified
 * attestation, its payload an in-toto statement whose predicate is the CycloneDX SBOM. A version
 * released twice from the same digest has one attestation per run: the newest SBOM counts.
 * It must list the image's Debian packages and, where asked, named npm packages.
 *   npx tsx tools/release/attested-sbom.ts <verify-attestation output> [npm package...]
 */
interface Sbom {
  metadata?: { timestamp?: string };
  components?: { purl?: string }[];
}

export function newestSbom(output: string): Sbom {
  const sboms = output
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const statement = JSON.parse(Buffer.from(JSON.parse(line).payload, 'base64').toString());
      return statement.predicate as Sbom;
    })
    .sort((a, b) => String(a.metadata?.timestamp).localeCompare(String(b.metadata?.timestamp)));
  const newest = sboms.at(-1);
  if (!newest) throw new Error('no attestation');
  return newest;
}

/** A one-line summary; throws naming what is missing. */
export function checkSbom(sbom: Sbom, npmPackages: string[]): string {
  const purls = (sbom.components ?? []).map((component) => component.purl ?? '');
  const debs = purls.filter((purl) => purl.startsWith('pkg:deb/')).length;
  if (debs === 0) throw new Error('it lists no Debian package');
  const npm = npmPackages.map((name) => {
    const purl = purls.find((p) => p.startsWith(`pkg:npm/${name.replace(/^@/, '%40')}@`));
    if (!purl) throw new Error(`it does not list the npm package ${name}`);
    return purl;
  });
  return [`${purls.length} components`, `${debs} Debian packages`, ...npm].join(', ');
}

if (require.main === module) {
  const [file, ...npmPackages] = process.argv.slice(2);
  if (!file)
    throw new Error('usage: attested-sbom.ts <verify-attestation output> [npm package...]');
  try {
    console.log(checkSbom(newestSbom(readFileSync(file, 'utf8')), npmPackages));
  } catch (error) {
    console.log((error as Error).message);
    process.exit(1);
  }
}
