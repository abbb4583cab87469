/**
 * Jaeger's v1 query API (`/api/*`, the model the Jaeger UI reads): envelope, traces and
 * dependencies, parsed with zod into the shared span model.
 *
 * Facts (shared/contracts/FACTS.md): times and durations are microseconds; trace ids are 16 or
 * 32 hex characters; tags are typed (`string`, `bool`, `int64`, `float64`, `binary`), int64
 * values beyond ±(2^53−1) come as strings, and `error` may be a bool or the string "true".
 */
import { z } from 'zod';
import {
  AttributeValue,
  attributesMarkError,
  dedupeSpans,
  errorMessageOf,
  NormalisedSpan,
  NormalisedTrace,
  normaliseSpanId,
  normaliseTraceId,
  spanKindFromTag,
} from './spanModel';
import {
  parseEach,
  ParsedTraces,
  parseShape,
  TraceShapeError,
} from './parseShared';

const INT64_STRING = /^-?\d+$/;

/** A typed tag, checked against its declared type and turned into a plain value. */
const tagSchema = z
  .object({
    key: z.string(),
    type: z.enum(['string', 'bool', 'int64', 'float64', 'binary']),
    value: z.unknown(),
  })
  .transform((tag, ctx): [string, AttributeValue] => {
    const { key, type, value } = tag;
    switch (type) {
      case 'string':
      case 'binary':
        if (typeof value === 'string') return [key, value];
        break;
      case 'bool':
        if (typeof value === 'boolean') return [key, value];
        // Some producers send bools as strings (the Jaeger UI's own test data does).
        if (typeof value === 'string' && /^(true|false)$/i.test(value)) {
          return [key, value.toLowerCase() === 'true'];
        }
        break;
      case 'int64':
        if (typeof value === 'number' && Number.isInteger(value))
          return [key, value];
        if (typeof value === 'string' && INT64_STRING.test(value)) {
          const number = Number(value);
          return [key, Number.isSafeInteger(number) ? number : value];
        }
        break;
      case 'float64':
        if (typeof value === 'number') return [key, value];
        if (
          typeof value === 'string' &&
          value.trim() !== '' &&
          !Number.isNaN(Number(value))
        ) {
          return [key, Number(value)];
        }
        break;
      default:
        break;
    }
    ctx.addIssue({
      code: 'custom',
      message: `tag "${key}" of type ${type} has a ${typeof value} value`,
    });
    return z.NEVER;
  });

const tagsSchema = z.array(tagSchema).nullish();

const processSchema = z.object({
  serviceName: z.string(),
  tags: tagsSchema,
});

const referenceSchema = z.object({
  refType: z.enum(['CHILD_OF', 'FOLLOWS_FROM']),
  traceID: z.string(),
  spanID: z.string(),
});

const logSchema = z.object({
  timestamp: z.number(),
  fields: tagsSchema,
});

const spanSchema = z.object({
  traceID: z.string(),
  spanID: z.string(),
  operationName: z.string(),
  references: z.array(referenceSchema).nullish(),
  startTime: z.number().int().nonnegative(),
  duration: z.number().nonnegative(),
  tags: tagsSchema,
  logs: z.array(logSchema).nullish(),
  processID: z.string().optional(),
  process: processSchema.optional(),
});

const traceSchema = z.object({
  traceID: z.string(),
  spans: z.array(spanSchema),
  processes: z.record(z.string(), processSchema).nullish(),
});

/** `{"data":..., "total", "limit", "offset", "errors": null | [{code, msg, traceID?}]}`. */
const envelopeSchema = z.object({
  data: z.unknown(),
  errors: z
    .array(
      z.object({
        code: z.number().optional(),
        msg: z.string(),
        traceID: z.string().optional(),
      }),
    )
    .nullish(),
});

const dependencyLinkSchema = z.object({
  parent: z.string(),
  child: z.string(),
  callCount: z.number().int().nonnegative(),
});

export interface DependencyLink {
  parent: string;
  child: string;
  callCount: number;
}

const toRecord = (tags: [string, AttributeValue][] | null | undefined) =>
  Object.fromEntries(tags ?? []) as Record<string, AttributeValue>;

