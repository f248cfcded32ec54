import { connect } from 'node:net';

export interface RawExchange {
  /** The status of the first response, if one arrived. */
  status?: number;
  /** Everything the server sent. */
  response: string;
  /** 'server': it closed the connection; 'response': a complete response arrived first;
   *  'deadline': neither happened in time (a hang). */
  ended: 'server' | 'response' | 'deadline';
  elapsedMs: number;
}

export interface RawOptions {
  /** Bytes sent first; then `then` (if any) after `pauseMs`, to play a slow client. */
  send: string | Buffer;
  then?: string | Buffer;
  pauseMs?: number;
  /** Give up (and report a hang) after this long. */
  deadlineMs?: number;
  /** Wait for the server to close, even after a complete response (keep-alive checks). */
  untilClose?: boolean;
}

/**
 * Bytes on a raw TCP connection to 127.0.0.1:port, exactly as given: for requests no HTTP
 * client library would send (conflicting framing, bad versions, oversized or stalled headers).
 */
export function rawExchange(port: number, options: RawOptions): Promise<RawExchange> {
  const { deadlineMs = 5_000 } = options;
  return new Promise((resolve) => {
    const started = Date.now();
    const chunks: Buffer[] = [];
    const socket = connect(port, '127.0.0.1');
    let settled = false;
    const finish = (ended: RawExchange['ended']) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(pause);
      socket.destroy();
      const response = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/\d\.\d (\d{3})/.exec(response)?.[1];
      resolve({
        status: status === undefined ? undefined : Number(status),
        response,
        ended,
        elapsedMs: Date.now() - started,
      });
    };
    const deadline = setTimeout(() => finish('deadline'), deadlineMs);
    let pause: NodeJS.Timeout | undefined;
    socket.on('connect', () => {
      socket.write(options.send);
      if (options.then !== undefined) {
        const rest = options.then;
        pause = setTimeout(() => socket.writable && socket.write(rest), options.pauseMs ?? 0);
      }
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (!options.untilClose && isComplete(Buffer.concat(chunks).toString('latin1'))) {
        finish('response');
      }
    });
    // A reset after a refused request still counts as the server ending the exchange.
    socket.on('error', () => finish('server'));
    socket.on('close', () => finish('server'));
  });
}

/** True once the text holds a whole response: its headers and Content-Length bytes of body. */
function isComplete(text: string): boolean {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end))?.[1];
  if (length === undefined) return false;
  return Buffer.byteLength(text.slice(end + 4), 'latin1') >= Number(length);
}

/** The JSON body of a raw response (after the blank line), or undefined. */
export function rawBody(exchange: RawExchange): Record<string, unknown> | undefined {
  const end = exchange.response.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  try {
    return JSON.parse(exchange.response.slice(end + 4)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** A response header's value (the first), case-insensitively. */
export function rawHeader(exchange: RawExchange, name: string): string | undefined {
  const head = exchange.response.split('\r\n\r\n')[0] ?? '';
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}
