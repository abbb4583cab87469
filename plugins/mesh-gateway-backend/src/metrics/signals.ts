import type {
  KongMetricsVersion,
  LatencyQuantiles,
  MtlsTraffic,
  SignalSeries,
  TrafficSignals,
} from '@internal/plugin-mesh-gateway-common';
import type { InstantSample, RangeSeries } from './PrometheusClient';
import {
  KONG_METRICS_LABEL,
  KongLatency,
  LATENCY_LABEL,
  QUANTILE_LABEL,
  STATUS_CLASS_LABEL,
} from './queries';

/** Turns Prometheus' NaN and infinities (no data, no bucket) into null. */
export function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}

function rateOf(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

/** The Kong metric generation present in `samples`: 3.x when both are. */
export function kongGeneration(samples: { metric: Record<string, string> }[]): KongMetricsVersion | null {
  const generations = new Set(samples.map(s => s.metric[KONG_METRICS_LABEL]));
  if (generations.has('3')) return 'kong-3';
  if (generations.has('2')) return 'kong-2';
  return null;
}

export function ofGeneration<T extends { metric: Record<string, string> }>(
  samples: T[],
  generation: KongMetricsVersion | null,
): T[] {
  if (!generation) return [];
  const wanted = generation === 'kong-3' ? '3' : '2';
  return samples.filter(s => s.metric[KONG_METRICS_LABEL] === wanted);
}

/** Request rate and errors from rates by status class; null when there is no series at all. */
export function trafficFromSamples(samples: InstantSample[], windowSeconds: number): TrafficSignals | null {
  if (samples.length === 0) return null;
  let total = 0;
  let serverErrors = 0;
  let clientErrors = 0;
  for (const sample of samples) {
    const value = rateOf(sample.value);
    total += value;
    const statusClass = sample.metric[STATUS_CLASS_LABEL];
    if (statusClass === '5xx') serverErrors += value;
    if (statusClass === '4xx') clientErrors += value;
  }
  return {
    requestRate: total,
    requests: total * windowSeconds,
    errorRate: serverErrors,
    errors: serverErrors * windowSeconds,
    errorShare: total > 0 ? serverErrors / total : null,
    clientErrorShare: total > 0 ? clientErrors / total : null,
  };
}

/** Requests per second by Istio's `connection_security_policy`. */
export function mtlsFromSamples(samples: InstantSample[]): MtlsTraffic | null {
  if (samples.length === 0) return null;
  let mutualTlsRate = 0;
  let plaintextRate = 0;
  let unknownRate = 0;
  for (const sample of samples) {
    const value = rateOf(sample.value);
    const policy = sample.metric.connection_security_policy;
    if (policy === 'mutual_tls') mutualTlsRate += value;
    else if (policy === 'none') plaintextRate += value;
    else unknownRate += value;
  }
  const total = mutualTlsRate + plaintextRate + unknownRate;
  return { share: total > 0 ? mutualTlsRate / total : null, mutualTlsRate, plaintextRate, unknownRate };
}

function quantileValue(samples: InstantSample[], quantile: number, latency?: KongLatency): number | null {
  const sample = samples.find(
    s =>
      s.metric[QUANTILE_LABEL] === String(quantile) &&
      (latency === undefined || s.metric[LATENCY_LABEL] === latency),
  );
  return finiteOrNull(sample?.value);
}

/** P50/P95/P99 from a latency query's samples; null when the histogram has no series. */
export function quantilesFromSamples(samples: InstantSample[], latency?: KongLatency): LatencyQuantiles | null {
  const relevant = latency === undefined ? samples : samples.filter(s => s.metric[LATENCY_LABEL] === latency);
  if (relevant.length === 0) return null;
  return {
    p50Ms: quantileValue(relevant, 0.5),
    p95Ms: quantileValue(relevant, 0.95),
    p99Ms: quantileValue(relevant, 0.99),
  };
}

/** The evaluation times of a range query: start, start + step, ... up to end. */
export function stepTimestamps(startMs: number, endMs: number, stepSeconds: number): number[] {
  const stepMs = stepSeconds * 1000;
  const timestamps: number[] = [];
  for (let t = startMs; t <= endMs; t += stepMs) timestamps.push(t);
  return timestamps;
}

/** Values of `series` (summed when several match) at each of `timestamps`; null where none has one. */
function aligned(
  series: RangeSeries[],
  timestamps: number[],
  stepSeconds: number,
  include: (metric: Record<string, string>) => boolean,
  combine: 'sum' | 'first' = 'sum',
): (number | null)[] {
  const values: (number | null)[] = timestamps.map(() => null);
  if (timestamps.length === 0) return values;
  const stepMs = stepSeconds * 1000;
  for (const s of series) {
    if (!include(s.metric)) continue;
    for (const point of s.points) {
      const index = Math.round((point.timestampMs - timestamps[0]) / stepMs);
      if (index < 0 || index >= values.length) continue;
      const value = finiteOrNull(point.value);
      if (value === null) continue;
      const current = values[index];
      values[index] = current === null || combine === 'first' ? value : current + value;
    }
  }
  return values;
}

/** The chart series of one place (gateway or mesh) from its traffic and latency range results. */
export function signalSeries(options: {
  timestamps: number[];
  stepSeconds: number;
  traffic: RangeSeries[];
  latency: RangeSeries[];
  /** The Kong latency kind of the P50/P95/P99 lines (gateway only). */
  latencyKind?: KongLatency;
  /** Adds Kong's own P95 as `gatewayP95Ms`. */
  withGatewayP95?: boolean;
}): SignalSeries {
  const { timestamps, stepSeconds, traffic, latency, latencyKind } = options;
  const requestRate = aligned(traffic, timestamps, stepSeconds, () => true);
  const errors = aligned(traffic, timestamps, stepSeconds, m => m[STATUS_CLASS_LABEL] === '5xx');
  // A step with traffic but no 5xx series has zero errors, not an unknown number.
  const errorRate = requestRate.map((total, i) => (total === null ? null : errors[i] ?? 0));
  const quantileLine = (quantile: number, kind = latencyKind) =>
    aligned(
      latency,
      timestamps,
      stepSeconds,
      m => m[QUANTILE_LABEL] === String(quantile) && (kind === undefined || m[LATENCY_LABEL] === kind),
      'first',
    );
  return {
    timestamps,
    requestRate,
    errorRate,
    p50Ms: quantileLine(0.5),
    p95Ms: quantileLine(0.95),
    p99Ms: quantileLine(0.99),
    ...(options.withGatewayP95 ? { gatewayP95Ms: quantileLine(0.95, 'kong') } : {}),
  };
}
