/**
 * Renders sandbox traces the way Jaeger v2 answers: OTLP JSON for `/api/v3` (as jsonpb writes it:
 * zero values and empty lists left out, enums as integers, 64-bit integers and nanoseconds as
 * strings) and the UI model for `/api` (as Jaeger's OTLP→Jaeger translator produces it, see
 * shared/contracts/jaeger/api_v1/otlp2jaeger-{in,out}).
 */
import {
  SandboxAttribute,
  SandboxSpan,
  SandboxTrace,
  SandboxValue,
  serviceNameOf,
} from './model';

type Json = Record<string, unknown>;

const SPAN_KIND_TAGS = [
  '',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];

function otlpSpan(span: SandboxSpan): Json {
  const json: Json = {
    traceId: span.traceId,
    spanId: span.spanId,
  };
  if (span.parentSpanId) json.parentSpanId = span.parentSpanId;
  json.name = span.name;
  if (span.kind !== 0) json.kind = span.kind;
  json.startTimeUnixNano = String(span.startNs);
  json.endTimeUnixNano = String(span.endNs);
  if (span.attributes.length > 0) json.attributes = span.attributes;
  if (span.events.length > 0) {
    json.events = span.events.map(event => ({
      timeUnixNano: String(event.timeNs),
      name: event.name,
      ...(event.attributes.length > 0 ? { attributes: event.attributes } : {}),
    }));
  }
  json.status =
    span.status.code === 0
      ? {}
      : {
          ...(span.status.message ? { message: span.status.message } : {}),
          code: span.status.code,
        };
  return json;
}

/** OTLP `TracesData`: spans grouped by resource, then by instrumentation scope. */
export function toOtlpTracesData(spans: SandboxSpan[]): {
  resourceSpans: Json[];
} {
  const resources = new Map<
    string,
    {
      resource: SandboxAttribute[];
      scopes: Map<string, { scope: SandboxSpan['scope']; spans: Json[] }>;
    }
  >();
  for (const span of spans) {
    const resourceKey = JSON.stringify(span.resource);
    let resource = resources.get(resourceKey);
    if (!resource) {
      resource = { resource: span.resource, scopes: new Map() };
      resources.set(resourceKey, resource);
    }
    const scopeKey = JSON.stringify(span.scope);
    let scope = resource.scopes.get(scopeKey);
    if (!scope) {
      scope = { scope: span.scope, spans: [] };
      resource.scopes.set(scopeKey, scope);
    }
    scope.spans.push(otlpSpan(span));
  }
  return {
    resourceSpans: [...resources.values()].map(({ resource, scopes }) => ({
      resource: resource.length > 0 ? { attributes: resource } : {},
      scopeSpans: [...scopes.values()].map(({ scope, spans: scopeSpans }) => ({
        scope: {
          ...(scope.name ? { name: scope.name } : {}),
          ...(scope.version ? { version: scope.version } : {}),
        },
        spans: scopeSpans,
      })),
    })),
  };
}

interface JaegerTag {
  key: string;
  type: 'string' | 'bool' | 'int64' | 'float64' | 'binary';
  value: string | number | boolean;
}

function jaegerTag(key: string, value: SandboxValue): JaegerTag {
  if ('stringValue' in value)
    return { key, type: 'string', value: value.stringValue };
  if ('boolValue' in value)
    return { key, type: 'bool', value: value.boolValue };
  if ('intValue' in value) {
    const number = Number(value.intValue);
    // Beyond ±(2^53−1) Jaeger writes int64 values as strings.
    return {
      key,
      type: 'int64',
      value: Number.isSafeInteger(number) ? number : value.intValue,
    };
  }
  if ('doubleValue' in value)
    return { key, type: 'float64', value: value.doubleValue };
  // The translator writes arrays as their JSON text.
  return {
    key,
    type: 'string',
    value: JSON.stringify(
      value.arrayValue.values.map(v => Object.values(v)[0]),
    ),
  };
}

/** Jaeger v1 prints 64-bit trace ids (high half zero) with 16 hex characters. */
export function jaegerTraceId(traceId: string): string {
  return traceId.startsWith('0000000000000000') ? traceId.slice(16) : traceId;
}

const micros = (ns: bigint) => Number(ns / 1000n);

/** One trace in the Jaeger UI model: spans, processes `p1`, `p2`... and their tags. */
export function toJaegerUiTrace(trace: SandboxTrace): Json {
  const processes = new Map<
    string,
    { id: string; serviceName: string; tags: JaegerTag[] }
  >();
  const processOf = (span: SandboxSpan) => {
    const tags = span.resource
      .filter(a => a.key !== 'service.name')
      .map(a => jaegerTag(a.key, a.value));
    const serviceName = serviceNameOf(span);
    const key = JSON.stringify([serviceName, tags]);
    let process = processes.get(key);
    if (!process) {
      process = { id: `p${processes.size + 1}`, serviceName, tags };
      processes.set(key, process);
    }
    return process.id;
  };
  const traceID = jaegerTraceId(trace.traceId);
  const spans = trace.spans.map(span => {
    const tags: JaegerTag[] = [];
    if (span.scope.name)
      tags.push({
        key: 'otel.scope.name',
        type: 'string',
        value: span.scope.name,
      });
    if (span.scope.version)
      tags.push({
        key: 'otel.scope.version',
        type: 'string',
        value: span.scope.version,
      });
    tags.push(...span.attributes.map(a => jaegerTag(a.key, a.value)));
    if (span.kind !== 0)
      tags.push({
        key: 'span.kind',
        type: 'string',
        value: SPAN_KIND_TAGS[span.kind],
      });
    if (span.status.code === 2) {
      tags.push({ key: 'otel.status_code', type: 'string', value: 'ERROR' });
      tags.push({ key: 'error', type: 'bool', value: true });
    } else if (span.status.code === 1) {
      tags.push({ key: 'otel.status_code', type: 'string', value: 'OK' });
    }
    if (span.status.message) {
      tags.push({
        key: 'otel.status_description',
        type: 'string',
        value: span.status.message,
      });
    }
    return {
      traceID,
      spanID: span.spanId,
      operationName: span.name,
      references: span.parentSpanId
        ? [{ refType: 'CHILD_OF', traceID, spanID: span.parentSpanId }]
        : [],
      startTime: micros(span.startNs),
      duration: micros(span.endNs) - micros(span.startNs),
      tags,
      logs: span.events.map(event => ({
        timestamp: micros(event.timeNs),
        fields: [
          { key: 'event', type: 'string', value: event.name },
          ...event.attributes.map(a => jaegerTag(a.key, a.value)),
        ],
      })),
      processID: processOf(span),
      warnings: null,
    };
  });
  return {
    traceID,
    spans,
    processes: Object.fromEntries(
      [...processes.values()].map(p => [
        p.id,
        { serviceName: p.serviceName, tags: p.tags },
      ]),
    ),
    warnings: null,
  };
}
