import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fakePath } from '@sidecar/testkit';

/**
 * Runs doctor.sh in a scratch copy of the few files it reads (so no tool this checkout installed
 * in .cache can stand in for a fake), on a PATH we control: the system commands it needs, plus
 * fake tools that print the version we choose (or fail, as a Docker client with no engine does).
 */
const REPO_ROOT = join(__dirname, '../..');
const FILES = ['tools/lib.sh', 'tools/versions.env', 'tools/ports.env', 'tools/setup/doctor.sh'];

function runDoctor(fakes: Record<string, string>, args: string[] = []) {
  const scratch = mkdtempSync(join(tmpdir(), 'doctor-repo-'));
  for (const file of FILES) {
    mkdirSync(dirname(join(scratch, file)), { recursive: true });
    copyFileSync(join(REPO_ROOT, file), join(scratch, file));
  }
  const path = fakePath(fakes);
  const result = spawnSync(
    join(path.dir, 'bash'),
    [join(scratch, 'tools/setup/doctor.sh'), ...args],
    { env: { PATH: path.dir }, encoding: 'utf8' },
  );
  return { status: result.status, output: result.stdout + result.stderr, stdout: result.stdout };
}

/** Every tool make setup needs from the machine, at a version that passes. */
const healthy: Record<string, string> = {
  node: 'echo v20.20.2',
  npm: 'echo 11.6.0',
  go: 'echo "go version go1.26.0 linux/amd64"',
  python3: 'echo "3.11.2 (main)"',
  docker: 'echo 28.2.2',
  nginx: '[[ $1 == -v ]] && echo "nginx version: nginx/1.22.1" >&2',
  envsubst: 'echo "envsubst (GNU gettext-runtime) 0.21"',
  chromium: 'echo "Chromium 131.0.6778.85 built on Debian"',
  shellcheck: 'printf "ShellCheck\\nversion: 0.9.0\\n"',
  curl: 'echo "curl 7.88.1 (x86_64-pc-linux-gnu)"',
  wrk: 'echo "wrk 4.1.0 [epoll] Copyright (C) 2012 Will Glozer"',
  gpg: 'printf "gpg (GnuPG) 2.2.40\\nlibgcrypt 1.10.1\\n"',
  kubectl: 'echo "Client Version: v1.32.0"',
};
const without = (tool: string) =>
  Object.fromEntries(Object.entries(healthy).filter(([name]) => name !== tool));

describe('make doctor', () => {
  it('passes when every tool make setup needs is there', () => {
    const { status, output } = runDoctor(healthy);
    expect(status).toBe(0);
    expect(output).toMatch(/ok +node +20\.20\.2/);
    expect(output).toMatch(/ok +nginx +1\.22\.1/);
    expect(output).toMatch(/doctor: everything make setup needs is here\./);
  });

  it('fails and says what to install when a required tool is missing', () => {
    const { status, output } = runDoctor(without('nginx'));
    expect(status).toBe(1);
    expect(output).toMatch(/MISSING nginx +not found: install nginx \(Debian package nginx/);
    expect(output).toMatch(/doctor: 1 required tool\(s\) missing/);
  });

  it('fails when node is too old', () => {
    const { status, output } = runDoctor({ ...healthy, node: 'echo v18.20.1' });
    expect(status).toBe(1);
    expect(output).toMatch(/MISSING node +18\.20\.1 is older than 20\.19\.0/);
  });

  it('tells a Docker client without an engine from a missing Docker', () => {
    const { status, output } = runDoctor({
      ...healthy,
      // As a user outside the docker group sees it: the API version in the error is no engine's.
      docker:
        'echo "permission denied while trying to connect to the Docker daemon socket: Get http://%2Fvar%2Frun%2Fdocker.sock/v1.50/version" >&2; exit 1',
    });
    expect(status).toBe(1);
    expect(output).toMatch(/MISSING docker +client found, but no engine answers/);
  });

  it('only warns about a tool that only some targets need', () => {
    const { status, output } = runDoctor(without('kubectl'));
    expect(status).toBe(0);
    expect(output).toMatch(/warn +kubectl +not found: .*make deploy/);
  });

  it('lists the missing tools, required and optional, for make setup', () => {
    const { status, stdout } = runDoctor(
      { ...without('chromium'), kubectl: 'echo "Client Version: v1.20.0"' },
      ['--missing'],
    );
    expect(status).toBe(0);
    expect(stdout.split('\n').filter(Boolean)).toEqual(['chromium', 'kubectl']);
  });
});
