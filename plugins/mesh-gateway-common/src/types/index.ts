export * from './section';
export * from './kong';
export * from './istio';
export * from './traces';
export * from './metrics';
export * from './certificates';
