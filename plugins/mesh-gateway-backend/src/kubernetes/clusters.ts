import type { Config } from '@backstage/config';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { z } from 'zod';

/** A cluster as the Kubernetes plugin configures it (`kubernetes.clusterLocatorMethods`, type `config`). */
export interface KubernetesClusterConfig {
  name: string;
  url: string;
  serviceAccountToken?: string;
  caData?: string;
  caFile?: string;
  skipTLSVerify: boolean;
}

const clusterSchema = z.object({
  name: z.string().min(1),
  url: z.string().url(),
  serviceAccountToken: z.string().optional(),
  caData: z.string().optional(),
  caFile: z.string().optional(),
  skipTLSVerify: z.boolean().default(false),
});

/**
 * Reads the clusters the Kubernetes plugin already has, so that mesh-gateway needs no cluster
 * configuration of its own. Only the `config` locator lists clusters statically; other locators
 * (catalog, gke, localKubectlProxy) are reported and skipped.
 */
export function readKubernetesClusters(config: Config, logger?: LoggerService): KubernetesClusterConfig[] {
  const methods = config.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  const clusters: KubernetesClusterConfig[] = [];
  methods.forEach((method, m) => {
    const type = method.getString('type');
    if (type !== 'config') {
      logger?.info(`mesh-gateway: kubernetes cluster locator "${type}" is not read; only "config" clusters are used`);
      return;
    }
    (method.getOptionalConfigArray('clusters') ?? []).forEach((cluster, c) => {
      const authProvider = cluster.getOptionalString('authProvider') ?? 'serviceAccount';
      const parsed = clusterSchema.safeParse({
        name: cluster.getString('name'),
        url: cluster.getString('url'),
        serviceAccountToken: cluster.getOptionalString('serviceAccountToken'),
        caData: cluster.getOptionalString('caData'),
        caFile: cluster.getOptionalString('caFile'),
        skipTLSVerify: cluster.getOptionalBoolean('skipTLSVerify'),
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(
          `Invalid config at kubernetes.clusterLocatorMethods[${m}].clusters[${c}].${issue.path.join('.')}: ${issue.message}`,
        );
      }
      if (authProvider !== 'serviceAccount') {
        logger?.info(`mesh-gateway: cluster ${parsed.data.name} uses authProvider ${authProvider}; mesh-gateway reads it with its service account token only`);
      }
      clusters.push(parsed.data);
    });
  });
  return clusters;
}
