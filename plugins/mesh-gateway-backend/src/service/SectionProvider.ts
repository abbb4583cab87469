import type { Entity } from '@backstage/catalog-model';
import type {
  MeshGatewaySectionData,
  MeshGatewaySectionName,
  SectionResult,
} from '@internal/plugin-mesh-gateway-common';

/**
 * Fills one section of the mesh view for an entity. Implementations never throw for upstream
 * trouble: they return a result with `status: 'error'` naming what failed.
 */
export interface SectionProvider<S extends MeshGatewaySectionName = MeshGatewaySectionName> {
  readonly section: S;
  getSection(entity: Entity): Promise<SectionResult<MeshGatewaySectionData[S]>>;
}
