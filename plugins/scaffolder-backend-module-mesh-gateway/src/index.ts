/**
 * Scaffolder actions that generate and validate the Kong + Istio configuration of a service.
 *
 * @packageDocumentation
 */

export { scaffolderModuleMeshGateway as default } from './module';
export {
  createMeshGatewayGenerateAction,
  createMeshGatewayValidateAction,
} from './actions';
export { generateConfiguration } from './generator';
export type { GeneratedConfiguration, GeneratedFile } from './generator';
export { ContractSchemas } from './validation/contracts';
export type { SchemaViolation } from './validation/contracts';
export { validateModelledObject } from './validation/kubernetesModels';
