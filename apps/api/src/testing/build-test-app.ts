import { Writable } from 'node:stream';
import { createApp } from '../app';
import { loadConfig } from '../config';
import { createLogger } from '../logger';
import { Readiness } from '../readiness';

export const TEST_TOKEN = 'test-token-0123456789';

/** The app as main.ts builds it, with every log line kept in memory for assertions. */
export function buildTestApp(env: Record<string, string> = {}) {
  const config = loadConfig({ API_TOKENS: TEST_TOKEN, LOG_LEVEL: 'info', ...env });
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const logger = createLogger(config.logLevel, sink);
  const readiness = new Readiness();
  readiness.markReady();
  const app = createApp({ config, logger, readiness });
  return { app, config, readiness, logger, logLines: () => lines.map((line) => JSON.parse(line)) };
}
