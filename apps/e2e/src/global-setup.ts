import { randomBytes } from 'node:crypto';
import { startDockerPod, startProcessesPod, type DockerPod, type ProcessesPod } from '@sidecar/pod';
import { freePort } from '@sidecar/testkit';

declare global {
  var podUnderTest: DockerPod | ProcessesPod | undefined;
}

/**
 * Starts the Pod the suite runs against, unless E2E_BASE_URL names one already running. It
 * installs nothing: `make setup` did (nginx, Chromium, helm), and a missing tool stops the Pod's
 * start with a message that says so.
 */
export default async function globalSetup(): Promise<void> {
  const mode = process.env.E2E_BASE_URL ? 'running' : (process.env.E2E_POD ?? 'processes');
  if (!['running', 'processes', 'docker'].includes(mode)) {
    throw new Error(`E2E_POD must be processes or docker, got ${mode}`);
  }
  if (mode === 'running') {
    if (!process.env.E2E_API_TOKEN) throw new Error('E2E_BASE_URL is set: set E2E_API_TOKEN too');
    return;
  }
  const token = randomBytes(16).toString('hex');
  if (mode === 'docker') {
    // The chart's Pod on the chart's ports: the suite owns the engine's Pod for its run.
    globalThis.podUnderTest = await startDockerPod({ token, namePrefix: 'sidecar-e2e' });
  } else {
    // Free ports, so the suite never collides with a `make up` on the usual ones.
    const [apiPort, nginxPort] = [await freePort(), await freePort()];
    globalThis.podUnderTest = await startProcessesPod({ token, apiPort, nginxPort });
  }
  process.env.E2E_BASE_URL = globalThis.podUnderTest.baseUrl;
  process.env.E2E_API_TOKEN = token;
  process.stderr.write(`\n[e2e] ${mode} Pod at ${globalThis.podUnderTest.baseUrl}\n`);
}
