import { cpuCores, plainEnv, renderChartPod, type ChartContainer } from './chart-pod';

describe('plainEnv', () => {
  const container = (resources: ChartContainer['resources']): ChartContainer => ({
    name: 'nginx',
    image: 'nginx',
    resources,
    env: [
      { name: 'PLAIN', value: 'yes' },
      {
        name: 'WORKERS',
        valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1' } },
      },
      { name: 'FROM_A_SECRET', valueFrom: {} },
    ],
  });

  it('sets a CPU field of the Downward API as the kubelet does: the limit in cores, rounded up', () => {
    expect(plainEnv(container({ limits: { cpu: '500m' } }), 8)).toEqual({
      PLAIN: 'yes',
      WORKERS: '1',
    });
    expect(plainEnv(container({ limits: { cpu: '1500m' } }), 8).WORKERS).toBe('2');
  });

  it("takes the node's cores where the container has no limit", () => {
    expect(plainEnv(container({}), 8).WORKERS).toBe('8');
  });

  it("gives NGINX one worker per core of the chart's CPU limit", () => {
    const nginx = renderChartPod({ 'auth.tokens[0]': 'x'.repeat(32) }).containers.find(
      (c) => c.name === 'nginx',
    )!;
    const limit = cpuCores(nginx.resources!.limits!.cpu!);
    expect(plainEnv(nginx, 64).NGINX_WORKER_PROCESSES).toBe(String(Math.ceil(limit)));
  });
});

describe('cpuCores', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    ['1.5', 1.5],
  ])('reads %s as %d cores', (quantity, cores) => expect(cpuCores(quantity)).toBe(cores));

  it('refuses what it cannot read', () => expect(() => cpuCores('half')).toThrow('not a CPU'));
});
