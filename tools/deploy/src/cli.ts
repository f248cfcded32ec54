import { deploy, undeploy } from './deploy';
import { dumpNamespace } from './diagnostics';
import { integration } from './integration';
import { kindCluster } from './cluster';
import { say } from './shell';
import { requirePinnedTool } from '@sidecar/testkit';
import { NAMESPACE, RELEASE, TOKEN_SECRET } from './settings';

/**
 * The cluster steps from the command line:
 *   npx tsx tools/deploy/src/cli.ts deploy|undeploy|integration
 * on the kind cluster KIND_CLUSTER (default sidecar; see cluster.ts).
 */
async function main(command: string | undefined): Promise<void> {
  const cluster = kindCluster();
  switch (command) {
    case 'deploy': {
      requirePinnedTool('helm');
      await cluster.ensure();
      try {
        await deploy(cluster);
      } catch (error) {
        dumpNamespace(cluster, NAMESPACE);
        throw error;
      }
      say(`release ${RELEASE} is deployed on kind cluster ${cluster.name}: ${cluster.serviceUrl}/`);
      say(
        `try: curl -H "Authorization: Bearer $(KUBECONFIG=${cluster.env.KUBECONFIG} kubectl -n ${NAMESPACE} get secret ${TOKEN_SECRET} ` +
          `-o jsonpath='{.data.tokens}' | base64 -d | head -1)" ${cluster.serviceUrl}/api/hello`,
      );
      return;
    }
    case 'undeploy':
      requirePinnedTool('helm');
      await undeploy(cluster);
      return;
    case 'integration':
      await integration(cluster);
      return;
    default:
      throw new Error(`usage: cli.ts deploy|undeploy|integration (got '${command ?? ''}')`);
  }
}

main(process.argv[2]).catch((error: Error) => {
  console.error(`[cluster] ERROR: ${error.message}`);
  process.exit(1);
});
