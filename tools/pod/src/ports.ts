import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { readPorts } from '@sidecar/testkit';

/**
 * A port the local Pod binds on 127.0.0.1, named by the make variable that sets it (API_PORT,
 * NGINX_PORT: tools/ports.env), or else by what it is.
 */
export interface LocalPort {
  name: string;
  port: number;
}

const MAKE_VARIABLE = /^[A-Z][A-Z0-9_]*$/;

export class PortInUseError extends Error {}

/**
 * The ports `make up` and `make dev` bind: tools/ports.env, or API_PORT and NGINX_PORT from the
 * environment (`make up NGINX_PORT=8081`; make exports variables set on its command line).
 */
export function localPorts(env: NodeJS.ProcessEnv = process.env): {
  apiPort: number;
  nginxPort: number;
} {
  const defaults = readPorts();
  const port = (name: 'API_PORT' | 'NGINX_PORT', fallback: number): number => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1 || number > 65535) {
      throw new Error(
        `${name} must be a port number from 1 to 65535, got ${JSON.stringify(value)}`,
      );
    }
    return number;
  };
  return {
    apiPort: port('API_PORT', defaults.apiPort),
    nginxPort: port('NGINX_PORT', defaults.nginxPort),
  };
}

/**
 * Fails at once, before anything starts, when another process holds one of the ports: otherwise
 * the Pod's probes would reach that process and fail only after their whole threshold, with a
 * misleading status. The message names the port, the process when `ss` can tell, and the way
 * to choose another.
 */
export async function requireFreePorts(ports: LocalPort[]): Promise<void> {
  for (const { name, port } of ports) {
    if (await canListen(port)) continue;
    const holder = await listenerOf(port);
    const inUse = `port ${port} (${name}) on 127.0.0.1 is already in use${holder ? ` by ${holder}` : ''}.`;
    throw new PortInUseError(
      MAKE_VARIABLE.test(name)
        ? [
            inUse,
            `Stop that process, or choose other ports, e.g. \`make up ${name}=${port + 1}\``,
            `(the same variables work for make dev; their defaults are in tools/ports.env).`,
          ].join('\n')
        : `${inUse}\nStop that process.`,
    );
  }
}

async function canListen(port: number): Promise<boolean> {
  const server = createServer();
  server.listen({ host: '127.0.0.1', port, exclusive: true });
  const [outcome] = (await Promise.race([
    once(server, 'listening').then(() => ['listening']),
    once(server, 'error'),
  ])) as ['listening' | NodeJS.ErrnoException];
  if (outcome !== 'listening') {
    if (outcome.code === 'EADDRINUSE') return false;
    throw outcome;
  }
  await new Promise((resolve) => server.close(resolve));
  return true;
}

/** The process listening on the port as `ss` names it, e.g. `nginx (pid 1234)`; '' if unknown. */
async function listenerOf(port: number): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('ss', ['-Hltnp', `sport = :${port}`]);
    // users:(("nginx",pid=1234,fd=6),("nginx",pid=1235,fd=6)): the first process, without its fd.
    const first = /users:\(\("([^"]*)",pid=(\d+)/.exec(stdout);
    return first ? `${first[1]} (pid ${first[2]})` : '';
  } catch {
    return '';
  }
}
