import {
  compatWrapper,
  convertLegacyRouteRef,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { MeshGatewayClient, meshGatewayApiRef } from './api';
import { isMeshGatewayAvailable } from './isMeshGatewayAvailable';
import { rootRouteRef } from './routes';

/** @alpha */
export const meshGatewayApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: meshGatewayApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MeshGatewayClient({ discoveryApi, fetchApi }),
    }),
});

/** @alpha */
export const meshGatewayEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/mesh',
    title: 'Mesh',
    group: 'observability',
    filter: isMeshGatewayAvailable,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    loader: () =>
      import('./components/EntityMeshGatewayContent').then(m =>
        compatWrapper(<m.EntityMeshGatewayContent />),
      ),
  },
});

/** @alpha */
export const meshGatewayEntitySummaryCard = EntityCardBlueprint.make({
  name: 'summary',
  params: {
    filter: isMeshGatewayAvailable,
    loader: () =>
      import('./components/EntityMeshGatewaySummaryCard').then(m =>
        compatWrapper(<m.EntityMeshGatewaySummaryCard />),
      ),
  },
});

/**
 * The mesh-gateway plugin for the new frontend system: the Mesh tab on entity pages whose
 * entity carries a mesh-gateway or Kubernetes annotation, and a summary card for the overview.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'mesh-gateway',
  info: { packageJson: () => import('../package.json') },
  extensions: [
    meshGatewayApi,
    meshGatewayEntityContent,
    meshGatewayEntitySummaryCard,
  ],
  routes: convertLegacyRouteRefs({ root: rootRouteRef }),
});
