import { readFileSync } from 'node:fs';

/**
 * How many TCP sockets listening-side on 127.0.0.1:port hold unread bytes (rx_queue > 0 in
 * /proc/net/tcp, https://www.kernel.org/doc/Documentation/networking/proc_net_tcp.txt): requests
 * that reached a stopped process and wait in its kernel buffers.
 */
export function socketsWithUnreadBytes(port: number): number {
  const localPort = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter(([, local, , , queues]) => local?.endsWith(localPort) && queues !== undefined)
    .filter(([, , , , queues]) => parseInt(queues?.split(':')[1] ?? '0', 16) > 0).length;
}
