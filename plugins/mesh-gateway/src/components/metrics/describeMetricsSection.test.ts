import { metricsSections } from './__testUtils__/metricsSection';
import { describeMetricsSection } from './describeMetricsSection';
import { formatMs, formatRate } from './format';

describe('describeMetricsSection', () => {
  it('sums up the numbers the SLO is judged on', () => {
    expect(describeMetricsSection(metricsSections['analytics-service'].data!)).toBe('10.6 req/s, 0.74% 5xx, P95 74 ms, 0% budget left');
    expect(describeMetricsSection(metricsSections['user-service'].data!)).toBe('17.6 req/s, 0.00% 5xx, P95 36 ms, 94% budget left');
  });

  it('says when there is nothing to sum up', () => {
    const data = metricsSections['user-service'].data!;
    expect(describeMetricsSection({ ...data, gateway: null, mesh: null })).toBe('no Kong or Istio series');
    const quiet = { ...data.gateway!.traffic!, requestRate: 0, errorShare: null };
    expect(describeMetricsSection({ ...data, gateway: { ...data.gateway!, traffic: quiet } })).toBe('no requests in the window');
  });
});

describe('formats', () => {
  it('writes rates and latencies compactly', () => {
    expect([0, 0.0123, 0.5, 3.14159, 250.4].map(formatRate)).toEqual(['0', '0.012', '0.5', '3.1', '250']);
    expect([null, 0.44, 9.99, 54.4, 1250].map(formatMs)).toEqual(['–', '0.4 ms', '10.0 ms', '54 ms', '1.25 s']);
  });
});
