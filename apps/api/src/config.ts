import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Every setting of the API, read once from the environment at start. Each key is set by the
 * variable its name spells in upper snake case (keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS), so
 * the variable is not written twice; each key shows its default and says what it is for.
 */
const settingsSchema = z.object({
  /** PORT: the port the API listens on. 0 asks the OS for a free one (tests). */
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * HOST: the address to bind. In a Pod the kubelet probes the Pod IP, so the chart sets 0.0.0.0.
   */
  host: z.string().trim().min(1).default('127.0.0.1'),
  /** LOG_LEVEL: the least severe level logged; 'silent' logs nothing. */
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** API_TOKENS: bearer tokens accepted on /api/*, comma-separated. */
  apiTokens: z.string().optional(),
  /** API_TOKENS_FILE: a file with one token per line (a mounted Kubernetes Secret). */
  apiTokensFile: z.string().min(1).optional(),
  /** BODY_LIMIT: the largest JSON body accepted, in body-parser's notation (bytes, kb or mb). */
  bodyLimit: z
    .string()
    .regex(/^\d+(b|kb|mb)?$/i, 'a size such as 100kb, 1mb or 2048')
    .default('100kb'),
  /**
   * SHUTDOWN_DELAY_MS: after SIGTERM, how long /readyz answers 503 before the server stops
   * accepting.
   */
  shutdownDelayMs: z.coerce.number().int().min(0).default(0),
  /**
   * SHUTDOWN_TIMEOUT_MS: after SIGTERM, the deadline for in-flight requests; past it the process
   * exits 1.
   */
  shutdownTimeoutMs: z.coerce.number().int().min(1).default(10_000),
  /**
   * KEEP_ALIVE_TIMEOUT_MS: the idle keep-alive timeout. It must outlast NGINX's upstream
   * keepalive_timeout, or NGINX may reuse a socket Node is closing and answer 502.
   */
  keepAliveTimeoutMs: z.coerce.number().int().min(1).default(65_000),
  /**
   * METRICS_ENABLED: Prometheus metrics on GET /metrics of the API's port (true or false). NGINX
   * never routes that path: the scraper reaches the Pod's API port directly.
   */
  metricsEnabled: z.stringbool().default(true),
  /**
   * OTEL_EXPORTER_OTLP_ENDPOINT: the OTLP/HTTP collector's base URL (traces go to /v1/traces of
   * it). Unset, tracing is off and costs nothing.
   */
  otelExporterOtlpEndpoint: z.url({ protocol: /^https?$/ }).optional(),
  /** OTEL_SERVICE_NAME: the service.name of the API's spans. */
  otelServiceName: z.string().trim().min(1).default('api'),
  /**
   * OTEL_TRACES_SAMPLER_ARG: the share of new traces sampled, from 0 to 1; a trace NGINX passes
   * on keeps its caller's decision.
   */
  otelTracesSamplerArg: z.coerce.number().min(0).max(1).default(1),
  /** NODE_ENV: what kind of deployment this is; the image sets `production`. */
  nodeEnv: z.string().trim().optional(),
  /**
   * FAULT_INJECTION_ENABLED: for fault tests only (true or false). Serves POST
   * /fault/exhaust-memory on the API's port (NGINX never routes /fault/), which allocates until
   * the container's memory limit kills the process. Refused when NODE_ENV is production.
   */
  faultInjectionEnabled: z.stringbool().default(false),
});

type ReadFile = (path: string) => string;

/** The settings with the tokens of API_TOKENS and of API_TOKENS_FILE merged into one list. */
function configSchema(readFile: ReadFile) {
  return settingsSchema.transform(({ apiTokens, apiTokensFile, ...settings }, ctx) => {
    if (settings.faultInjectionEnabled && settings.nodeEnv === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['faultInjectionEnabled'],
        message:
          'must stay off when NODE_ENV is production: it lets any caller of the API port exhaust its memory',
      });
      return z.NEVER;
    }
    try {
      const file = apiTokensFile === undefined ? '' : readFile(apiTokensFile);
      const tokens: readonly string[] = [
        ...splitTokens(apiTokens ?? '', /,/),
        ...splitTokens(file, /\r?\n/),
      ];
      return { ...settings, tokens };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      ctx.addIssue({
        code: 'custom',
        path: ['apiTokensFile'],
        message: `cannot be read (${reason})`,
      });
      return z.NEVER;
    }
  });
}

export type Config = z.output<ReturnType<typeof configSchema>>;

/** A configuration problem; the message names every bad variable and what it was set to. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(
  env: Record<string, string | undefined>,
  readFile: ReadFile = (path) => readFileSync(path, 'utf8'),
): Config {
  const given = Object.fromEntries(
    Object.keys(settingsSchema.shape).map((key) => {
      const value = env[variableOf(key)];
      // An empty variable means "not set", as it does for most twelve-factor apps.
      return [key, value === '' ? undefined : value];
    }),
  );
  const parsed = configSchema(readFile).safeParse(given);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = variableOf(String(issue.path[0]));
    return `${variable}: ${issue.message} (got ${JSON.stringify(env[variable])})`;
  });
  throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
}

/** The variable that sets a key: keepAliveTimeoutMs is KEEP_ALIVE_TIMEOUT_MS. */
function variableOf(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();
}

function splitTokens(list: string, separator: RegExp): string[] {
  return list
    .split(separator)
    .map((token) => token.trim())
    .filter((token) => token.length > 0);
}
