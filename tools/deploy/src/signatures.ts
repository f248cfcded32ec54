import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { RELEASE_KEYS, type ReleaseRecord } from './chart-source';
import { capture, say } from './shell';
import { TOOLS_BIN } from './settings';

/**
 * cosign verify accepts only what the release key signed. The API's release tag is re-pushed
 * pointing at an unsigned image (the released one plus a label: another digest); verifying the
 * tag must then fail. The released image is pushed back under the tag (the same digest, whose
 * signatures the registry still holds), and verifying must pass again, so later runs and the
 * cluster see the release as it was.
 */
function verifyTag(tag: string): { ok: boolean; output: string } {
  const result = spawnSync(
    join(TOOLS_BIN, 'cosign'),
    ['verify', '--insecure-ignore-tlog=true', '--key', join(RELEASE_KEYS, 'cosign.pub'), tag],
    { encoding: 'utf8' },
  );
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

function pushedDigest(image: string): string {
  const digests = capture(
    'docker',
    ['image', 'inspect', '--format', '{{json .RepoDigests}}', image],
    {
      quiet: true,
    },
  );
  const repository = image.slice(0, image.lastIndexOf(':'));
  const digest = (JSON.parse(digests) as string[])
    .find((reference) => reference.startsWith(`${repository}@`))
    ?.split('@')[1];
  if (!digest) throw new Error(`${image} has no digest in ${repository}`);
  return digest;
}

export async function unsignedTagIsRefused(release: ReleaseRecord): Promise<string> {
  const tag = `${release.API_REPOSITORY}:${release.VERSION}`;
  const released = `${release.API_REPOSITORY}@${release.API_DIGEST}`;
  if (!verifyTag(tag).ok)
    throw new Error(`cosign verify ${tag} fails before the test: ${verifyTag(tag).output}`);

  capture('docker', ['build', '--quiet', '--network', 'none', '--tag', tag, '-'], {
    input: `FROM ${released}\nLABEL sidecar.test.unsigned=true\n`,
  });
  capture('docker', ['push', '--quiet', tag]);
  const unsigned = pushedDigest(tag);
  const refused = verifyTag(tag);

  capture('docker', ['tag', released, tag]);
  capture('docker', ['push', '--quiet', tag]);
  const restored = pushedDigest(tag);
  const accepted = verifyTag(tag);

  const problems: string[] = [];
  if (unsigned === release.API_DIGEST) problems.push('the re-pushed image has the released digest');
  if (refused.ok) problems.push(`cosign verify accepted the unsigned ${tag} (${unsigned})`);
  if (restored !== release.API_DIGEST) {
    problems.push(`pushing the release back gave ${restored}, not ${release.API_DIGEST}`);
  }
  if (!accepted.ok)
    problems.push(`cosign verify of the restored ${tag} failed: ${accepted.output}`);
  if (problems.length) throw new Error(problems.join('; '));
  const reason = refused.output.split('\n').find((line) => /error/i.test(line)) ?? refused.output;
  const summary = `${tag} re-pushed unsigned (${unsigned.slice(0, 19)}...): refused (${reason.trim()}); pushed back (${restored.slice(0, 19)}...): verified`;
  say(summary);
  return summary;
}
