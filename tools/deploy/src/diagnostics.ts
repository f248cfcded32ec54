import { spawnSync } from 'node:child_process';
import type { KindCluster } from './cluster';

/**
 * What a failed run needs for a post-mortem: the Pods, the namespace's events and every
 * container's log (the previous instance's too, after a restart). Best effort: never throws.
 */
export function dumpNamespace(cluster: KindCluster, namespace: string): void {
  const kubectl = (...args: string[]) => {
    console.log(`\n$ kubectl -n ${namespace} ${args.join(' ')}`);
    const result = spawnSync('kubectl', ['-n', namespace, ...args], {
      env: cluster.env,
      encoding: 'utf8',
      timeout: 30_000,
    });
    process.stdout.write(result.stdout ?? '');
    process.stdout.write(result.stderr ?? '');
    return result.stdout ?? '';
  };
  console.log(`\n===== diagnostics for namespace ${namespace} =====`);
  kubectl('get', 'pods,services,endpointslices,events', '-o', 'wide');
  const pods = kubectl('get', 'pods', '-o', 'name').split('\n').filter(Boolean);
  for (const pod of pods) {
    kubectl('describe', pod);
    kubectl('logs', pod, '--all-containers', '--prefix', '--tail=200');
    kubectl('logs', pod, '--all-containers', '--prefix', '--previous', '--tail=100');
  }
  console.log(`===== end of diagnostics for ${namespace} =====\n`);
}
