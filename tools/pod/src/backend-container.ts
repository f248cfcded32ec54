import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, waitFor } from '@sidecar/testkit';
import { docker } from './docker';

export interface BackendContainerOptions {
  /** The container's name, and the prefix of its config's temporary directory. */
  name: string;
  image: string;
  /** The config file's text and where the container reads it. */
  config: { text: string; mountAt: string };
  /** The image's arguments. */
  args: string[];
  /** Answers 200 once the backend is ready. */
  readyUrl: string;
}

/**
 * A test backend (Prometheus, Jaeger) as a container on the host's network, reading one config
 * file, started and waited for until `readyUrl` answers 200; on failure its last log lines are in
 * the error. Resolves with its stop, which removes the container and the config.
 */
export async function startBackendContainer(
  options: BackendContainerOptions,
): Promise<{ stop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `${options.name}-`));
  await chmod(dir, 0o755);
  const file = join(dir, 'config');
  await writeFile(file, options.config.text, { mode: 0o644 });
  const stop = async () => {
    await docker('rm', '--force', options.name).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await docker(
      'run',
      '--detach',
      '--name',
      options.name,
      '--network',
      'host',
      '--volume',
      `${file}:${options.config.mountAt}:ro`,
      options.image,
      ...options.args,
    );
    await waitFor(
      `${options.name} to answer ${options.readyUrl}`,
      async () =>
        (await request(options.readyUrl).catch(() => undefined))?.status === 200 ? true : undefined,
      30_000,
    );
  } catch (error) {
    const logs = await docker('logs', '--tail', '30', options.name).catch(() => '');
    await stop();
    throw new Error(`${(error as Error).message}\n${logs}`);
  }
  return { stop };
}
