import { assertLocalUrl, chooseProvider, kindServiceUrl } from './providers';

describe('cluster providers', () => {
  it('reach kind’s Service on the loopback port that tools/kind/cluster.yaml maps to the NodePort', () => {
    expect(kindServiceUrl()).toBe('http://127.0.0.1:8080');
  });

  it('accept a URL on an address of this machine', () => {
    expect(assertLocalUrl('http://127.0.0.1:30080/')).toBe('http://127.0.0.1:30080/');
  });

  it('refuse a URL whose host is not on this machine, so no test sends traffic elsewhere', () => {
    expect(() => assertLocalUrl('http://203.0.113.7:30080/')).toThrow(
      /203\.0\.113\.7 is not an address of this machine/,
    );
  });

  it('take CLUSTER_PROVIDER as given, and refuse anything but kind or local', () => {
    expect(chooseProvider('kind').name).toBe('kind');
    expect(chooseProvider('local').name).toBe('local');
    expect(() => chooseProvider('minikube')).toThrow(
      /CLUSTER_PROVIDER must be kind or local, not 'minikube'/,
    );
  });
});
