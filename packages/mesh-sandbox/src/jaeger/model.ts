/**
 * The sandbox keeps traces in OTLP's own terms (what Jaeger v2 stores); the v1 `/api` model and
 * OTLP JSON for `/api/v3` are both rendered from it, so both APIs answer from the same traces.
 */

/** An OTLP AnyValue: exactly one field set. `intValue` is a decimal string, as OTLP JSON writes it. @public */
export type SandboxValue =
  | { stringValue: string }
  | { intValue: string }
  | { boolValue: boolean }
  | { doubleValue: number }
  | { arrayValue: { values: SandboxValue[] } };

/** @public */
export interface SandboxAttribute {
  key: string;
  value: SandboxValue;
}

/** OTLP span kinds: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. @public */
export type SandboxSpanKind = 0 | 1 | 2 | 3 | 4 | 5;

/** OTLP status codes: 0 unset, 1 ok, 2 error. @public */
export type SandboxStatusCode = 0 | 1 | 2;

/** @public */
export interface SandboxSpan {
  /** 32 lowercase hex characters (a 64-bit id has 16 leading zeros). */
  traceId: string;
  /** 16 lowercase hex characters. */
  spanId: string;
  parentSpanId?: string;
  /** Resource attributes, `service.name` included. */
  resource: SandboxAttribute[];
  scope: { name?: string; version?: string };
  name: string;
  kind: SandboxSpanKind;
  startNs: bigint;
  endNs: bigint;
  attributes: SandboxAttribute[];
  events: { timeNs: bigint; name: string; attributes: SandboxAttribute[] }[];
  status: { code: SandboxStatusCode; message?: string };
}

/** @public */
export interface SandboxTrace {
  traceId: string;
  spans: SandboxSpan[];
}

/** @public */
export const str = (key: string, value: string): SandboxAttribute => ({
  key,
  value: { stringValue: value },
});
/** @public */
export const int = (key: string, value: number | bigint): SandboxAttribute => ({
  key,
  value: { intValue: String(value) },
});
/** @public */
export const bool = (key: string, value: boolean): SandboxAttribute => ({
  key,
  value: { boolValue: value },
});
/** @public */
export const strings = (key: string, values: string[]): SandboxAttribute => ({
  key,
  value: { arrayValue: { values: values.map(v => ({ stringValue: v })) } },
});

/** The `service.name` resource attribute (Jaeger's name for a resource without one otherwise). @public */
export function serviceNameOf(span: SandboxSpan): string {
  const attribute = span.resource.find(a => a.key === 'service.name');
  return attribute && 'stringValue' in attribute.value
    ? attribute.value.stringValue
    : 'OTLPResourceNoServiceName';
}

/** A value as the plain string the query APIs compare tag filters with. */
export function valueAsString(value: SandboxValue): string {
  if ('stringValue' in value) return value.stringValue;
  if ('intValue' in value) return value.intValue;
  if ('boolValue' in value) return String(value.boolValue);
  if ('doubleValue' in value) return String(value.doubleValue);
  return JSON.stringify(value.arrayValue.values.map(valueAsString));
}

/** Where the sandbox's query APIs read traces from. @public */
export interface TraceSource {
  /** Traces with a span starting in [startUs, endUs], newest first; iterated lazily. */
  traces(startUs: number, endUs: number): Iterable<SandboxTrace>;
  /** One trace by its 32-hex id. */
  trace(traceId: string): SandboxTrace | undefined;
  /** Services and their operations (with span kind) over the source's index window. */
  catalogue(): Map<string, Map<string, SandboxSpanKind>>;
}

/** A fixed set of traces (tests build their own). @public */
export function staticTraceSource(traces: SandboxTrace[]): TraceSource {
  const startOf = (trace: SandboxTrace) =>
    trace.spans.reduce(
      (min, span) => (span.startNs < min ? span.startNs : min),
      trace.spans[0]?.startNs ?? 0n,
    );
  const sorted = [...traces].sort((a, b) => Number(startOf(b) - startOf(a)));
  return {
    *traces(startUs, endUs) {
      const start = BigInt(Math.floor(startUs)) * 1000n;
      const end = BigInt(Math.ceil(endUs)) * 1000n;
      for (const trace of sorted) {
        if (
          trace.spans.some(span => span.startNs >= start && span.startNs <= end)
        )
          yield trace;
      }
    },
    trace: traceId => traces.find(t => t.traceId === traceId),
    catalogue: () => catalogueOf(traces),
  };
}

export function catalogueOf(
  traces: Iterable<SandboxTrace>,
): Map<string, Map<string, SandboxSpanKind>> {
  const catalogue = new Map<string, Map<string, SandboxSpanKind>>();
  for (const trace of traces) {
    for (const span of trace.spans) {
      const service = serviceNameOf(span);
      const operations =
        catalogue.get(service) ?? new Map<string, SandboxSpanKind>();
      operations.set(span.name, span.kind);
      catalogue.set(service, operations);
    }
  }
  return catalogue;
}
