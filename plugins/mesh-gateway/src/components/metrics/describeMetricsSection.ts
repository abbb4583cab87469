import type { MetricsSection } from '@internal/plugin-mesh-gateway-common';
import { formatMs, formatPercent, formatRate } from './format';

/**
 * One line for the summary card, e.g. `10.6 req/s, 0.74% 5xx, P95 74 ms, 0% budget left`: the
 * numbers the SLO is judged on, from the gateway when Kong has them, else from the mesh.
 */
export function describeMetricsSection(data: MetricsSection): string {
  const traffic = data.gateway?.traffic ?? data.mesh?.traffic;
  if (!traffic) return 'no Kong or Istio series';
  if (traffic.requestRate === 0) return 'no requests in the window';
  const p95 = data.slo.objectives.find(o => o.name === 'end-to-end-p95')?.actual ?? null;
  const parts = [`${formatRate(traffic.requestRate)} req/s`, `${formatPercent(traffic.errorShare)} 5xx`];
  if (p95 !== null) parts.push(`P95 ${formatMs(p95)}`);
  if (data.slo.budget) parts.push(`${formatPercent(data.slo.budget.remaining, 0)} budget left`);
  return parts.join(', ');
}
