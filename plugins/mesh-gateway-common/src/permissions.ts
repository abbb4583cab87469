import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * Read what the gateway and mesh do for a catalog entity. A resource permission on catalog
 * entities, so conditional policies (for example "owner of the entity") apply.
 *
 * @public
 */
export const meshGatewayEntityReadPermission = createPermission({
  name: 'mesh-gateway.entity.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** @public */
export const meshGatewayPermissions = [meshGatewayEntityReadPermission];
