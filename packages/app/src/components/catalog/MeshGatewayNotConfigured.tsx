import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import { MESH_GATEWAY_ANNOTATIONS } from '@internal/plugin-mesh-gateway-common';

/**
 * The Mesh tab of an entity that names no Kong service: says which annotation to add and shows
 * an example, like the template's empty states for other tools.
 */
export const MeshGatewayNotConfigured = () => (
  <MissingAnnotationEmptyState
    annotation={MESH_GATEWAY_ANNOTATIONS.kongServices}
  />
);
