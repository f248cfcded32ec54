import { ConfigError, loadConfig } from './config';

const noFiles = (path: string): string => {
  throw new Error(`ENOENT: no such file or directory, open '${path}'`);
};

describe('loadConfig', () => {
  it('uses safe defaults when nothing is set', () => {
    expect(loadConfig({}, noFiles)).toEqual({
      port: 3000,
      host: '127.0.0.1',
      logLevel: 'info',
      tokens: [],
      bodyLimit: '100kb',
      shutdownDelayMs: 0,
      shutdownTimeoutMs: 10_000,
      keepAliveTimeoutMs: 65_000,
      metricsEnabled: true,
      otelServiceName: 'api',
      otelTracesSamplerArg: 1,
      faultInjectionEnabled: false,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '0',
        HOST: '0.0.0.0',
        LOG_LEVEL: 'debug',
        API_TOKENS: ' one , two ,',
        BODY_LIMIT: '1mb',
        SHUTDOWN_DELAY_MS: '5000',
        SHUTDOWN_TIMEOUT_MS: '20000',
        KEEP_ALIVE_TIMEOUT_MS: '70000',
        METRICS_ENABLED: 'false',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_SERVICE_NAME: 'orders',
        OTEL_TRACES_SAMPLER_ARG: '0.25',
        NODE_ENV: 'test',
        FAULT_INJECTION_ENABLED: 'true',
      },
      noFiles,
    );
    expect(config).toEqual({
      port: 0,
      host: '0.0.0.0',
      logLevel: 'debug',
      tokens: ['one', 'two'],
      bodyLimit: '1mb',
      shutdownDelayMs: 5000,
      shutdownTimeoutMs: 20000,
      keepAliveTimeoutMs: 70000,
      metricsEnabled: false,
      otelExporterOtlpEndpoint: 'http://collector:4318',
      otelServiceName: 'orders',
      otelTracesSamplerArg: 0.25,
      nodeEnv: 'test',
      faultInjectionEnabled: true,
    });
  });

  it('refuses fault injection in production, naming the variable', () => {
    const load = () =>
      loadConfig({ NODE_ENV: 'production', FAULT_INJECTION_ENABLED: 'true' }, noFiles);
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      'FAULT_INJECTION_ENABLED: must stay off when NODE_ENV is production: it lets any caller of the API port exhaust its memory (got "true")',
    );
    expect(loadConfig({ NODE_ENV: 'production' }, noFiles).faultInjectionEnabled).toBe(false);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: '' }, noFiles).port).toBe(3000);
  });

  it('adds the tokens of API_TOKENS_FILE, one per line, to those of API_TOKENS', () => {
    const files: Record<string, string> = { '/secrets/tokens': 'alpha\r\n\nbeta\n' };
    const config = loadConfig(
      { API_TOKENS: 'env', API_TOKENS_FILE: '/secrets/tokens' },
      (path) => files[path] ?? noFiles(path),
    );
    expect(config.tokens).toEqual(['env', 'alpha', 'beta']);
  });

  it.each([
    ['PORT', 'http', /PORT: .*expected number.*"http"/],
    ['PORT', '70000', /PORT: .*<=65535.*"70000"/],
    ['PORT', '-1', /PORT: .*>=0/],
    ['PORT', '80.5', /PORT: .*expected int/],
    ['HOST', '  ', /HOST: .*>=1 characters/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: .*"fatal".*"loud"/],
    ['BODY_LIMIT', 'big', /BODY_LIMIT: a size such as 100kb, 1mb or 2048 \(got "big"\)/],
    ['SHUTDOWN_DELAY_MS', '-5', /SHUTDOWN_DELAY_MS: .*>=0/],
    ['SHUTDOWN_TIMEOUT_MS', '0', /SHUTDOWN_TIMEOUT_MS: .*>=1/],
    ['KEEP_ALIVE_TIMEOUT_MS', 'soon', /KEEP_ALIVE_TIMEOUT_MS: .*expected number/],
  ])('rejects %s=%j with a message naming the variable', (name, value, pattern) => {
    const attempt = () => loadConfig({ [name]: value }, noFiles);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(pattern);
  });

  it('lists every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'y' }, noFiles)).toThrow(
      /PORT:[\s\S]*LOG_LEVEL:/,
    );
  });

  it('names the OpenTelemetry variables when they are out of range', () => {
    expect(() =>
      loadConfig(
        { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318', OTEL_TRACES_SAMPLER_ARG: '2' },
        noFiles,
      ),
    ).toThrow(/OTEL_EXPORTER_OTLP_ENDPOINT:[\s\S]*OTEL_TRACES_SAMPLER_ARG:/);
  });

  it('names METRICS_ENABLED when it is not a boolean', () => {
    expect(() => loadConfig({ METRICS_ENABLED: 'maybe' }, noFiles)).toThrow(
      /METRICS_ENABLED: .* \(got "maybe"\)/,
    );
  });

  it('names API_TOKENS_FILE when the file cannot be read', () => {
    expect(() => loadConfig({ API_TOKENS_FILE: '/missing' }, noFiles)).toThrow(
      /API_TOKENS_FILE: cannot be read \(ENOENT.*\) \(got "\/missing"\)/,
    );
  });
});
