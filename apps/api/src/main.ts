import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger } from './logger';
import { Readiness } from './readiness';
import { closeConnectionsWhileDraining, drain } from './shutdown';
import { startTracing } from './tracing';

// Startup, split for the 'listening' line: performance.now() counts from the process's start, and
// this line runs once every module imported above has loaded.
const loadedAt = performance.now();
const tenths = (ms: number) => Math.round(ms * 10) / 10;

function readConfigOrExit(): Config {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG from sysexits.h: "something was found in an unconfigured state"
  }
}

async function main(): Promise<void> {
  const config = readConfigOrExit();
  const logger = createLogger(config.logLevel);
  // Before the app is imported: tracing instruments node:http and Express as they load.
  const tracing = await startTracing(config);
  const { createApp } = await import('./app');
  const configuredAt = performance.now();
  if (config.tokens.length === 0) {
    logger.warn(
      'no API tokens configured (API_TOKENS, API_TOKENS_FILE): every /api/* request gets 401',
    );
  }

  const readiness = new Readiness();
  const server = createApp({ config, logger, readiness }).listen(config.port, config.host, () => {
    const { address, port } = server.address() as AddressInfo;
    readiness.markReady();
    const listeningAt = performance.now();
    // Node's own start and the bundle's load, reading the config and loading the app, binding
    // the port; in ms.
    const startupMs = {
      load: tenths(loadedAt),
      config: tenths(configuredAt - loadedAt),
      listen: tenths(listeningAt - configuredAt),
      total: tenths(listeningAt),
    };
    const tracingTo = config.otelExporterOtlpEndpoint ?? 'off';
    logger.info(
      { address, port, tokens: config.tokens.length, tracing: tracingTo, startupMs },
      'listening',
    );
  });
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  // Node requires headersTimeout above keepAliveTimeout, or idle sockets are cut mid-header.
  server.headersTimeout = config.keepAliveTimeoutMs + 1_000;
  server.on('error', (error) => {
    logger.fatal({ err: error }, 'server error');
    process.exit(1);
  });
  closeConnectionsWhileDraining(server, readiness);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutdown requested');
    drain(server, readiness, {
      delayMs: config.shutdownDelayMs,
      timeoutMs: config.shutdownTimeoutMs,
      logger,
    })
      .then(async (outcome) => {
        // The spans of the last requests, before the process ends.
        await tracing
          ?.shutdown()
          .catch((error: Error) => logger.warn({ err: error }, 'trace export failed'));
        return outcome;
      })
      .then((outcome) => process.exit(outcome === 'drained' ? 0 : 1));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
