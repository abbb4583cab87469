export { RefreshButton } from './RefreshButton';
export { SectionView } from './SectionView';
export type { SectionViewProps } from './SectionView';
export { useMeshOverview, useMeshSection } from './useMeshSection';
