/**
 * One span model for both Jaeger APIs: the v1 UI model (`/api`, microseconds, typed tags,
 * references) and OTLP JSON (`/api/v3`, nanosecond strings, integer enums, attributes) parse into
 * it, so that the analysis never knows which API a trace came from.
 */

/** A tag or attribute value. int64 values beyond ±(2^53−1) stay decimal strings. */
export type AttributeValue = string | number | boolean;

export type SpanKind =
  | 'unspecified'
  | 'internal'
  | 'server'
  | 'client'
  | 'producer'
  | 'consumer';

export interface NormalisedSpan {
  traceId: string;
  spanId: string;
  /** The parent in the same trace (CHILD_OF first, then FOLLOWS_FROM); absent for a root. */
  parentSpanId?: string;
  service: string;
  operation: string;
  kind: SpanKind;
  /** Microseconds since the epoch. */
  startUs: number;
  /** Microseconds (fractional when the source had nanoseconds). */
  durationUs: number;
  error: boolean;
  errorMessage?: string;
  /** `otel.scope.name` (v1 tag) or the OTLP scope name. */
  scope?: string;
  /** Span tags / attributes. */
  attributes: Record<string, AttributeValue>;
  /** Process tags (v1) / resource attributes (v3), `service.name` excluded. */
  resource: Record<string, AttributeValue>;
}

export interface NormalisedTrace {
  traceId: string;
  spans: NormalisedSpan[];
}

/** What Jaeger's OTLP translator names a resource without `service.name`. */
export const NO_SERVICE_NAME = 'OTLPResourceNoServiceName';

const HEX = /^[0-9a-f]+$/i;
/** Ids that are not hex (the Jaeger UI's own test data has `trace-123`) are kept as opaque tokens. */
const OPAQUE_ID = /^[A-Za-z0-9._~-]{1,64}$/;

/**
 * Normalises a trace id: hex ids (v1 sends 16 characters when the high 64 bits are zero, OTLP
 * always 32) become 32 lowercase hex characters, so that both APIs name a trace alike.
 * Returns undefined for a value that is no id at all.
 */
export function normaliseTraceId(value: string): string | undefined {
  if (HEX.test(value) && value.length <= 32) {
    return value.toLowerCase().padStart(32, '0');
  }
  return OPAQUE_ID.test(value) ? value : undefined;
}

/** Span ids: hex (up to 16) become 16 lowercase hex characters. */
export function normaliseSpanId(value: string): string | undefined {
  if (HEX.test(value) && value.length <= 16) {
    return value.toLowerCase().padStart(16, '0');
  }
  return OPAQUE_ID.test(value) ? value : undefined;
}

const isTrue = (value: AttributeValue | undefined) =>
  value === true ||
  (typeof value === 'string' && value.toLowerCase() === 'true');

/**
 * Whether span attributes mark a failure: `error` as a bool or the string "true" (both occur in
 * real data), or `otel.status_code` = ERROR (OTLP-origin spans seen through the v1 API).
 */
export function attributesMarkError(
  attributes: Record<string, AttributeValue>,
): boolean {
  return (
    isTrue(attributes.error) ||
    String(attributes['otel.status_code'] ?? '').toUpperCase() === 'ERROR'
  );
}

/** An error message from the usual attributes, when a span carries one. */
export function errorMessageOf(
  attributes: Record<string, AttributeValue>,
): string | undefined {
  for (const key of [
    'otel.status_description',
    'error.message',
    'exception.message',
    'error.type',
  ]) {
    const value = attributes[key];
    if (typeof value === 'string' && value.length > 0)
      return value.slice(0, 300);
  }
  const status =
    attributes['http.status_code'] ?? attributes['http.response.status_code'];
  return status !== undefined ? `HTTP ${status}` : undefined;
}

const SPAN_KINDS: Record<string, SpanKind> = {
  server: 'server',
  client: 'client',
  producer: 'producer',
  consumer: 'consumer',
  internal: 'internal',
};

/** `span.kind` tag of the v1 model (`server`, `client`...). */
export function spanKindFromTag(value: AttributeValue | undefined): SpanKind {
  return (
    (typeof value === 'string' && SPAN_KINDS[value.toLowerCase()]) ||
    'unspecified'
  );
}

/**
 * Drops exact duplicates (a span reported twice, as collectors sometimes do). Spans that share an
 * id but differ are kept: Jaeger itself shows them.
 */
export function dedupeSpans(spans: NormalisedSpan[]): NormalisedSpan[] {
  const seen = new Set<string>();
  return spans.filter(span => {
    const identity = `${span.traceId}|${span.spanId}|${span.service}|${span.operation}|${span.startUs}|${span.durationUs}`;
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
}

/** Groups spans by trace, without duplicates, in the order traces first appear. */
export function groupTraces(spans: NormalisedSpan[]): NormalisedTrace[] {
  const traces = new Map<string, NormalisedSpan[]>();
  for (const span of dedupeSpans(spans)) {
    const trace = traces.get(span.traceId);
    if (trace) trace.push(span);
    else traces.set(span.traceId, [span]);
  }
  return [...traces].map(([traceId, traceSpans]) => ({
    traceId,
    spans: traceSpans,
  }));
}
