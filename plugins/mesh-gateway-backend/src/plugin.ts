import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { meshGatewayPermissions } from '@internal/plugin-mesh-gateway-common';
import { readKongInstances } from './kong/config';
import { readUpstreamPolicyOptions } from './http/policyConfig';
import { createTracesSectionProvider } from './traces';
import { createMetricsSectionProvider } from './metrics';
import { createCertificatesSectionProvider } from './certificates';
import { KongSectionProvider } from './kong/KongSectionProvider';
import { IstioSectionProvider } from './istio/IstioSectionProvider';
import { readKubernetesClusters } from './kubernetes/clusters';
import { KubernetesReader } from './kubernetes/KubernetesReader';
import { MeshSectionService } from './service/MeshSectionService';
import { readCacheConfig } from './service/cacheConfig';
import { createRouter } from './service/router';

/**
 * The mesh-gateway backend plugin: what Kong and Istio do for each catalog entity.
 *
 * @public
 */
export const meshGatewayPlugin = createBackendPlugin({
  pluginId: 'mesh-gateway',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        config: coreServices.rootConfig,
        cache: coreServices.cache,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
      },
      async init({
        logger,
        config,
        cache,
        httpAuth,
        httpRouter,
        permissions,
        permissionsRegistry,
        scheduler,
        catalog,
      }) {
        permissionsRegistry.addPermissions(meshGatewayPermissions);

        const kongInstances = readKongInstances(config);
        const policy = readUpstreamPolicyOptions(config);
        const clusters = readKubernetesClusters(config, logger);
        const kubernetesTimeoutMs =
          config.getOptionalNumber('meshGateway.kubernetes.timeoutMs') ?? 5000;
        const readers = clusters.map(
          cluster =>
            new KubernetesReader(cluster, kubernetesTimeoutMs, 500, policy),
        );
        const kong = new KongSectionProvider({
          instances: kongInstances,
          logger,
          policy,
        });
        if (kongInstances.length > 0) {
          // Instance-wide lists are shared by every entity: keep them warm on each backend
          // instance (local scope: the lists live in this process's memory).
          await scheduler.scheduleTask({
            id: 'mesh-gateway-kong-instance-lists',
            scope: 'local',
            frequency: { seconds: 30 },
            timeout: { seconds: 120 },
            fn: () => kong.refreshInstanceLists(),
          });
        }
        const sections = new MeshSectionService({
          providers: [
            kong,
            new IstioSectionProvider({
              readers,
              rootNamespace:
                config.getOptionalString('meshGateway.istio.rootNamespace') ??
                'istio-system',
              logger,
            }),
            createTracesSectionProvider({ config, logger, policy }),
            createMetricsSectionProvider({ config, logger, policy }),
            createCertificatesSectionProvider({
              config,
              logger,
              readers,
              kongInstances,
              policy,
            }),
          ],
          cache,
          logger,
          ...readCacheConfig(config),
        });
        logger.info(
          `mesh-gateway: ${kongInstances.length} Kong instance(s), ${clusters.length} Kubernetes cluster(s)`,
        );

        httpRouter.use(
          await createRouter({ logger, httpAuth, permissions, catalog, sections }),
        );
      },
    });
  },
});
