/**
 * Backend plugin for mesh-gateway.
 *
 * @packageDocumentation
 */
export { meshGatewayPlugin as default } from './plugin';
