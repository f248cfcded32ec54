/** Stops the Pod the global setup started; a container or process that exits non-zero fails the run. */
export default async function globalTeardown(): Promise<void> {
  const pod = globalThis.podUnderTest;
  if (!pod) return;
  const codes: Record<string, number | string | null> = await pod.stop();
  const failed = Object.entries(codes).filter(([, code]) => code !== 0 && code !== 'stopped');
  if (failed.length > 0) throw new Error(`the Pod did not stop cleanly: ${JSON.stringify(codes)}`);
  process.stderr.write(`[e2e] Pod stopped cleanly: ${JSON.stringify(codes)}\n`);
}
