import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { MeshGatewayClient, meshGatewayApiRef } from './api';
import { rootRouteRef } from './routes';

/**
 * The mesh-gateway frontend plugin: what Kong and Istio really do for a catalog entity.
 *
 * @public
 */
export const meshGatewayPlugin = createPlugin({
  id: 'mesh-gateway',
  routes: {
    root: rootRouteRef,
  },
  apis: [
    createApiFactory({
      api: meshGatewayApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MeshGatewayClient({ discoveryApi, fetchApi }),
    }),
  ],
});

/**
 * The Mesh tab of the entity page.
 *
 * @public
 */
export const EntityMeshGatewayContent = meshGatewayPlugin.provide(
  createRoutableExtension({
    name: 'EntityMeshGatewayContent',
    component: () =>
      import('./components/EntityMeshGatewayContent').then(
        m => m.EntityMeshGatewayContent,
      ),
    mountPoint: rootRouteRef,
  }),
);

/**
 * Overview card: one status line per section, with a link to the Mesh tab.
 *
 * @public
 */
export const EntityMeshGatewaySummaryCard = meshGatewayPlugin.provide(
  createComponentExtension({
    name: 'EntityMeshGatewaySummaryCard',
    component: {
      lazy: () =>
        import('./components/EntityMeshGatewaySummaryCard').then(
          m => m.EntityMeshGatewaySummaryCard,
        ),
    },
  }),
);

/**
 * The entity's Kong routes, upstream health and findings.
 *
 * @public
 */
export const EntityKongRoutesCard = meshGatewayPlugin.provide(
  createComponentExtension({
    name: 'EntityKongRoutesCard',
    component: {
      lazy: () => import('./components/kong').then(m => m.EntityKongRoutesCard),
    },
  }),
);

/**
 * The Kong plugins that apply to the entity's services, with their configuration.
 *
 * @public
 */
export const EntityKongPluginsCard = meshGatewayPlugin.provide(
  createComponentExtension({
    name: 'EntityKongPluginsCard',
    component: {
      lazy: () =>
        import('./components/kong').then(m => m.EntityKongPluginsCard),
    },
  }),
);

/**
 * The entity's Istio policies per cluster: effective mTLS per port, who may call the service,
 * traffic rules, resilience settings, findings, and each object's YAML.
 *
 * @public
 */
export const EntityIstioPoliciesCard = meshGatewayPlugin.provide(
  createComponentExtension({
    name: 'EntityIstioPoliciesCard',
    component: {
      lazy: () =>
        import('./components/istio').then(m => m.EntityIstioPoliciesCard),
    },
  }),
);

/**
 * Traces of the entity's service: percentiles against the SLO, errors, gateway coverage and the
 * time per hop, slowest and failed traces linking to the Jaeger UI.
 *
 * @public
 */
export const EntityTracesCard = meshGatewayPlugin.provide(
  createComponentExtension({
    name: 'EntityTracesCard',
    component: {
      lazy: () => import('./components/traces').then(m => m.EntityTracesCard),
    },
  }),
);

/**
 * The service's neighbourhood from its traces: who calls it and whom it calls.
 *
 * @public
 */
export const EntityServiceGraphCard = meshGatewayPlugin.provide(
  createComponentExtension({
    name: 'EntityServiceGraphCard',
    component: {
      lazy: () =>
        import('./components/serviceGraph').then(m => m.EntityServiceGraphCard),
    },
  }),
);

/**
 * Golden signals from Prometheus: request rate, errors and latency at the gateway and in the
 * mesh against the SLO, error budget left and the share of mutual TLS.
 *
 * @public
 */
export const EntityGoldenSignalsCard = meshGatewayPlugin.provide(
  createComponentExtension({
    name: 'EntityGoldenSignalsCard',
    component: {
      lazy: () =>
        import('./components/metrics').then(m => m.EntityGoldenSignalsCard),
    },
  }),
);

/**
 * Every certificate on the service's path (cert-manager, Kong, the mesh root CA, the live
 * endpoints) with days left, sorted by urgency, and what to do about each problem.
 *
 * @public
 */
export const EntityCertificateHealthCard = meshGatewayPlugin.provide(
  createComponentExtension({
    name: 'EntityCertificateHealthCard',
    component: {
      lazy: () =>
        import('./components/certificates').then(m => m.EntityCertificateHealthCard),
    },
  }),
);
