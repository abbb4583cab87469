export * from './section';
export * from './kong';
