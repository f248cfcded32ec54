import { Agent, request } from 'node:http';

export interface Outcome {
  sentAt: number;
  doneAt: number;
  status?: number;
  error?: string;
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

/**
 * A closed-loop load generator that keeps every request's send and answer time, for checks that
 * need to know which requests were in flight at a given moment (autocannon aggregates those
 * away, and aborts what is in flight when stopped). Keep-alive connections, as a Service's
 * clients and NGINX use them. Alternates the protected GET and the POST.
 */
export function startClosedLoop(options: ClosedLoopOptions): ClosedLoop {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const outcomes: Outcome[] = [];
  let sending = true;
  const once = (n: number): Promise<Outcome> =>
    new Promise((resolve) => {
      const post = n % 2 === 1;
      const sentAt = Date.now();
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
          res.resume();
          res.on('end', () => resolve({ sentAt, doneAt: Date.now(), status: res.statusCode }));
          res.on('error', (error) => resolve({ sentAt, doneAt: Date.now(), error: error.message }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer in time')));
      req.on('error', (error) => resolve({ sentAt, doneAt: Date.now(), error: error.message }));
      req.end(post ? JSON.stringify({ name: `request ${n}` }) : undefined);
    });
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
