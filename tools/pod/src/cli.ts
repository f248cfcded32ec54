/**
 * Runs the Pod, or the API alone, on this machine and prints its URL; Ctrl-C stops it cleanly at
 * any moment, starting or serving. Run as `node --import tsx tools/pod/src/cli.ts <mode>`:
 *   docker       `make up`: the two images as one Pod on Docker
 *   processes    `make up` without Docker: the API build and the real nginx as local processes
 *   dev          `make dev`: as processes, rebuilt and reloaded on save
 *   api          `nx serve api`: the API alone, rebuilt on save
 *   check-ports  `make up`, before it builds anything: fails at once, naming a port in use
 * Ports: tools/ports.env, or API_PORT and NGINX_PORT from the environment. NGINX's template
 * variables in the environment (NGINX_PUBLIC_RATE=5r/s, ...) override the image's defaults for
 * the process modes, as in a container.
 */
import { randomBytes } from 'node:crypto';
import { requireShippedNode } from '@sidecar/testkit';
import { watchApi } from './api-watch';
import { startDevPod } from './dev-pod';
import { startDockerPod } from './docker-pod';
import { logFormatter } from './log-format';
import { localPorts, requireFreePorts } from './ports';
import { startProcessesPod } from './processes-pod';
import { stopSignal, untilAborted } from './stop-signals';

const MODES = ['docker', 'processes', 'dev', 'api'] as const;
type Mode = (typeof MODES)[number];

interface Running {
  url: string;
  stop(): Promise<unknown>;
}

const log = (line: string) => process.stderr.write(`[pod] ${line}\n`);

async function main(mode: Mode, signal: AbortSignal): Promise<void> {
  // The API runs on this Node, as the image runs it.
  requireShippedNode(
    `cli.ts ${mode}`,
    'run make setup, then put .cache/tools/bin first on PATH (the make targets do): PATH="$PWD/.cache/tools/bin:$PATH"',
  );
  const token = process.env.API_TOKEN || randomBytes(16).toString('hex');
  const running = await start(mode, token, signal);
  const watching = mode === 'dev' || mode === 'api';
  process.stdout.write(
    [
      '',
      `${mode === 'api' ? 'The API' : `The Pod (${mode})`} is up: ${running.url}/`,
      `  curl ${running.url}/public/hello`,
      `  curl -H 'Authorization: Bearer ${token}' ${running.url}/api/hello`,
      ...(watching ? ['Saving a source file rebuilds and restarts the API.'] : []),
      'Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
  await untilAborted(signal);
  const outcome = await running.stop();
  log(`stopped${outcome ? `: ${JSON.stringify(outcome)}` : ''}`);
  const failed = Object.values(outcome ?? {}).some((code) => code !== 0 && code !== 'stopped');
  process.exit(failed ? 1 : 0);
}

async function start(mode: Mode, token: string, signal: AbortSignal): Promise<Running> {
  const ports = localPorts();
  const format = logFormatter();
  const output = (source: string, line: string) =>
    process.stdout.write(`${format(source, line)}\n`);
  switch (mode) {
    case 'docker': {
      const pod = await startDockerPod({ token, log, signal, values: chartValues(ports) });
      return { url: pod.baseUrl, stop: pod.stop };
    }
    case 'processes': {
      const pod = await startProcessesPod({
        token,
        ...ports,
        nginxEnv: process.env,
        output: 'inherit',
        signal,
      });
      return { url: pod.baseUrl, stop: pod.stop };
    }
    case 'dev': {
      const pod = await startDevPod({
        token,
        ...ports,
        nginxEnv: process.env,
        output,
        log,
        signal,
      });
      return { url: pod.baseUrl, stop: pod.stop };
    }
    case 'api': {
      await requireFreePorts([{ name: 'API_PORT', port: ports.apiPort }]);
      const api = await watchApi({
        apiPort: ports.apiPort,
        env: { API_TOKENS: token },
        output: (line) => output('api', line),
        log,
      });
      return { url: `http://127.0.0.1:${ports.apiPort}`, stop: api.stop };
    }
  }
}

/** The ports, and IMAGE_TAG from the environment (else the chart's default tags). */
function chartValues(ports: {
  apiPort: number;
  nginxPort: number;
}): Record<string, string | number> {
  const tag = process.env.IMAGE_TAG;
  return {
    'api.port': ports.apiPort,
    'nginx.port': ports.nginxPort,
    ...(tag ? { 'api.image.tag': tag, 'nginx.image.tag': tag } : {}),
  };
}

function checkPorts(): void {
  const { apiPort, nginxPort } = localPorts();
  requireFreePorts([
    { name: 'API_PORT', port: apiPort },
    { name: 'NGINX_PORT', port: nginxPort },
  ]).then(
    () => process.exit(0),
    (error: Error) => {
      log(error.message);
      process.exit(1);
    },
  );
}

function runUntilStopped(mode: Mode): void {
  // Listened for before anything starts: each start function stops what it started when aborted.
  const signal = stopSignal(log);
  main(mode, signal).catch((error: Error) => {
    if (signal.aborted) {
      log('stopped while starting; nothing is left running');
      process.exit(130);
    }
    log(error.message);
    process.exit(1);
  });
}

const mode = process.argv[2] as Mode;
if (process.argv[2] === 'check-ports') {
  checkPorts();
} else if (!MODES.includes(mode)) {
  log(`usage: cli.ts ${MODES.join('|')}|check-ports`);
  process.exit(2);
} else {
  runUntilStopped(mode);
}
