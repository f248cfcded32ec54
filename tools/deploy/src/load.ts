/**
 * A bounded HTTP load loop for the rolling-update test: `concurrency` workers, each sending one
 * request after another over keep-alive connections (Node's fetch pools them), until
 * `maxRequests` have been sent, `maxDurationMs` has passed or stop() is called. Every response
 * and every failure is counted; nothing is retried, so a dropped request shows up as an error.
 */
export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  concurrency: number;
  maxRequests: number;
  maxDurationMs: number;
  /** A request that takes longer counts as a connection error. */
  requestTimeoutMs: number;
}

export interface LoadFigures {
  sent: number;
  ok: number;
  /** Responses whose status was not 2xx, by status. */
  non2xx: Record<number, number>;
  /** Requests that got no response at all (reset, refused, timed out), by error. */
  connectionErrors: Record<string, number>;
  durationMs: number;
}

export interface RunningLoad {
  /** The figures so far. */
  figures(): LoadFigures;
  /** Resolves when the loop ends by itself: maxRequests sent or maxDurationMs passed. */
  finished: Promise<LoadFigures>;
  /** Stops sending and resolves when every in-flight request has finished. */
  stop(): Promise<LoadFigures>;
}

/** The innermost cause of a fetch failure (`fetch failed` wraps ECONNRESET and the like). */
function errorName(error: unknown): string {
  let current = error as
    { cause?: unknown; code?: string; name?: string; message?: string } | undefined;
  while (current?.cause) current = current.cause as typeof current;
  return current?.code ?? current?.name ?? String(current?.message ?? error);
}

export function startLoad(options: LoadOptions): RunningLoad {
  const started = Date.now();
  const deadline = started + options.maxDurationMs;
  let stopped = false;
  let sent = 0;
  let ok = 0;
  const non2xx: Record<number, number> = {};
  const connectionErrors: Record<string, number> = {};

  const worker = async () => {
    while (!stopped && sent < options.maxRequests && Date.now() < deadline) {
      sent += 1;
      try {
        const response = await fetch(options.url, {
          headers: options.headers,
          signal: AbortSignal.timeout(options.requestTimeoutMs),
        });
        await response.arrayBuffer();
        if (response.status >= 200 && response.status < 300) ok += 1;
        else non2xx[response.status] = (non2xx[response.status] ?? 0) + 1;
      } catch (error) {
        const name = errorName(error);
        connectionErrors[name] = (connectionErrors[name] ?? 0) + 1;
      }
    }
  };
  const workers = Promise.all(Array.from({ length: options.concurrency }, worker));
  const figures = (): LoadFigures => ({
    sent,
    ok,
    non2xx: { ...non2xx },
    connectionErrors: { ...connectionErrors },
    durationMs: Date.now() - started,
  });
  return {
    figures,
    finished: workers.then(figures),
    async stop() {
      stopped = true;
      await workers;
      return figures();
    },
  };
}

export const count = (byKind: Record<string | number, number>): number =>
  Object.values(byKind).reduce((sum, n) => sum + n, 0);

export function describeFigures(figures: LoadFigures): string {
  const detail = (byKind: Record<string | number, number>) =>
    Object.keys(byKind).length
      ? ` (${Object.entries(byKind)
          .map(([kind, n]) => `${kind}: ${n}`)
          .join(', ')})`
      : '';
  return (
    `${figures.sent} requests in ${(figures.durationMs / 1000).toFixed(1)}s ` +
    `(${Math.round((figures.sent * 1000) / Math.max(figures.durationMs, 1))}/s): ${figures.ok} 2xx, ` +
    `${count(figures.non2xx)} non-2xx${detail(figures.non2xx)}, ` +
    `${count(figures.connectionErrors)} connection errors${detail(figures.connectionErrors)}`
  );
}