/** Parses one v1 trace (`{traceID, spans, processes}`) into normalised spans. */
export function parseV1Trace(value: unknown, what = 'trace'): NormalisedTrace {
  const trace = parseShape(traceSchema, value, what);
  const traceId = normaliseTraceId(trace.traceID);
  if (!traceId) {
    throw new TraceShapeError(
      `${what}: "${trace.traceID.slice(0, 64)}" is not a trace id`,
    );
  }
  const spans = trace.spans.map((span, index): NormalisedSpan => {
    const where = `${what}.spans[${index}]`;
    const process =
      span.process ??
      (span.processID ? trace.processes?.[span.processID] : undefined);
    if (!process) {
      throw new TraceShapeError(
        `${where}: process "${span.processID ?? ''}" is not among the trace's processes`,
      );
    }
    const spanTraceId = normaliseTraceId(span.traceID);
    const spanId = normaliseSpanId(span.spanID);
    if (!spanTraceId || !spanId) {
      throw new TraceShapeError(
        `${where}: "${span.traceID.slice(0, 64)}"/"${span.spanID.slice(0, 64)}" are not trace and span ids`,
      );
    }
    const attributes = toRecord(span.tags);
    const { 'service.name': _serviceName, ...resource } = toRecord(
      process.tags,
    );
    const error = attributesMarkError(attributes);
    const scope = attributes['otel.scope.name'];
    return {
      traceId: spanTraceId,
      spanId,
      parentSpanId: parentOf(span.references ?? [], spanTraceId),
      service: process.serviceName,
      operation: span.operationName,
      kind: spanKindFromTag(attributes['span.kind']),
      startUs: span.startTime,
      durationUs: span.duration,
      error,
      errorMessage: error
        ? (errorMessageOf(attributes) ?? exceptionMessage(span.logs ?? []))
        : undefined,
      scope: typeof scope === 'string' ? scope : undefined,
      attributes,
      resource,
    };
  });
  return { traceId, spans: dedupeSpans(spans) };
}

/** Jaeger's own rule: the first CHILD_OF reference into the same trace; FOLLOWS_FROM after that. */
function parentOf(
  references: z.infer<typeof referenceSchema>[],
  traceId: string,
): string | undefined {
  const sameTrace = references.filter(
    ref => normaliseTraceId(ref.traceID) === traceId,
  );
  const parent =
    sameTrace.find(ref => ref.refType === 'CHILD_OF') ??
    sameTrace.find(ref => ref.refType === 'FOLLOWS_FROM');
  return parent ? normaliseSpanId(parent.spanID) : undefined;
}

function exceptionMessage(
  logs: z.infer<typeof logSchema>[],
): string | undefined {
  for (const log of logs) {
    const fields = toRecord(log.fields);
    const message = fields['exception.message'] ?? fields.message;
    if (typeof message === 'string' && message.length > 0)
      return message.slice(0, 300);
  }
  return undefined;
}

/** The envelope of any `/api/*` answer; `errors` are the messages Jaeger sent with (or instead of) data. */
export function parseV1Envelope(
  body: unknown,
  what: string,
): { data: unknown; errors: string[] } {
  const envelope = parseShape(envelopeSchema, body, what);
  return {
    data: envelope.data,
    errors: (envelope.errors ?? []).map(
      e => `${e.msg}${e.traceID ? ` (trace ${e.traceID})` : ''}`,
    ),
  };
}

/** `/api/traces` or `/api/traces/{id}`: `data` is a list of traces. */
export function parseV1TracesResponse(
  body: unknown,
  what = '/api/traces',
): ParsedTraces<NormalisedTrace> {
  const { data, errors } = parseV1Envelope(body, what);
  const items =
    parseShape(z.array(z.unknown()).nullable(), data, `${what} data`) ?? [];
  const parsed = parseEach(items, parseV1Trace, `${what} data`);
  return {
    traces: parsed.traces,
    problems: [
      ...errors.map(message => `${what}: ${message}`),
      ...parsed.problems,
    ],
  };
}

/** `/api/services`: `data` is a list of names. */
export function parseV1Services(
  body: unknown,
  what = '/api/services',
): string[] {
  const { data } = parseV1Envelope(body, what);
  return parseShape(z.array(z.string()).nullable(), data, `${what} data`) ?? [];
}

/** `/api/dependencies`: `data` is a list of `{parent, child, callCount}`. */
export function parseV1Dependencies(
  body: unknown,
  what = '/api/dependencies',
): DependencyLink[] {
  const { data } = parseV1Envelope(body, what);
  return (
    parseShape(
      z.array(dependencyLinkSchema).nullable(),
      data,
      `${what} data`,
    ) ?? []
  );
}
