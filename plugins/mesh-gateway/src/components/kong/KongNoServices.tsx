import { EmptyState } from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { MESH_GATEWAY_ANNOTATIONS } from '@internal/plugin-mesh-gateway-common';

/** Kong answered, but none of the services the entity names (or tags select) exist. */
export function KongNoServices() {
  const { entity } = useEntity();
  const annotations = entity.metadata.annotations ?? {};
  const services = annotations[MESH_GATEWAY_ANNOTATIONS.kongServices]?.trim();
  const tags = annotations[MESH_GATEWAY_ANNOTATIONS.kongTags]?.trim();
  const lookedFor = [
    services ? `services ${services}` : undefined,
    tags ? `services tagged ${tags}` : undefined,
  ].filter(Boolean);
  return (
    <EmptyState
      missing="data"
      title="No Kong services found"
      description={
        lookedFor.length > 0
          ? `Kong has none of the ${lookedFor.join(' and ')}. Check the names in the ${MESH_GATEWAY_ANNOTATIONS.kongServices} and ${MESH_GATEWAY_ANNOTATIONS.kongTags} annotations.`
          : 'Kong has no service for this entity.'
      }
    />
  );
}
