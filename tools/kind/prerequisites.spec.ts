import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseEnv } from 'dotenv';
import { fakePath } from '@sidecar/testkit';
import { fakeDocker } from './fake-docker';

/**
 * The checks `make deploy` makes before it does anything, run on a PATH with fake tools: each
 * missing piece stops the scripts within seconds with a message that says what to do. kind pulls
 * its node image itself where a registry answers; the scripts never pull it.
 */
const versions = parseEnv(readFileSync(join(__dirname, '../versions.env')));

function runScript(script: string, args: string[], fakes: Record<string, string>) {
  const path = fakePath(fakes);
  const started = Date.now();
  const result = spawnSync(join(path.dir, 'bash'), [join(__dirname, script), ...args], {
    // The template's settings, not what tools/workarounds recorded for this machine; a kubeconfig
    // of its own, so that kind's attempts here leave a developer's cluster's kubeconfig alone.
    env: {
      PATH: path.dir,
      HOME: path.dir,
      KIND_CLUSTER: 'sidecar',
      KIND_KUBECONFIG: join(path.dir, 'kubeconfig'),
      WORKAROUNDS_ENV: '/dev/null',
    },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return {
    status: result.status,
    output: `${result.stdout}${result.stderr}`,
    calls: path.calls(),
    seconds: (Date.now() - started) / 1000,
  };
}

describe('kind prerequisites (create-cluster.sh --check, deploy.sh)', () => {
  it('says how to install Docker when the docker CLI is missing', () => {
    const { status, output, seconds } = runScript('create-cluster.sh', ['--check'], {});
    expect(status).toBe(1);
    expect(output).toMatch(/ERROR: docker is not installed: install Docker/);
    expect(seconds).toBeLessThan(10);
  });

  it('says to start the engine when `docker info` fails', () => {
    const { status, output } = runScript('create-cluster.sh', ['--check'], {
      docker:
        'echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock" >&2; exit 1',
    });
    expect(status).toBe(1);
    expect(output).toMatch(/ERROR: the Docker engine does not answer 'docker info': start it/);
  });

  it('fails fast, without pulling, when the node image is not in the engine and no registry answers', () => {
    const { status, output, calls, seconds } = runScript('create-cluster.sh', [], {
      docker: fakeDocker({ imagePresent: false }),
    });
    expect(status).toBe(1);
    expect(output).toContain(
      `kind's node image ${versions.KIND_NODE_IMAGE} is not in the Docker engine and no registry answers for it`,
    );
    expect(calls).toContain(`docker manifest inspect ${versions.KIND_NODE_IMAGE}`);
    expect(calls.filter((call) => call.startsWith('docker pull'))).toEqual([]);
    expect(seconds).toBeLessThan(10);
  });

  it('leaves the node image to kind where a registry answers, asking the user to pull nothing', () => {
    const { status, output, calls } = runScript('create-cluster.sh', ['--check'], {
      docker: fakeDocker({ imagePresent: false, registryAnswers: true }),
    });
    expect(status).toBe(0);
    expect(output).toMatch(/kind can create cluster sidecar/);
    expect(output).not.toMatch(/docker pull|docker load/);
    expect(calls.filter((call) => call.startsWith('docker pull'))).toEqual([]);
  });

  it('deploy.sh hands the node image to `kind create cluster`, which pulls it itself', () => {
    // The real pinned kind, with a Docker whose registry answers but which refuses every pull:
    // the scripts pass the check and start kind, and the only pulls are kind's own.
    const { output, calls } = runScript('deploy.sh', [], {
      docker: fakeDocker({ imagePresent: false, registryAnswers: true }),
      kubectl: 'exit 0',
      npx: 'exit 0',
    });
    expect(output).toContain(`creating kind cluster sidecar (${versions.KIND_NODE_IMAGE})`);
    expect(output).toContain('Creating cluster "sidecar" ...');
    // kind prints the image without its digest here.
    expect(output).toContain(`Ensuring node image (${versions.KIND_NODE_IMAGE?.split('@')[0]})`);
    expect(output).toContain(`failed to pull image "${versions.KIND_NODE_IMAGE}"`);
    expect(output).not.toMatch(/not in the Docker engine|docker load/);
    const pulls = calls.filter((call) => call.startsWith('docker pull'));
    expect(pulls.length).toBeGreaterThan(0);
    expect(new Set(pulls)).toEqual(new Set([`docker pull ${versions.KIND_NODE_IMAGE}`]));
  });

  it('finds that kind can create the cluster when Docker answers and the node image is there', () => {
    const { status, output } = runScript('create-cluster.sh', ['--check'], {
      docker: fakeDocker({ imagePresent: true }),
    });
    expect(status).toBe(0);
    expect(output).toMatch(/kind can create cluster sidecar/);
  });

  it('finds an existing cluster by its node container, even without the node image', () => {
    const { status, output, calls } = runScript('create-cluster.sh', ['--check'], {
      docker: fakeDocker({ imagePresent: false, clusterContainers: '0123456789ab\n' }),
    });
    expect(status).toBe(0);
    expect(output).toMatch(/kind cluster sidecar exists/);
    expect(calls).toContain('docker ps -a --quiet --filter label=io.x-k8s.kind.cluster=sidecar');
  });

  it('deploy.sh says how to install kubectl when it is missing, before building anything', () => {
    const { status, output, calls } = runScript('deploy.sh', [], {
      docker: fakeDocker({ imagePresent: true }),
    });
    expect(status).toBe(1);
    expect(output).toMatch(
      /ERROR: kubectl is not installed: install it \(https:\/\/kubernetes\.io\/docs\/tasks\/tools\/#kubectl\)/,
    );
    expect(calls.filter((call) => !call.startsWith('docker info'))).toEqual([]);
  });

  it('deploy.sh stops at the missing node image when kubectl and npx are there', () => {
    const { status, output } = runScript('deploy.sh', [], {
      docker: fakeDocker({ imagePresent: false }),
      kubectl: 'exit 0',
      npx: 'echo "npx must not run" >&2; exit 1',
    });
    expect(status).toBe(1);
    expect(output).toContain(
      `kind's node image ${versions.KIND_NODE_IMAGE} is not in the Docker engine and no registry answers for it`,
    );
    expect(output).not.toContain('npx must not run');
  });
});
