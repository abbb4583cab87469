/**
 * Shared types, annotations, permissions and the baseline of the mesh-gateway plugins.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './kongServiceRefs';
export * from './permissions';
export * from './entityRef';
export * from './baseline';
export * from './types';
export * from './serviceSpec';
export * from './slo';
export * from './annotationValues';
