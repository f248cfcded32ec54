/**
 * Runs the sidecar's NGINX on this machine with the image's config, in front of an API on
 * loopback: `node dist/docker/nginx/run-local.js` (built by `nx build nginx`). Ports come from
 * tools/ports.env unless NGINX_PORT / API_PORT are set; any other template variable
 * (NGINX_PUBLIC_RATE, NGINX_PROXY_READ_TIMEOUT, ...) can be set in the environment as well.
 */
import { startNginx } from './start-nginx';
import { readPorts } from './workspace';

function portFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a port number, got ${JSON.stringify(value)}`);
  }
  return port;
}

async function main(): Promise<void> {
  const ports = readPorts();
  const nginxPort = portFromEnv('NGINX_PORT', ports.nginxPort);
  const apiPort = portFromEnv('API_PORT', ports.apiPort);
  const nginx = await startNginx({ nginxPort, apiPort, env: process.env, output: 'inherit' });
  process.stderr.write(
    `[nginx] serving ${nginx.url} (proxying /api/ and /public/ to 127.0.0.1:${apiPort}); Ctrl-C stops it\n`,
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void nginx.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`[nginx] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
