import { Agent, request } from 'node:http';

export interface Outcome {
  sentAt: number;
  doneAt: number;
  status?: number;
  error?: string;
  /** Sent again on a new connection after the first attempt's connection closed unanswered. */
  retried?: boolean;
  post: boolean;
}

export interface ClosedLoop {
  outcomes: Outcome[];
  /** Stop sending new requests; resolves once every request in flight has its outcome. */
  stop(): Promise<void>;
}

export interface ClosedLoopOptions {
  url: string;
  token: string;
  concurrency: number;
  /** Per-request timeout: a request without an answer by then counts as lost. */
  timeoutMs?: number;
}

/** How often an unanswered request is sent at most. */
const MAX_SENDS = 3;

/**
 * The one load this suite does not give to vegeta (@sidecar/testkit's load generator): the
 * `nginx -s reload` check, whose client must send a request again on a new connection when its
 * connection closed before any byte of a response came back, as RFC 9112 section 9.3.1 lets
 * clients do. vegeta never retries, and Go's net/http retries only on reused connections (and a
 * POST not at all), while this check needs a new connection per request (`Connection: close`)
 * so that every request is one NGINX either reads or never sees. Alternates the protected GET
 * and the POST, `concurrency` at a time, and keeps every request's send and answer time.
 */
export function startClosedLoop(options: ClosedLoopOptions): ClosedLoop {
  const agent = new Agent({ keepAlive: false, maxSockets: options.concurrency });
  const outcomes: Outcome[] = [];
  let sending = true;
  const attempt = (n: number): Promise<Outcome & { unanswered?: boolean }> =>
    new Promise((resolve) => {
      const post = n % 2 === 1;
      const sentAt = Date.now();
      let answered = false;
      const req = request(
        `${options.url}${post ? '/api/greetings' : '/api/hello'}`,
        {
          method: post ? 'POST' : 'GET',
          agent,
          timeout: options.timeoutMs ?? 10_000,
          headers: {
            Authorization: `Bearer ${options.token}`,
            ...(post ? { 'Content-Type': 'application/json' } : {}),
          },
        },
        (res) => {
          answered = true;
          res.resume();
          res.on('end', () =>
            resolve({ post, sentAt, doneAt: Date.now(), status: res.statusCode }),
          );
          res.on('error', (error) =>
            resolve({ post, sentAt, doneAt: Date.now(), error: error.message }),
          );
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer in time')));
      req.on('error', (error: NodeJS.ErrnoException) =>
        resolve({
          post,
          sentAt,
          doneAt: Date.now(),
          error: error.message,
          unanswered:
            !answered && (error.code === 'ECONNRESET' || error.message === 'socket hang up'),
        }),
      );
      req.end(post ? JSON.stringify({ name: `request ${n}` }) : undefined);
    });
  const once = async (n: number): Promise<Outcome> => {
    const { unanswered, ...first } = await attempt(n);
    if (!unanswered) return first;
    // During a reload the new connection may reach another old worker on its way out, so a
    // client sends again a few times; a request that was never read is never done twice.
    let last: Outcome & { unanswered?: boolean } = { ...first, unanswered };
    for (let tries = 1; tries < MAX_SENDS && last.unanswered; tries += 1) last = await attempt(n);
    return {
      post: last.post,
      sentAt: first.sentAt,
      doneAt: last.doneAt,
      status: last.status,
      error: last.error,
      retried: true,
    };
  };
  let counter = 0;
  const workers = Array.from({ length: options.concurrency }, async () => {
    while (sending) outcomes.push(await once(counter++));
  });
  return {
    outcomes,
    stop: async () => {
      sending = false;
      await Promise.all(workers);
      agent.destroy();
    },
  };
}

/** Median and 99th percentile latency of the answered requests, in ms. */
export function latencyOf(outcomes: Outcome[]): { p50: number; p99: number } {
  const sorted = outcomes.map((o) => o.doneAt - o.sentAt).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99) };
}
