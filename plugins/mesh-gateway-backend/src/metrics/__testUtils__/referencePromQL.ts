import { GeneratedSeries, MeshMetricsDataset, seriesSamples } from '@internal/mesh-sandbox';

/*
 * What Prometheus 2.x answers, computed here from the generated samples without Prometheus:
 * `rate()` with its extrapolation (promql/functions.go extrapolatedRate), `sum`, and
 * `histogram_quantile()` with linear interpolation inside the bucket (promql/quantile.go
 * bucketQuantile). Tests compare the backend's numbers, read from a real Prometheus, with these.
 */

export type LabelFilter = Record<string, string | ((value: string | undefined) => boolean)>;

/** The dataset's series named `name` whose labels pass `filter`. */
export function selectSeries(dataset: MeshMetricsDataset, name: string, filter: LabelFilter): GeneratedSeries[] {
  return dataset.series.filter(
    s =>
      s.name === name &&
      Object.entries(filter).every(([label, wanted]) =>
        typeof wanted === 'function' ? wanted(s.labels[label]) : s.labels[label] === wanted,
      ),
  );
}

/**
 * `rate(series[rangeMs])` evaluated at `atMs`; undefined when fewer than two samples fall in the
 * range (Prometheus drops the series then). Prometheus 2.x selects samples with
 * atMs - range <= t <= atMs.
 */
export function seriesRate(
  dataset: MeshMetricsDataset,
  series: GeneratedSeries,
  atMs: number,
  rangeMs: number,
): number | undefined {
  const rangeStart = atMs - rangeMs;
  const points = seriesSamples(dataset, series).filter(p => p.t >= rangeStart && p.t <= atMs);
  if (points.length < 2) return undefined;
  const first = points[0];
  const last = points[points.length - 1];
  let result = last.v - first.v;
  for (let i = 1; i < points.length; i++) {
    // A counter that went down was reset: what it had counted before still happened.
    if (points[i].v < points[i - 1].v) result += points[i - 1].v;
  }
  let durationToStart = (first.t - rangeStart) / 1000;
  const durationToEnd = (atMs - last.t) / 1000;
  const sampledInterval = (last.t - first.t) / 1000;
  const averageBetweenSamples = sampledInterval / (points.length - 1);
  if (result > 0 && first.v >= 0) {
    // Do not extrapolate below zero: the counter started at most this long before the first sample.
    const durationToZero = sampledInterval * (first.v / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = averageBetweenSamples * 1.1;
  let extrapolateTo = sampledInterval;
  extrapolateTo += durationToStart < threshold ? durationToStart : averageBetweenSamples / 2;
  extrapolateTo += durationToEnd < threshold ? durationToEnd : averageBetweenSamples / 2;
  return (result * (extrapolateTo / sampledInterval)) / (rangeMs / 1000);
}

/** `sum(rate(...))` over `series`; undefined when no series has a rate (empty result). */
export function sumRate(
  dataset: MeshMetricsDataset,
  series: GeneratedSeries[],
  atMs: number,
  rangeMs: number,
): number | undefined {
  const rates = series.map(s => seriesRate(dataset, s, atMs, rangeMs)).filter((r): r is number => r !== undefined);
  return rates.length === 0 ? undefined : rates.reduce((a, b) => a + b, 0);
}

function parseBound(le: string): number {
  return le === '+Inf' ? Infinity : Number(le);
}

/**
 * `histogram_quantile(q, sum by (le) (rate(bucket_series[rangeMs])))` at `atMs`; undefined when
 * no bucket series has a rate, NaN when there were no observations.
 */
export function histogramQuantile(
  dataset: MeshMetricsDataset,
  q: number,
  bucketSeries: GeneratedSeries[],
  atMs: number,
  rangeMs: number,
): number | undefined {
  const byBound = new Map<number, number>();
  for (const s of bucketSeries) {
    const r = seriesRate(dataset, s, atMs, rangeMs);
    if (r === undefined) continue;
    const bound = parseBound(s.labels.le);
    byBound.set(bound, (byBound.get(bound) ?? 0) + r);
  }
  if (byBound.size === 0) return undefined;
  const buckets = [...byBound.entries()].map(([upperBound, count]) => ({ upperBound, count })).sort((a, b) => a.upperBound - b.upperBound);
  if (buckets[buckets.length - 1].upperBound !== Infinity || buckets.length < 2) return NaN;
  // The envelope of the counts: rates of buckets extrapolated differently may dip.
  for (let i = 1; i < buckets.length; i++) {
    if (buckets[i].count < buckets[i - 1].count) buckets[i].count = buckets[i - 1].count;
  }
  const observations = buckets[buckets.length - 1].count;
  if (observations === 0) return NaN;
  let rank = q * observations;
  let b = buckets.findIndex(bucket => bucket.count >= rank);
  if (b === -1 || b > buckets.length - 1) b = buckets.length - 1;
  if (b === buckets.length - 1) return buckets[buckets.length - 2].upperBound;
  if (b === 0 && buckets[0].upperBound <= 0) return buckets[0].upperBound;
  let bucketStart = 0;
  const bucketEnd = buckets[b].upperBound;
  let count = buckets[b].count;
  if (b > 0) {
    bucketStart = buckets[b - 1].upperBound;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}
