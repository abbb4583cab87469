/**
 * Jaeger v2's `/api/v3/*` answers: OTLP JSON traces wrapped in `{"result": ...}`, parsed with zod
 * into the shared span model.
 *
 * Facts (shared/contracts/FACTS.md, jaeger/api_v3.query_service.openapi.yaml): trace and span ids
 * are hex strings, `kind` and `status.code` integers (2 = SERVER, status 2 = ERROR), times
 * nanoseconds as decimal strings; proto3 JSON leaves zero values out, so every field may be absent.
 */
import { z } from 'zod';
import {
  AttributeValue,
  attributesMarkError,
  errorMessageOf,
  groupTraces,
  NO_SERVICE_NAME,
  NormalisedSpan,
  NormalisedTrace,
  normaliseSpanId,
  normaliseTraceId,
  SpanKind,
} from './spanModel';
import {
  parseEach,
  ParsedTraces,
  parseShape,
  TraceShapeError,
} from './parseShared';

interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number | string;
  arrayValue?: { values?: AnyValue[] | null };
  kvlistValue?: { values?: KeyValue[] | null };
  bytesValue?: string;
}
interface KeyValue {
  key: string;
  value?: AnyValue;
}

const anyValueSchema: z.ZodType<AnyValue> = z.lazy(() =>
  z.object({
    stringValue: z.string().optional(),
    boolValue: z.boolean().optional(),
    intValue: z
      .union([z.string().regex(/^-?\d+$/), z.number().int()])
      .optional(),
    // proto3 JSON writes non-finite doubles as strings.
    doubleValue: z
      .union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])])
      .optional(),
    arrayValue: z
      .object({ values: z.array(anyValueSchema).nullish() })
      .optional(),
    kvlistValue: z
      .object({
        values: z
          .array(
            z.object({ key: z.string(), value: anyValueSchema.optional() }),
          )
          .nullish(),
      })
      .optional(),
    bytesValue: z.string().optional(),
  }),
);
const keyValueSchema: z.ZodType<KeyValue> = z.object({
  key: z.string(),
  value: anyValueSchema.optional(),
});
const attributesSchema = z.array(keyValueSchema).nullish();

const nanos = z.union([
  z.string().regex(/^\d+$/),
  z.number().int().nonnegative(),
]);

/** Enums are integers in OTLP JSON; the proto names are accepted too (protobuf JSON allows them). */
const SPAN_KINDS: SpanKind[] = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];
const spanKindSchema = z.union([
  z.number().int().min(0).max(5),
  z.enum([
    'SPAN_KIND_UNSPECIFIED',
    'SPAN_KIND_INTERNAL',
    'SPAN_KIND_SERVER',
    'SPAN_KIND_CLIENT',
    'SPAN_KIND_PRODUCER',
    'SPAN_KIND_CONSUMER',
  ]),
]);
const statusCodeSchema = z.union([
  z.number().int().min(0).max(2),
  z.enum(['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR']),
]);

const spanSchema = z.object({
  traceId: z.string(),
  spanId: z.string(),
  parentSpanId: z.string().optional(),
  name: z.string().optional(),
  kind: spanKindSchema.optional(),
  startTimeUnixNano: nanos.optional(),
  endTimeUnixNano: nanos.optional(),
  attributes: attributesSchema,
  events: z
    .array(
      z.object({ name: z.string().optional(), attributes: attributesSchema }),
    )
    .nullish(),
  status: z
    .object({
      code: statusCodeSchema.optional(),
      message: z.string().optional(),
    })
    .nullish(),
});

const tracesDataSchema = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: z.object({ attributes: attributesSchema }).nullish(),
        scopeSpans: z
          .array(
            z.object({
              scope: z.object({ name: z.string().optional() }).nullish(),
              spans: z.array(z.unknown()).nullish(),
            }),
          )
          .nullish(),
      }),
    )
    .nullish(),
});

/** Jaeger's HTTP gateway error: `{"error":{"httpCode":404,"message":"No traces found"}}`. */
export const v3ErrorSchema = z.object({
  error: z.object({
    httpCode: z.number().int().optional(),
    message: z.string().optional(),
  }),
});

export function otlpValue(value: AnyValue | undefined): AttributeValue {
  if (!value) return '';
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) {
    const number = Number(value.intValue);
    return Number.isSafeInteger(number) ? number : String(value.intValue);
  }
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.arrayValue)
    return JSON.stringify((value.arrayValue.values ?? []).map(otlpValue));
  if (value.kvlistValue)
    return JSON.stringify(toRecord(value.kvlistValue.values));
  return '';
}

function toRecord(
  attributes: KeyValue[] | null | undefined,
): Record<string, AttributeValue> {
  const record: Record<string, AttributeValue> = {};
  for (const { key, value } of attributes ?? []) record[key] = otlpValue(value);
  return record;
}

