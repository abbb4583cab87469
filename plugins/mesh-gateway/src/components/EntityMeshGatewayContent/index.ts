export { EntityMeshGatewayContent } from './EntityMeshGatewayContent';
