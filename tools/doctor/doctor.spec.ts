import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs doctor.sh on a PATH we control: the few system commands it needs, plus fake tools that
 * print the version we choose (or fail, as a Docker client with no engine does).
 */
const DOCTOR = join(__dirname, 'doctor.sh');
const SYSTEM_COMMANDS = ['bash', 'grep', 'sort', 'head', 'dirname'];

function runDoctor(fakes: Record<string, string>) {
  const bin = mkdtempSync(join(tmpdir(), 'doctor-path-'));
  for (const command of SYSTEM_COMMANDS) {
    const found = spawnSync('bash', ['-c', `command -v ${command}`], {
      encoding: 'utf8',
    }).stdout.trim();
    symlinkSync(found, join(bin, command));
  }
  for (const [tool, script] of Object.entries(fakes)) {
    writeFileSync(join(bin, tool), `#!/bin/bash\n${script}\n`);
    chmodSync(join(bin, tool), 0o755);
  }
  const result = spawnSync(join(bin, 'bash'), [DOCTOR], {
    // An empty TOOLS_BIN: tools this checkout installed in .cache must not stand in for the fakes.
    env: { PATH: bin, TOOLS_BIN: mkdtempSync(join(tmpdir(), 'doctor-tools-')) },
    encoding: 'utf8',
  });
  return { status: result.status, output: result.stdout + result.stderr };
}

const healthyNode = { node: 'echo v24.21.0', npm: 'echo 11.6.0' };

describe('make doctor', () => {
  it('passes when the required tools are there, and warns about the optional ones', () => {
    const { status, output } = runDoctor(healthyNode);
    expect(status).toBe(0);
    expect(output).toMatch(/ok +node +24\.21\.0/);
    expect(output).toMatch(/warn +docker +not found: .*install Docker/);
    expect(output).toMatch(/doctor: everything required is here\./);
  });

  it('fails and says what to install when node is missing', () => {
    const { status, output } = runDoctor({ npm: 'echo 11.6.0' });
    expect(status).toBe(1);
    expect(output).toMatch(/MISSING node +not found: install Node\.js >= 20\.19/);
    expect(output).toMatch(/doctor: 1 required tool\(s\) missing/);
  });

  it('fails when node is too old', () => {
    const { status, output } = runDoctor({ ...healthyNode, node: 'echo v18.20.1' });
    expect(status).toBe(1);
    expect(output).toMatch(/MISSING node +18\.20\.1 is older than 20\.19\.0/);
  });

  it('tells a Docker client without an engine from a missing Docker', () => {
    const { output } = runDoctor({
      ...healthyNode,
      docker: 'echo "Cannot connect to the Docker daemon" >&2; exit 1',
    });
    expect(output).toMatch(/warn +docker +client found, but no engine answers/);
  });

  it('flags a kind older than the pinned one', () => {
    const { output } = runDoctor({
      ...healthyNode,
      kind: 'echo "kind v0.20.0 go1.20 linux/amd64"',
    });
    expect(output).toMatch(/warn +kind +0\.20\.0 is older than 0\.33\.0/);
  });
});