const HEX = /^[0-9a-f]+$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * OTLP JSON ids are hex (16 bytes for traces, 8 for spans). Gateways that used plain protobuf JSON
 * sent base64 instead; those are read too.
 */
function otlpId(value: string, bytes: 8 | 16): string | undefined {
  if (value.length === bytes * 2 && HEX.test(value)) return value.toLowerCase();
  if (BASE64.test(value)) {
    const decoded = Buffer.from(value, 'base64');
    if (decoded.length === bytes) return decoded.toString('hex');
  }
  return undefined;
}

function kindOf(kind: z.infer<typeof spanKindSchema> | undefined): SpanKind {
  if (kind === undefined) return 'unspecified';
  if (typeof kind === 'number') return SPAN_KINDS[kind];
  return SPAN_KINDS[spanKindSchema.options[1].options.indexOf(kind)];
}

const isErrorStatus = (code: z.infer<typeof statusCodeSchema> | undefined) =>
  code === 2 || code === 'STATUS_CODE_ERROR';

function parseOtlpSpan(
  value: unknown,
  what: string,
  service: string,
  resource: Record<string, AttributeValue>,
  scope: string | undefined,
): NormalisedSpan {
  const span = parseShape(spanSchema, value, what);
  const traceId = otlpId(span.traceId, 16);
  const spanId = otlpId(span.spanId, 8);
  if (!traceId || !spanId) {
    throw new TraceShapeError(
      `${what}: "${span.traceId.slice(0, 64)}"/"${span.spanId.slice(0, 64)}" are not 16- and 8-byte ids`,
    );
  }
  let parentSpanId: string | undefined;
  if (span.parentSpanId) {
    parentSpanId = otlpId(span.parentSpanId, 8);
    if (!parentSpanId) {
      throw new TraceShapeError(
        `${what}: parentSpanId "${span.parentSpanId.slice(0, 64)}" is not an 8-byte id`,
      );
    }
  }
  const start = BigInt(span.startTimeUnixNano ?? 0);
  const end = BigInt(span.endTimeUnixNano ?? 0);
  if (end < start) {
    throw new TraceShapeError(`${what}: ends before it starts`);
  }
  const attributes = toRecord(span.attributes);
  const error =
    isErrorStatus(span.status?.code) || attributesMarkError(attributes);
  const exception = (span.events ?? [])
    .map(event => toRecord(event.attributes)['exception.message'])
    .find(message => typeof message === 'string' && message.length > 0);
  return {
    traceId: normaliseTraceId(traceId)!,
    spanId: normaliseSpanId(spanId)!,
    parentSpanId: parentSpanId ? normaliseSpanId(parentSpanId) : undefined,
    service,
    operation: span.name ?? '',
    kind: kindOf(span.kind),
    startUs: Number(start / 1000n),
    durationUs: Number(end - start) / 1000,
    error,
    errorMessage: error
      ? (
          span.status?.message ||
          errorMessageOf(attributes) ||
          (exception as string | undefined)
        )?.slice(0, 300)
      : undefined,
    scope,
    attributes,
    resource,
  };
}

/** OTLP `TracesData` (`{"resourceSpans": [...]}`) into traces. */
export function parseOtlpTracesData(
  value: unknown,
  what = 'TracesData',
): ParsedTraces<NormalisedTrace> {
  const data = parseShape(tracesDataSchema, value, what);
  const spans: NormalisedSpan[] = [];
  const problems: string[] = [];
  (data.resourceSpans ?? []).forEach((resourceSpans, r) => {
    const { 'service.name': serviceName, ...resource } = toRecord(
      resourceSpans.resource?.attributes,
    );
    const service =
      typeof serviceName === 'string' && serviceName
        ? serviceName
        : NO_SERVICE_NAME;
    (resourceSpans.scopeSpans ?? []).forEach((scopeSpans, s) => {
      const parsed = parseEach(
        scopeSpans.spans ?? [],
        (item, where) =>
          parseOtlpSpan(
            item,
            where,
            service,
            resource,
            scopeSpans.scope?.name || undefined,
          ),
        `${what}.resourceSpans[${r}].scopeSpans[${s}].spans`,
      );
      spans.push(...parsed.traces);
      problems.push(...parsed.problems);
    });
  });
  return { traces: groupTraces(spans), problems };
}

/** `/api/v3/traces` and `/api/v3/traces/{id}`: `{"result": TracesData}`. */
export function parseV3TracesResponse(
  body: unknown,
  what = '/api/v3/traces',
): ParsedTraces<NormalisedTrace> {
  const { result } = parseShape(z.object({ result: z.unknown() }), body, what);
  return parseOtlpTracesData(result, `${what} result`);
}

/** `/api/v3/services`: `{"services": [...]}`. */
export function parseV3Services(
  body: unknown,
  what = '/api/v3/services',
): string[] {
  return (
    parseShape(
      z.object({ services: z.array(z.string()).nullish() }),
      body,
      what,
    ).services ?? []
  );
}
