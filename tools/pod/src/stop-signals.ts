const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * An AbortSignal that Ctrl-C (SIGINT), SIGTERM or SIGHUP (the terminal closed) aborts, listened
 * for from this call on: a stop while the Pod is still starting is handled as surely as one
 * while it serves. A second signal only says that the stop is under way: obeying it would leave
 * behind whatever was still being stopped.
 */
export function stopSignal(log: (line: string) => void): AbortSignal {
  const controller = new AbortController();
  for (const name of STOP_SIGNALS) {
    process.on(name, () => {
      if (controller.signal.aborted) {
        log(`${name} again: still stopping, so that nothing is left running`);
        return;
      }
      log(`${name}: stopping`);
      controller.abort(new Error(`stopped by ${name}`));
    });
  }
  return controller.signal;
}

/** Resolves once the signal is aborted, keeping the process alive until then. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  // Docker's containers run in the engine, not under this process: without a timer the event
  // loop could be empty, and the process would exit and leave them behind.
  const keepAlive = setInterval(() => undefined, 60_000);
  return new Promise((resolve) =>
    signal.addEventListener(
      'abort',
      () => {
        clearInterval(keepAlive);
        resolve();
      },
      { once: true },
    ),
  );
}
