import type { Entity } from '@backstage/catalog-model';
import {
  KUBERNETES_ANNOTATIONS,
  MESH_GATEWAY_ANNOTATIONS,
} from '@internal/plugin-mesh-gateway-common';

const meshAnnotations: string[] = [
  ...Object.values(MESH_GATEWAY_ANNOTATIONS),
  KUBERNETES_ANNOTATIONS.id,
];

/**
 * Whether the Mesh tab and cards have anything to show for an entity: true when it carries a
 * mesh-gateway annotation (Kong services or tags, Istio host, tracing service) or the
 * Kubernetes plugin's `backstage.io/kubernetes-id`.
 *
 * @public
 */
export function isMeshGatewayAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return meshAnnotations.some(annotation =>
    Boolean(annotations[annotation]?.trim()),
  );
}
