export { createMeshGatewayGenerateAction } from './generate';
export { createMeshGatewayValidateAction } from './validate';
