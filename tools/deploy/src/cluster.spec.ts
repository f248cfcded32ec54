import { kindCluster, kindServiceUrl } from './cluster';

describe('the kind cluster', () => {
  it('is reached on the loopback port that tools/kind/cluster.yaml maps to the NodePort', () => {
    expect(kindServiceUrl()).toBe('http://127.0.0.1:8080');
  });

  it('is KIND_CLUSTER, with a kubeconfig of its own under .cache/kind', () => {
    const cluster = kindCluster('dev');
    expect(cluster.name).toBe('dev');
    expect(cluster.env.KUBECONFIG).toMatch(/\/\.cache\/kind\/dev\.kubeconfig$/);
    expect(cluster.valuesFile).toMatch(/\/tools\/kind\/values\.yaml$/);
  });
});
