import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A PATH for the tests of the project's scripts: the few system commands they use, linked from
 * this machine, plus fake tools written by the test. Every call of a fake tool is logged, so a test
 * can assert what was (not) called; no fake ever touches a real Docker engine or the network.
 */
const SYSTEM_COMMANDS = [
  'bash',
  'basename',
  'cat',
  'dirname',
  'grep',
  'head',
  'mkdir',
  'rm',
  'sort',
  'timeout',
];

export interface FakePath {
  dir: string;
  /** Every call of a fake tool, one `tool args...` line each. */
  calls(): string[];
}

export function fakePath(fakes: Record<string, string>): FakePath {
  const dir = mkdtempSync(join(tmpdir(), 'fake-path-'));
  const log = join(dir, 'calls.log');
  for (const command of SYSTEM_COMMANDS) {
    const found = spawnSync('bash', ['-c', `command -v ${command}`], {
      encoding: 'utf8',
    }).stdout.trim();
    symlinkSync(found, join(dir, command));
  }
  for (const [tool, body] of Object.entries(fakes)) {
    writeFileSync(
      join(dir, tool),
      `#!/bin/bash\necho "${tool} $*" >> ${JSON.stringify(log)}\n${body}\n`,
    );
    chmodSync(join(dir, tool), 0o755);
  }
  return {
    dir,
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  };
}
