export * from './baseline';
export * from './findings';
export * from './rules';
