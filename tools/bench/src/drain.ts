/**
 * Issue item 4: SIGTERM with N requests in flight, until the API exits, all of which must
 * complete. Each request is a POST /api/greetings whose head and half its body have arrived when
 * SIGTERM is sent; the rest of each body follows `holdMs` later, so the API is mid-request for
 * all N while it drains. SHUTDOWN_DELAY_MS=0: this measures the drain itself; the chart adds its
 * shutdownDelayMs (readiness fails first, so endpoints drain) in front of it.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { freePort } from '@sidecar/testkit';
import { startApi } from './servers';

export interface DrainRun {
  /** SIGTERM -> the API process exited. */
  exitMs: number;
  /** The last in-flight response -> the API process exited: the drain's own cost. */
  afterLastResponseMs: number;
  completed: number;
  exitCode: number | null;
}

export async function measureDrain(options: {
  runs: number;
  inFlight: number;
  holdMs: number;
  cpus?: string;
  log: (line: string) => void;
}): Promise<DrainRun[]> {
  const runs: DrainRun[] = [];
  for (let run = 0; run < options.runs; run++) {
    const token = randomBytes(16).toString('hex');
    const port = await freePort();
    const api = await startApi({
      port,
      cpus: options.cpus,
      env: { API_TOKENS: token, SHUTDOWN_DELAY_MS: '0', LOG_LEVEL: 'warn' },
    });
    const body = JSON.stringify({ name: 'Ada' });
    const half = Math.floor(body.length / 2);
    const requests = await Promise.all(
      Array.from({ length: options.inFlight }, () => openRequest(port, token, body, half)),
    );
    // A full round trip on a new connection after the heads went out: the API has read them.
    await roundTrip(port);
    const sigterm = performance.now();
    process.kill(api.pid, 'SIGTERM');
    const exited = api.exited.then((code) => ({ code, at: performance.now() }));
    await new Promise((r) => setTimeout(r, options.holdMs));
    const responses = await Promise.all(requests.map((r) => r.finish(body.slice(half))));
    const { code, at } = await exited;
    const completed = responses.filter((r) => r.status === 201).length;
    const lastResponse = Math.max(...responses.map((r) => r.at));
    const result = {
      exitMs: at - sigterm,
      afterLastResponseMs: at - lastResponse,
      completed,
      exitCode: code,
    };
    runs.push(result);
    options.log(
      `drain ${run + 1}/${options.runs}: exit ${result.exitMs.toFixed(1)} ms after SIGTERM, ${result.afterLastResponseMs.toFixed(1)} ms after the last response; ${completed}/${options.inFlight} completed with 201; exit code ${code}`,
    );
  }
  return runs;
}

interface OpenRequest {
  finish(rest: string): Promise<{ status: number; at: number }>;
}

/** A raw HTTP/1.1 request with its head and part of its body sent. */
async function openRequest(
  port: number,
  token: string,
  body: string,
  sent: number,
): Promise<OpenRequest> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(
    [
      'POST /api/greetings HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      `Authorization: Bearer ${token}`,
      'Content-Type: application/json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body.slice(0, sent),
    ].join('\r\n'),
  );
  const status = statusLine(socket);
  return {
    finish: async (rest) => {
      socket.write(rest);
      const result = await status;
      socket.destroy();
      return result;
    },
  };
}

/** The status of the first response line on a socket, and when it arrived. */
function statusLine(socket: Socket): Promise<{ status: number; at: number }> {
  return new Promise((resolve, reject) => {
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (match) resolve({ status: Number(match[1]), at: performance.now() });
    });
    socket.on('error', reject);
    socket.on('close', () => resolve({ status: 0, at: performance.now() }));
  });
}

async function roundTrip(port: number): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  await response.arrayBuffer();
}
