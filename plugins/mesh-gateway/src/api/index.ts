export { meshGatewayApiRef } from './MeshGatewayApi';
export type { MeshGatewayApi, MeshGatewayEntityRef } from './MeshGatewayApi';
export { MeshGatewayClient } from './MeshGatewayClient';
export type { MeshGatewayClientOptions } from './MeshGatewayClient';
export { MeshGatewayResponseError } from './responseSchemas';
