import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseEnv } from 'dotenv';
import { fakePath } from '@sidecar/testkit';

/**
 * make registry-up on a PATH with fake tools: a taken port stops it at once, naming the holder
 * and what to do; a running registry is left alone.
 */
const ports = parseEnv(readFileSync(join(__dirname, '../ports.env')));

function registryUp(fakes: Record<string, string>) {
  const path = fakePath(fakes);
  const result = spawnSync(join(path.dir, 'bash'), [join(__dirname, 'registry-up.sh')], {
    env: { PATH: path.dir, HOME: path.dir, WORKAROUNDS_ENV: '/dev/null' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}`, calls: path.calls() };
}

/** An engine that answers and has no registry container; `running` makes it have a running one. */
const docker = (running: boolean) => `case "$1 $2" in
  info*) exit 0 ;;
  "container inspect") ${running ? 'echo true' : 'exit 1'} ;;
  # The registry's network of the same name, which plain \`docker inspect\` would find.
  "inspect sidecar-registry") echo '[{"Name": "sidecar-registry", "Driver": "bridge"}]' ;;
  "image inspect" | "network inspect") exit 0 ;;
  *) echo "fake docker refuses: $*" >&2; exit 1 ;;
esac`;

describe('make registry-up', () => {
  it('names the process holding the port, and what to change, before starting anything', () => {
    const { status, output, calls } = registryUp({
      docker: docker(false),
      ss: `echo 'LISTEN 0 511 127.0.0.1:${ports.REGISTRY_PORT} 0.0.0.0:* users:(("nginx",pid=4242,fd=6))'`,
    });
    expect(status).toBe(1);
    expect(output).toContain(
      `ERROR: port ${ports.REGISTRY_PORT} is taken by nginx: stop it, or set REGISTRY_PORT in tools/ports.env to a free port`,
    );
    expect(calls.filter((call) => call.startsWith('docker run'))).toEqual([]);
  });

  it('starts a new container when only its network of the same name is left', () => {
    const { calls } = registryUp({ docker: docker(false), ss: 'exit 0' });
    expect(
      calls.filter((call) => /^docker (run|start)/.test(call)).map((c) => c.split(' ')[1]),
    ).toEqual(['run']);
  });

  it('leaves a running registry as it is', () => {
    const { status, output, calls } = registryUp({ docker: docker(true), ss: 'exit 0' });
    expect(status).toBe(0);
    expect(output).toContain(`the registry is up: localhost:${ports.REGISTRY_PORT}`);
    expect(calls.filter((call) => /^docker (run|start)/.test(call))).toEqual([]);
  });
});
