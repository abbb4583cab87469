import type { MetricsSection, SectionResult } from '@internal/plugin-mesh-gateway-common';
import sections from './metricsSections.json';

/**
 * Metrics sections of the ADR services as the backend answered them from the sandbox Prometheus
 * (one hour to 2026-11-20T12:00Z, seed "frontend-fixture"; numbers rounded to 6 digits).
 */
export const metricsSections = sections as unknown as Record<
  'ai-agent-service' | 'analytics-service' | 'user-service',
  SectionResult<MetricsSection>
>;

export function metricsSection(
  overrides: Partial<SectionResult<MetricsSection>> = {},
  base: SectionResult<MetricsSection> = metricsSections['analytics-service'],
): SectionResult<MetricsSection> {
  return { ...base, ...overrides };
}
