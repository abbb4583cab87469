import type { Finding } from '../baseline/findings';
import type { KongSection } from './kong';
import type { IstioSection } from './istio';
import type { TracesSection } from './traces';
import type { MetricsSection } from './metrics';
import type { CertificatesSection } from './certificates';

/** The sections of an entity's mesh view, one per upstream concern. @public */
export const MESH_GATEWAY_SECTIONS = [
  'kong',
  'istio',
  'traces',
  'metrics',
  'certificates',
] as const;

/** @public */
export type MeshGatewaySectionName = (typeof MESH_GATEWAY_SECTIONS)[number];

/** @public */
export type SectionStatus = 'ok' | 'not-configured' | 'error';

/** Why a section (or a part of it) could not be filled. @public */
export interface SectionError {
  /** A short machine-readable kind: `timeout`, `unreachable`, `upstream-status`, `bad-annotation`, `bad-response`, ... */
  name: string;
  message: string;
  /** The upstream instance that failed, when there is one. */
  instance?: string;
}

/**
 * One section of the mesh view. A section that fails or is not configured never fails the page.
 *
 * @public
 */
export interface SectionResult<T> {
  section: MeshGatewaySectionName;
  status: SectionStatus;
  /** Present when status is `ok` (partial failures add `errors` alongside). */
  data?: T;
  /** Why the section is `not-configured`: the missing annotation or config key. */
  missing?: { annotations?: string[]; configKey?: string };
  /** Present when status is `error`, or for parts that failed while others succeeded. */
  errors?: SectionError[];
  findings: Finding[];
  /** ISO timestamp of the upstream fetch this result was built from. */
  fetchedAt: string;
}

/** The data type of each section. @public */
export interface MeshGatewaySectionData {
  kong: KongSection;
  istio: IstioSection;
  traces: TracesSection;
  metrics: MetricsSection;
  certificates: CertificatesSection;
}

/** The whole view of an entity, every section. @public */
export interface EntityMeshOverview {
  entityRef: string;
  /** The sections the backend is configured with (a section without a provider is absent). */
  sections: {
    [S in MeshGatewaySectionName]?: SectionResult<MeshGatewaySectionData[S]>;
  };
}
