import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** The parts of a Kubernetes probe this Pod uses: an HTTP GET. */
export interface HttpProbe {
  httpGet: { path: string; port: number | string; scheme?: 'HTTP' | 'HTTPS'; host?: string };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
}

export interface NamedPort {
  name?: string;
  containerPort: number;
}

/**
 * One probe, performed as the kubelet performs it: GET on the Pod's address and the probe's
 * port (a number, or the name of one of the container's ports), giving up after timeoutSeconds
 * (default 1); any status from 200 to 399 is a success.
 * https://kubernetes.io/docs/concepts/configuration/liveness-readiness-startup-probes/
 */
export function probeOnce(
  probe: HttpProbe,
  ports: NamedPort[],
  podAddress: string,
): Promise<ProbeResult> {
  const { path, port, scheme = 'HTTP' } = probe.httpGet;
  if (scheme !== 'HTTP')
    return Promise.resolve({ ok: false, detail: `scheme ${scheme} is not supported here` });
  const number =
    typeof port === 'number'
      ? port
      : ports.find((candidate) => candidate.name === port)?.containerPort;
  if (number === undefined)
    return Promise.resolve({ ok: false, detail: `no container port named ${port}` });
  const timeoutMs = (probe.timeoutSeconds ?? 1) * 1_000;
  return new Promise((resolve) => {
    const req = request(
      { host: probe.httpGet.host ?? podAddress, port: number, path, timeout: timeoutMs },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        resolve({
          ok: status >= 200 && status < 400,
          detail: `GET :${number}${path} -> ${status}`,
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (error) =>
      resolve({ ok: false, detail: `GET :${number}${path} -> ${error.message}` }),
    );
    req.end();
  });
}

export interface ProbeResult {
  ok: boolean;
  detail: string;
}

/**
 * Repeats a probe every periodSeconds until it succeeds, or fails once it has failed
 * failureThreshold times in a row (the kubelet's defaults: period 10 s, threshold 3). An abort
 * (Ctrl-C while the Pod starts) ends the wait with the signal's AbortError.
 */
export async function probeUntilSuccess(
  probe: HttpProbe,
  ports: NamedPort[],
  podAddress: string,
  signal?: AbortSignal,
): Promise<ProbeResult> {
  const periodMs = (probe.periodSeconds ?? 10) * 1_000;
  const threshold = probe.failureThreshold ?? 3;
  await sleep((probe.initialDelaySeconds ?? 0) * 1_000, undefined, { signal });
  let last: ProbeResult = { ok: false, detail: 'not probed' };
  for (let failures = 0; failures < threshold; failures++) {
    const started = Date.now();
    last = await probeOnce(probe, ports, podAddress);
    if (last.ok) return last;
    await sleep(Math.max(0, periodMs - (Date.now() - started)), undefined, { signal });
  }
  return { ok: false, detail: `failed ${threshold} times in a row; last: ${last.detail}` };
}
