import { randomBytes } from 'node:crypto';
import { request, waitFor } from '@sidecar/testkit';
import { docker } from './docker';
import { startDockerPod, type DockerPod } from './docker-pod';
import { startJaeger, type Jaeger } from './jaeger';

/**
 * The chart's Pod on Docker with `tracing.otlpEndpoint` set to a real Jaeger. A request sent
 * through NGINX with a known W3C traceparent becomes that trace in Jaeger: the API's server span
 * as a child of the caller's span, named by the route's template, with Express's route span under
 * it; and the trace id is on NGINX's access-log line and on the API's.
 */
describe("the Pod's traces, received by Jaeger", () => {
  const token = randomBytes(16).toString('hex');
  const traceId = randomBytes(16).toString('hex');
  const callerSpanId = randomBytes(8).toString('hex');
  let jaeger: Jaeger;
  let pod: DockerPod;

  beforeAll(async () => {
    jaeger = await startJaeger();
    pod = await startDockerPod({
      token,
      namePrefix: 'sidecar-traces',
      values: { 'tracing.otlpEndpoint': jaeger.otlpEndpoint },
    });
  }, 120_000);
  afterAll(async () => {
    await pod?.stop();
    await jaeger?.stop();
  });

  it("continues the caller's trace through NGINX into the API, with Express's route span", async () => {
    const res = await request(`${pod.baseUrl}/api/hello`, {
      headers: {
        Authorization: `Bearer ${token}`,
        traceparent: `00-${traceId}-${callerSpanId}-01`,
      },
    });
    expect(res.status).toBe(200);

    const spans = await jaeger.trace(traceId, 2);
    const server = spans.find((span) => span.operationName === 'GET /api/hello');
    expect(server).toBeDefined();
    expect(server?.references).toContainEqual(
      expect.objectContaining({ refType: 'CHILD_OF', traceID: traceId, spanID: callerSpanId }),
    );
    const underServer = spans.filter((span) =>
      span.references.some((ref) => ref.spanID === server?.spanID),
    );
    expect(underServer.map((span) => span.operationName)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^router - \/hello$|^request handler/)]),
    );
    process.stdout.write(
      `Jaeger: trace ${traceId}: ${spans.map((span) => span.operationName).join(', ')}\n`,
    );
  }, 60_000);

  it('puts the trace id on the log lines of both containers', async () => {
    const logs = (container: string) =>
      docker('logs', pod.containerName(container)).then((out) => out.split('\n'));
    const withTrace = (lines: string[]) =>
      lines.filter((line) => line.includes(`"traceId":"${traceId}"`));
    // NGINX writes its line once the response is sent: it may come a moment after the answer.
    const nginxLines = await waitFor(
      "NGINX's access-log line of the traced request",
      async () => {
        const found = withTrace(await logs('nginx'));
        return found.length > 0 ? found : undefined;
      },
      10_000,
    );
    expect(JSON.parse(nginxLines[0] ?? '{}')).toMatchObject({ uri: '/api/hello', traceId });
    const apiLine = JSON.parse(withTrace(await logs('api'))[0] ?? '{}');
    expect(apiLine).toMatchObject({ msg: 'request completed', traceId });
    expect(apiLine.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(apiLine.requestId).toBe(JSON.parse(nginxLines[0] ?? '{}').requestId);
  });
});
