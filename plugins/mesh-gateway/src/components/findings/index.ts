export { FindingsList } from './FindingsList';
export type { FindingsListProps } from './FindingsList';
export { SeverityChip } from './SeverityChip';
