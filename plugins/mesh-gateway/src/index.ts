/**
 * Entity page cards and a Mesh tab that show what Kong and Istio really do for a service.
 *
 * @packageDocumentation
 */
export {
  meshGatewayPlugin,
  EntityMeshGatewayContent,
  EntityMeshGatewaySummaryCard,
  EntityKongRoutesCard,
  EntityKongPluginsCard,
  EntityIstioPoliciesCard,
  EntityTracesCard,
  EntityServiceGraphCard,
  EntityGoldenSignalsCard,
  EntityCertificateHealthCard,
} from './plugin';
export { isMeshGatewayAvailable } from './isMeshGatewayAvailable';
export * from './api';
export type {
  EntityMeshOverview,
  Finding,
  IstioSection,
  KongSection,
  SectionResult,
  TracesSection,
  MetricsSection,
  CertificatesSection,
} from '@internal/plugin-mesh-gateway-common';
