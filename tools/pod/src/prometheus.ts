import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort, pinnedImage, request, waitFor } from '@sidecar/testkit';
import { startBackendContainer } from './backend-container';

export interface ScrapeTarget {
  job: string;
  /** host:port on 127.0.0.1 */
  address: string;
  path?: string;
}

export interface Prometheus {
  url: string;
  /** An instant query's samples: each series' labels and value. */
  query(promql: string): Promise<{ metric: Record<string, string>; value: number }[]>;
  /** Waits until every target has been scraped and is up. */
  targetsUp(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A real Prometheus (PROMETHEUS_IMAGE, as make setup left it on this machine) on the host's
 * network, scraping the given targets every second. For the tests of the Pod's metrics.
 */
export async function startPrometheus(targets: ScrapeTarget[]): Promise<Prometheus> {
  const port = await freePort();
  const config = [
    'global:',
    '  scrape_interval: 1s',
    '  scrape_timeout: 1s',
    'scrape_configs:',
    ...targets.flatMap((t) => [
      `  - job_name: ${t.job}`,
      `    metrics_path: ${t.path ?? '/metrics'}`,
      '    static_configs:',
      `      - targets: ['${t.address}']`,
    ]),
  ].join('\n');
  const url = `http://127.0.0.1:${port}`;
  const { stop } = await startBackendContainer({
    name: `sidecar-prometheus-${port}`,
    image: pinnedImage('PROMETHEUS_IMAGE'),
    config: { text: `${config}\n`, mountAt: '/etc/prometheus/prometheus.yml' },
    args: [
      '--config.file=/etc/prometheus/prometheus.yml',
      '--storage.tsdb.path=/prometheus',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    readyUrl: `${url}/-/ready`,
  });
  const api = async (path: string) => {
    const res = await request(`${url}${path}`);
    if (res.status !== 200) throw new Error(`Prometheus ${path}: ${res.status} ${res.text}`);
    return JSON.parse(res.text).data;
  };
  return {
    url,
    query: async (promql) => {
      const data = await api(`/api/v1/query?query=${encodeURIComponent(promql)}`);
      return (data.result as { metric: Record<string, string>; value: [number, string] }[]).map(
        (sample) => ({ metric: sample.metric, value: Number(sample.value[1]) }),
      );
    },
    targetsUp: async (timeoutMs = 30_000) => {
      await waitFor(
        `every scrape target up (${targets.map((t) => t.job).join(', ')})`,
        async () => {
          const { activeTargets } = await api('/api/v1/targets');
          const up = (activeTargets as { health: string }[]).filter((t) => t.health === 'up');
          return up.length === targets.length ? true : undefined;
        },
        timeoutMs,
      );
    },
    stop,
  };
}

/**
 * `promtool check metrics` (from PROMETHEUS_IMAGE) on a /metrics page: Prometheus's own lint of
 * the exposition format and naming. Resolves with its findings, one per line (none: it passed);
 * rejects when promtool could not parse the page at all.
 */
export async function promtoolCheckMetrics(text: string): Promise<string[]> {
  const child = spawn(
    'docker',
    [
      'run',
      '--rm',
      '-i',
      '--network',
      'none',
      '--entrypoint',
      '/bin/promtool',
      pinnedImage('PROMETHEUS_IMAGE'),
      'check',
      'metrics',
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stdin.end(text);
  const [code] = (await once(child, 'close')) as [number | null];
  // 0: clean; 3: lint findings, listed on its output; anything else: it could not read the page.
  if (code !== 0 && code !== 3)
    throw new Error(`promtool check metrics exited ${code}:\n${output}`);
  return output.split('\n').filter(Boolean);
}
