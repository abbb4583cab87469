import type { Entity } from '@backstage/catalog-model';
import type {
  MeshGatewaySectionData,
  MeshGatewaySectionName,
  SectionResult,
} from '@internal/plugin-mesh-gateway-common';

/** Lets one section read another (through the same cache), e.g. Istio cross-checking Kong. */
export interface SectionContext {
  getSection<S extends MeshGatewaySectionName>(
    section: S,
  ): Promise<SectionResult<MeshGatewaySectionData[S]>>;
}

/**
 * Fills one section of the mesh view for an entity. Implementations never throw for upstream
 * trouble: they return a result with `status: 'error'` naming what failed.
 */
export interface SectionProvider<S extends MeshGatewaySectionName = MeshGatewaySectionName> {
  readonly section: S;
  getSection(entity: Entity, context: SectionContext): Promise<SectionResult<MeshGatewaySectionData[S]>>;
}
