import { createApiRef } from '@backstage/core-plugin-api';
import type { CompoundEntityRef } from '@backstage/catalog-model';
import type {
  EntityMeshOverview,
  MeshGatewaySectionData,
  MeshGatewaySectionName,
  SectionResult,
} from '@internal/plugin-mesh-gateway-common';

/**
 * An entity, as a compound reference or as a string reference (`kind:namespace/name`; the
 * namespace defaults to `default`).
 *
 * @public
 */
export type MeshGatewayEntityRef = CompoundEntityRef | string;

/**
 * Reads what the gateway and the mesh do for a catalog entity, from the mesh-gateway backend.
 *
 * @public
 */
export interface MeshGatewayApi {
  /** Every section of the entity's mesh view. */
  getOverview(entityRef: MeshGatewayEntityRef): Promise<EntityMeshOverview>;
  /** One section of the entity's mesh view. */
  getSection<S extends MeshGatewaySectionName>(
    entityRef: MeshGatewayEntityRef,
    section: S,
  ): Promise<SectionResult<MeshGatewaySectionData[S]>>;
}

/** @public */
export const meshGatewayApiRef = createApiRef<MeshGatewayApi>({
  id: 'plugin.mesh-gateway.service',
});
