export * from './section';
export * from './kong';
export * from './istio';
