export { ContractSchemas, defaultContractsDir } from './contracts';
export type { SchemaViolation } from './contracts';
export { findDocumentMistakes } from './documentMistakes';
export {
  CONFIGURATION_LAYOUT,
  formatProblem,
  readConfigurationFolder,
  validateConfiguration,
} from './validateConfiguration';
export type { ValidateOptions } from './validateConfiguration';
export type {
  ConfigurationFile,
  ParsedObject,
  Problem,
  ValidationReport,
} from './types';
