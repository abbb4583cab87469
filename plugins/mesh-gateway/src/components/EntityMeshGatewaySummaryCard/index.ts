export { EntityMeshGatewaySummaryCard } from './EntityMeshGatewaySummaryCard';
