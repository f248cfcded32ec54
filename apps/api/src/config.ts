import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Every setting of the API, read once from the environment at start.
 * Each key: the variable that sets it, its default, and what it is for.
 */
const environmentSchema = z.object({
  /** Port the API listens on. 0 asks the OS for a free one (tests). */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Address to bind. In a Pod the kubelet probes the Pod IP, so the chart sets 0.0.0.0. */
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Bearer tokens accepted on /api/*, comma-separated. */
  API_TOKENS: z.string().optional(),
  /** A file with one token per line: a mounted Kubernetes Secret. */
  API_TOKENS_FILE: z.string().min(1).optional(),
  /** Largest JSON body accepted, in body-parser's notation (bytes, or with kb/mb). */
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)?$/i, 'a size such as 100kb, 1mb or 2048')
    .default('100kb'),
  /** After SIGTERM, how long /readyz answers 503 before the server stops accepting. */
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).default(0),
  /** After SIGTERM, the deadline for in-flight requests; past it the process exits 1. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1).default(10_000),
  /**
   * Idle keep-alive timeout. It must outlast NGINX's upstream keepalive_timeout, or NGINX may
   * reuse a socket Node is closing and answer 502.
   */
  KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(1).default(65_000),
});

export interface Config {
  port: number;
  host: string;
  logLevel: z.infer<typeof environmentSchema>['LOG_LEVEL'];
  tokens: readonly string[];
  bodyLimit: string;
  shutdownDelayMs: number;
  shutdownTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

/** A configuration problem; the message names every bad variable and what was expected. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Environment = Record<string, string | undefined>;
type ReadFile = (path: string) => string;

export function loadConfig(
  env: Environment,
  readFile: ReadFile = (path) => readFileSync(path, 'utf8'),
): Config {
  // An empty variable means "not set", as it does for most twelve-factor apps.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) =>
        `${issue.path.join('.')}: ${issue.message} (got ${JSON.stringify(env[String(issue.path[0])])})`,
    );
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const vars = parsed.data;
  return {
    port: vars.PORT,
    host: vars.HOST,
    logLevel: vars.LOG_LEVEL,
    tokens: [
      ...splitTokens(vars.API_TOKENS, /,/),
      ...readTokensFile(vars.API_TOKENS_FILE, readFile),
    ],
    bodyLimit: vars.BODY_LIMIT,
    shutdownDelayMs: vars.SHUTDOWN_DELAY_MS,
    shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS,
    keepAliveTimeoutMs: vars.KEEP_ALIVE_TIMEOUT_MS,
  };
}

function splitTokens(list: string | undefined, separator: RegExp): string[] {
  return (list ?? '')
    .split(separator)
    .map((token) => token.trim())
    .filter((token) => token.length > 0);
}

function readTokensFile(path: string | undefined, readFile: ReadFile): string[] {
  if (path === undefined) return [];
  try {
    return splitTokens(readFile(path), /\r?\n/);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      `Invalid configuration:\n  API_TOKENS_FILE: cannot read ${path} (${reason})`,
    );
  }
}
