export { EntityGoldenSignalsCard } from './EntityGoldenSignalsCard';
export { metricsSectionSchema } from './metricsSectionSchema';
export { describeMetricsSection } from './describeMetricsSection';
