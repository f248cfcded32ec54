import { connect } from 'node:net';
import { waitFor } from '@sidecar/testkit';

/** True when something accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Waits until nothing listens on these ports. The Docker Pod uses the chart's fixed ports on the
 * host network: another Pod on the same machine (a `make up`, another suite) would answer in its
 * place, so this waits for it to end, and says so if it does not.
 */
export async function waitUntilFree(ports: number[], timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `ports ${ports.join(', ')} to be free (another Pod runs on this machine: stop it)`,
    async () => ((await Promise.all(ports.map(listening))).some(Boolean) ? undefined : true),
    timeoutMs,
  );
}
