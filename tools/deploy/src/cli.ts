import { deploy, undeploy } from './deploy';
import { dumpNamespace } from './diagnostics';
import { integration } from './integration';
import { chooseProvider } from './providers';
import { say } from './shell';
import { requirePinnedTool } from '@sidecar/testkit';
import { NAMESPACE, RELEASE, TOKEN_SECRET } from './settings';

/**
 * The cluster steps from the command line:
 *   npx tsx tools/deploy/src/cli.ts deploy|undeploy|integration
 * The cluster is CLUSTER_PROVIDER (kind or local), or detected (see providers.ts).
 */
async function main(command: string | undefined): Promise<void> {
  const provider = chooseProvider();
  switch (command) {
    case 'deploy': {
      requirePinnedTool('helm');
      await provider.ensureCluster();
      try {
        await deploy(provider);
      } catch (error) {
        dumpNamespace(provider, NAMESPACE);
        throw error;
      }
      say(`release ${RELEASE} is deployed on ${provider.name}: ${provider.serviceUrl(NAMESPACE)}/`);
      say(
        `try: curl -H "Authorization: Bearer $(KUBECONFIG=${provider.env.KUBECONFIG} kubectl -n ${NAMESPACE} get secret ${TOKEN_SECRET} ` +
          `-o jsonpath='{.data.tokens}' | base64 -d | head -1)" ${provider.serviceUrl(NAMESPACE)}/api/hello`,
      );
      return;
    }
    case 'undeploy':
      requirePinnedTool('helm');
      await undeploy(provider);
      return;
    case 'integration':
      await integration(provider);
      return;
    default:
      throw new Error(`usage: cli.ts deploy|undeploy|integration (got '${command ?? ''}')`);
  }
}

main(process.argv[2]).catch((error: Error) => {
  console.error(`[cluster] ERROR: ${error.message}`);
  process.exit(1);
});
