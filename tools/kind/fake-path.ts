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
 * A PATH for the tests of the kind scripts: the few system commands they use, linked from this
 * machine, plus fake tools written by the test. Every call of a fake tool is logged, so a test can
 * assert what was (not) called; no fake ever touches a real Docker engine or the network.
 */
const SYSTEM_COMMANDS = ['bash', 'dirname', 'basename', 'timeout', 'mkdir', 'rm', 'cat'];

export interface FakePath {
  dir: string;
  /** Every call of a fake tool, one `tool args...` line each. */
  calls(): string[];
}

export function fakePath(fakes: Record<string, string>): FakePath {
  const dir = mkdtempSync(join(tmpdir(), 'kind-path-'));
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

/**
 * A Docker CLI whose engine answers: `docker info` with the fields kind reads
 * (sigs.k8s.io/kind pkg/cluster/internal/providers/docker/provider.go), `docker ps` with the
 * containers given, `docker image inspect` as told, `docker manifest inspect` as a registry that
 * answers (or not). Anything else fails, as if no engine could do it.
 */
export function fakeDocker({
  imagePresent,
  registryAnswers = false,
  clusterContainers = '',
}: {
  imagePresent: boolean;
  registryAnswers?: boolean;
  clusterContainers?: string;
}): string {
  return `case "$1" in
  -v|--version) echo "Docker version 28.2.2, build fake" ;;
  info) echo '{"CgroupVersion":"2","CgroupDriver":"systemd","MemoryLimit":true,"PidsLimit":true,"CPUShares":true,"SecurityOptions":[]}' ;;
  ps) printf '%s' ${JSON.stringify(clusterContainers)} ;;
  image|inspect) exit ${imagePresent ? 0 : 1} ;;
  manifest) exit ${registryAnswers ? 0 : 1} ;;
  *) echo "fake docker refuses: $*" >&2; exit 1 ;;
esac`;
}
