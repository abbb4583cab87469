import {
  anyOf,
  equals,
  histogramQuantile,
  LabelMatcher,
  labelReplace,
  multiply,
  or,
  PromQL,
  rate,
  selector,
  sumBy,
  withLabel,
} from './promql';

/*
 * The golden-signal queries, written after the PromQL of Kong's official Grafana dashboard and
 * Istio's service dashboard (shared/contracts). Labels this module adds to results are prefixed
 * `mg_` so they cannot collide with a label of the data.
 */

/** `1xx` ... `5xx`, from a status-code label. */
export const STATUS_CLASS_LABEL = 'mg_status_class';
/** `3` or `2`: which generation of Kong metric names answered. */
export const KONG_METRICS_LABEL = 'mg_kong_metrics';
/** `request`, `kong` or `upstream`. */
export const LATENCY_LABEL = 'mg_latency';
/** The quantile, e.g. `0.95`. */
export const QUANTILE_LABEL = 'mg_quantile';

export const QUANTILES = [0.5, 0.95, 0.99] as const;

/** The Kong services of an entity (Kong's `service` label) and the instance's extra matchers. */
export interface GatewayTarget {
  services: string[];
  extra: LabelMatcher[];
}

/** The matchers that pick the entity's service out of Istio's metrics, and the extra ones. */
export interface MeshTarget {
  matchers: LabelMatcher[];
  extra: LabelMatcher[];
}

export type KongLatency = 'request' | 'kong' | 'upstream';

/** Kong 3.x histograms by latency kind. */
const KONG3_LATENCY_METRIC: Record<KongLatency, string> = {
  request: 'kong_request_latency_ms_bucket',
  kong: 'kong_kong_latency_ms_bucket',
  upstream: 'kong_upstream_latency_ms_bucket',
};

function statusClass(expr: PromQL, codeLabel: string): PromQL {
  // `${1}xx`, not `$1xx`: Go's regexp expansion would read the group name "1xx".
  return labelReplace(expr, STATUS_CLASS_LABEL, '${1}xx', codeLabel, '([1-5])..');
}

function kongMatchers(target: GatewayTarget): LabelMatcher[] {
  return [anyOf('service', target.services), ...target.extra];
}

/**
 * Kong's request rate by status class over `rangeMs`, from the 3.x counter
 * (`kong_http_requests_total`) and the 2.x one (`kong_http_status`), each result tagged with
 * {@link KONG_METRICS_LABEL} so the caller can prefer 3.x when both exist.
 */
export function kongTrafficQuery(target: GatewayTarget, rangeMs: number): PromQL {
  const matchers = kongMatchers(target);
  return or(
    withLabel(
      sumBy([STATUS_CLASS_LABEL], statusClass(rate(selector('kong_http_requests_total', matchers), rangeMs), 'code')),
      KONG_METRICS_LABEL,
      '3',
    ),
    withLabel(
      sumBy([STATUS_CLASS_LABEL], statusClass(rate(selector('kong_http_status', matchers), rangeMs), 'code')),
      KONG_METRICS_LABEL,
      '2',
    ),
  );
}

/**
 * Quantiles of Kong's latency histograms over `rangeMs`: 3.x `kong_<kind>_latency_ms_bucket` and
 * 2.x `kong_latency_bucket{type=<kind>}`, tagged with kind, quantile and metric generation.
 */
export function kongLatencyQuery(
  target: GatewayTarget,
  rangeMs: number,
  wanted: { latency: KongLatency; quantile: number }[],
): PromQL {
  const matchers = kongMatchers(target);
  const parts: PromQL[] = [];
  for (const generation of ['3', '2'] as const) {
    for (const { latency, quantile } of wanted) {
      const buckets =
        generation === '3'
          ? selector(KONG3_LATENCY_METRIC[latency], matchers)
          : selector('kong_latency_bucket', [...matchers, equals('type', latency)]);
      let expr = histogramQuantile(quantile, sumBy(['le'], rate(buckets, rangeMs)));
      expr = withLabel(expr, QUANTILE_LABEL, String(quantile));
      expr = withLabel(expr, LATENCY_LABEL, latency);
      parts.push(withLabel(expr, KONG_METRICS_LABEL, generation));
    }
  }
  return or(...parts);
}

function istioMatchers(target: MeshTarget): LabelMatcher[] {
  return [equals('reporter', 'destination'), ...target.matchers, ...target.extra];
}

/**
 * Istio's request rate at the destination by status class and `connection_security_policy`.
 * Only `reporter="destination"`: the source's sidecar reports the same requests again.
 */
export function istioTrafficQuery(target: MeshTarget, rangeMs: number): PromQL {
  return sumBy(
    [STATUS_CLASS_LABEL, 'connection_security_policy'],
    statusClass(rate(selector('istio_requests_total', istioMatchers(target)), rangeMs), 'response_code'),
  );
}

/**
 * Quantiles of the request duration at the destination's sidecar, in milliseconds, falling back
 * to the seconds histogram of old Istio releases (as Istio's own dashboards do).
 */
export function istioLatencyQuery(target: MeshTarget, rangeMs: number, quantiles: readonly number[]): PromQL {
  const matchers = istioMatchers(target);
  return or(
    ...quantiles.map(quantile =>
      withLabel(
        or(
          histogramQuantile(
            quantile,
            sumBy(['le'], rate(selector('istio_request_duration_milliseconds_bucket', matchers), rangeMs)),
          ),
          multiply(
            histogramQuantile(
              quantile,
              sumBy(['le'], rate(selector('istio_request_duration_seconds_bucket', matchers), rangeMs)),
            ),
            1000,
          ),
        ),
        QUANTILE_LABEL,
        String(quantile),
      ),
    ),
  );
}
