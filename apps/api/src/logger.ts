import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from './config';

/** JSON lines on stdout; the container runtime collects them. */
export function createLogger(level: Config['logLevel'], destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'api' },
      timestamp: pino.stdTimeFunctions.isoTime,
      // A second line of defence: the serializers below never include headers at all.
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
    destination,
  );
}
