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

/** What the viewer asked for beyond the entity (from the request's query). */
export interface SectionRequest {
  /** A window length like 30m, 2h or 1d, for sections that look at a time window. */
  window?: string;
}

/**
 * Fills one section of the mesh view for an entity. Implementations never throw for upstream
 * trouble: they return a result with `status: 'error'` naming what failed.
 */
export interface SectionProvider<S extends MeshGatewaySectionName = MeshGatewaySectionName> {
  readonly section: S;
  getSection(
    entity: Entity,
    context: SectionContext,
    request?: SectionRequest,
  ): Promise<SectionResult<MeshGatewaySectionData[S]>>;
}
