/**
 * `make up`: runs the Pod and prints its URL; Ctrl-C stops it cleanly.
 *   npx tsx tools/pod/src/cli.ts docker      the two images as one Pod on Docker
 *   npx tsx tools/pod/src/cli.ts processes   the API build and the real nginx as local processes;
 *     NGINX's template variables in the environment (NGINX_PUBLIC_RATE=5r/s, ...) override the
 *     image's defaults, as in a container
 */
import { randomBytes } from 'node:crypto';
import { readPorts } from '@sidecar/testkit';
import { startDockerPod } from './docker-pod';
import { startProcessesPod } from './processes-pod';

async function main(mode: string | undefined): Promise<void> {
  if (mode !== 'docker' && mode !== 'processes') {
    throw new Error('usage: cli.ts docker|processes');
  }
  const token = process.env.API_TOKEN || randomBytes(16).toString('hex');
  const ports = readPorts();
  const log = (line: string) => process.stderr.write(`[pod] ${line}\n`);
  const pod =
    mode === 'docker'
      ? await startDockerPod({ token, log, values: imageTagValues() })
      : await startProcessesPod({ token, ...ports, nginxEnv: process.env, output: 'inherit' });

  process.stdout.write(
    [
      '',
      `The Pod (${mode}) is up: ${pod.baseUrl}/`,
      `  curl ${pod.baseUrl}/public/hello`,
      `  curl -H 'Authorization: Bearer ${token}' ${pod.baseUrl}/api/hello`,
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
  // The Docker Pod's containers run in the engine, not under this process: without a timer the
  // event loop would be empty and the process would exit, leaving them behind without Ctrl-C.
  const keepAlive = setInterval(() => undefined, 60_000);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    clearInterval(keepAlive);
    log('stopping');
    const codes = await pod.stop();
    log(`stopped: ${JSON.stringify(codes)}`);
    process.exit(Object.values(codes).every((code) => code === 0 || code === 'stopped') ? 0 : 1);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** IMAGE_TAG from the environment (the Makefile passes the built tag), else the chart's default. */
function imageTagValues(): Record<string, string> {
  const tag = process.env.IMAGE_TAG;
  return tag ? { 'api.image.tag': tag, 'nginx.image.tag': tag } : {};
}

main(process.argv[2]).catch((error: Error) => {
  process.stderr.write(`[pod] ${error.message}\n`);
  process.exit(1);
});
