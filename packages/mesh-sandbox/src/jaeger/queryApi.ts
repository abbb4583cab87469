/**
 * Jaeger's query APIs over a {@link TraceSource}, with Jaeger's own parameter rules and errors
 * (jaegertracing/jaeger cmd/jaeger/internal/extension/jaegerquery: http_handler.go,
 * query_parser.go, apiv3/http_gateway.go; shared/contracts/FACTS.md):
 *
 * - v1 `/api/*`: `{"data","total","limit","offset","errors"}`; `service` is required unless
 *   `traceID` is given; `start`/`end` are microseconds (default: the last 2 days); `lookback` is
 *   the UI's and is ignored; `limit` defaults to 100; errors are the same envelope, sent with
 *   `http.Error` (text/plain).
 * - v3 `/api/v3/*`: OTLP JSON in `{"result": ...}`; `query.start_time_min` and
 *   `query.start_time_max` (RFC 3339 with nanoseconds) are both required; no match is HTTP 404
 *   `{"error":{"httpCode":404,"message":"No traces found"}}`.
 */
import {
  SandboxSpan,
  SandboxTrace,
  serviceNameOf,
  TraceSource,
  valueAsString,
} from './model';
import { jaegerTraceId, toJaegerUiTrace, toOtlpTracesData } from './render';

export interface QueryResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const DEFAULT_LIMIT = 100;
const DEFAULT_LOOKBACK_MS = 2 * 86_400_000;
const DEFAULT_DEPENDENCY_LOOKBACK_MS = 86_400_000;
const SPAN_KIND_NAMES = [
  '',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
];

class BadRequest extends Error {}

const json = (status: number, body: unknown): QueryResponse => ({
  status,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

/** Go's `http.Error`: the JSON text as text/plain with a newline. */
const goError = (status: number, body: unknown): QueryResponse => ({
  status,
  headers: {
    'Content-Type': 'text/plain; charset=utf-8',
    'X-Content-Type-Options': 'nosniff',
  },
  body: `${JSON.stringify(body)}\n`,
});

const v1Envelope = (
  data: unknown,
  total = 0,
  errors: unknown[] | null = null,
) => ({
  data,
  total,
  limit: 0,
  offset: 0,
  errors,
});
const v1Error = (status: number, message: string) =>
  goError(status, v1Envelope(null, 0, [{ code: status, msg: message }]));
const v3Error = (status: number, message: string) =>
  goError(status, { error: { httpCode: status, message } });

/** Go's `time.ParseDuration`: "1.5s", "300ms", "1h2m", "10us", "10µs". */
export function parseGoDuration(value: string): number {
  if (value === '0') return 0;
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    μs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  const part = '(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)';
  if (!new RegExp(`^[-+]?(?:${part})+$`).test(value)) {
    throw new BadRequest(`time: invalid duration ${JSON.stringify(value)}`);
  }
  let ms = 0;
  for (const match of value.matchAll(new RegExp(part, 'g'))) {
    ms += Number(match[1]) * units[match[2]];
  }
  return value.startsWith('-') ? -ms : ms;
}

/** Jaeger's `TraceIDFromString`: up to 32 hex characters, as a 32-hex id. */
function parseTraceId(value: string): string {
  if (value.length > 32) {
    throw new BadRequest(
      `TraceID cannot be longer than 32 hex characters: ${value}`,
    );
  }
  if (!/^[0-9a-fA-F]+$/.test(value)) {
    throw new BadRequest(
      `strconv.ParseUint: parsing ${JSON.stringify(value)}: invalid syntax`,
    );
  }
  return value.toLowerCase().padStart(32, '0');
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** Go's `time.Parse(time.RFC3339Nano, ...)`, to microseconds. */
function parseRfc3339(value: string, param: string): number {
  const match = RFC3339.exec(value);
  const ms = match ? Date.parse(value.replace(/(\.\d{3})\d+/, '$1')) : NaN;
  if (!match || Number.isNaN(ms)) {
    throw new BadRequest(
      `malformed parameter ${param}: parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05.999999999Z07:00": cannot parse ${JSON.stringify(value)} as "2006"`,
    );
  }
  const fraction = (match[7] ?? '.').slice(1).padEnd(9, '0');
  return (
    Math.floor(ms / 1000) * 1_000_000 + Math.floor(Number(fraction) / 1000)
  );
}

interface SpanFilter {
  service?: string;
  operation?: string;
  startUs: number;
  endUs: number;
  minDurationMs?: number;
  maxDurationMs?: number;
  tags: Record<string, string>;
}

const us = (ns: bigint) => Number(ns / 1000n);

/** A trace matches when one span matches every condition (Jaeger's storage does the same). */
function spanMatches(span: SandboxSpan, filter: SpanFilter): boolean {
  if (filter.service !== undefined && serviceNameOf(span) !== filter.service)
    return false;
  if (filter.operation && span.name !== filter.operation) return false;
  const start = us(span.startNs);
  if (start < filter.startUs || start > filter.endUs) return false;
  const durationMs = (us(span.endNs) - start) / 1000;
  if (filter.minDurationMs !== undefined && durationMs < filter.minDurationMs)
    return false;
  if (filter.maxDurationMs !== undefined && durationMs > filter.maxDurationMs)
    return false;
  for (const [key, expected] of Object.entries(filter.tags)) {
    const attribute =
      span.attributes.find(a => a.key === key) ??
      span.resource.find(a => a.key === key);
    if (!attribute || valueAsString(attribute.value) !== expected) return false;
  }
  return true;
}

function findTraces(
  source: TraceSource,
  filter: SpanFilter,
  limit: number,
): SandboxTrace[] {
  const found: SandboxTrace[] = [];
  for (const trace of source.traces(filter.startUs, filter.endUs)) {
    if (found.length >= limit) break;
    if (trace.spans.some(span => spanMatches(span, filter))) found.push(trace);
  }
  return found;
}

/** Links for `/api/dependencies`: span → parent span of another service, over traces in the window. */
function dependencyLinks(source: TraceSource, startUs: number, endUs: number) {
  const counts = new Map<
    string,
    { parent: string; child: string; callCount: number }
  >();
  for (const trace of source.traces(startUs, endUs)) {
    const rootStart = trace.spans.reduce(
      (min, s) => (s.startNs < min ? s.startNs : min),
      trace.spans[0].startNs,
    );
    if (us(rootStart) < startUs || us(rootStart) > endUs) continue;
    const byId = new Map(trace.spans.map(span => [span.spanId, span]));
    for (const span of trace.spans) {
      const parent = span.parentSpanId
        ? byId.get(span.parentSpanId)
        : undefined;
      if (!parent || serviceNameOf(parent) === serviceNameOf(span)) continue;
      const key = `${serviceNameOf(parent)}\u0000${serviceNameOf(span)}`;
      const link = counts.get(key) ?? {
        parent: serviceNameOf(parent),
        child: serviceNameOf(span),
        callCount: 0,
      };
      link.callCount++;
      counts.set(key, link);
    }
  }
  return [...counts.values()];
}

/** Go's `strconv.ParseInt`, its error prefixed as the handler does. */
function intParam(value: string, errorPrefix: string): number {
  if (!/^[-+]?\d+$/.test(value)) {
    throw new BadRequest(
      `${errorPrefix}strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`,
    );
  }
  return Number(value);
}

export interface QueryApiOptions {
  source: TraceSource;
  now: () => number;
}

/**
 * Answers one GET of the query service. Unknown paths are 404 `404 page not found` like Go's mux.
 */
export function handleQuery(url: URL, options: QueryApiOptions): QueryResponse {
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const q = url.searchParams;
  const { source } = options;
  const nowUs = options.now() * 1000;
  try {
    // ---- v3 ------------------------------------------------------------------------------
    if (path === '/api/v3/services') {
      return json(200, { services: [...source.catalogue().keys()].sort() });
    }
    if (path === '/api/v3/operations') {
      const service = q.get('service') ?? '';
      const kind = q.get('spanKind') ?? q.get('span_kind') ?? '';
      return json(200, {
        operations: operationsOf(source, service, kind, true),
      });
    }
    if (path === '/api/v3/traces') {
      return v3FindTraces(q, source);
    }
    const v3Trace = /^\/api\/v3\/traces\/([^/]+)$/.exec(path);
    if (v3Trace) {
      let traceId: string;
      try {
        traceId = parseTraceId(decodeURIComponent(v3Trace[1]));
      } catch (error) {
        throw new BadRequest(
          `malformed parameter trace_id: ${(error as Error).message}`,
        );
      }
      const trace = source.trace(traceId);
      return trace
        ? json(200, { result: toOtlpTracesData(trace.spans) })
        : v3Error(404, 'trace not found');
    }

    // ---- v1 ------------------------------------------------------------------------------
    if (path === '/api/services') {
      const services = [...source.catalogue().keys()].sort();
      return json(200, v1Envelope(services, services.length));
    }
    const legacyOperations = /^\/api\/services\/([^/]+)\/operations$/.exec(
      path,
    );
    if (legacyOperations) {
      const names = [
        ...new Set(
          operationsOf(
            source,
            decodeURIComponent(legacyOperations[1]),
            '',
            false,
          ).map(o => o.name),
        ),
      ];
      return json(200, v1Envelope(names, names.length));
    }
    if (path === '/api/operations') {
      const service = q.get('service') ?? '';
      if (!service) return v1Error(400, "parameter 'service' is required");
      const operations = operationsOf(
        source,
        service,
        q.get('spanKind') ?? '',
        false,
      );
      return json(200, v1Envelope(operations, operations.length));
    }
    if (path === '/api/traces') {
      return v1Search(q, source, nowUs);
    }
    const v1Trace = /^\/api\/traces\/([^/]+)$/.exec(path);
    if (v1Trace) {
      const trace = source.trace(parseTraceId(decodeURIComponent(v1Trace[1])));
      return trace
        ? json(200, v1Envelope([toJaegerUiTrace(trace)]))
        : v1Error(404, 'trace not found');
    }
    if (path === '/api/dependencies') {
      const endMs = q.get('endTs')
        ? intParam(q.get('endTs')!, "unable to parse param 'endTs': ")
        : nowUs / 1000;
      const lookbackMs = q.get('lookback')
        ? intParam(q.get('lookback')!, "unable to parse param 'lookback': ")
        : DEFAULT_DEPENDENCY_LOOKBACK_MS;
      const service = q.get('service');
      const links = dependencyLinks(
        source,
        (endMs - lookbackMs) * 1000,
        endMs * 1000,
      ).filter(
        link => !service || link.parent === service || link.child === service,
      );
      return json(200, v1Envelope(links));
    }
    return {
      status: 404,
      headers: {
        'Content-Type': 'text/plain; charset=utf-8',
        'X-Content-Type-Options': 'nosniff',
      },
      body: '404 page not found\n',
    };
  } catch (error) {
    if (!(error instanceof BadRequest)) throw error;
    return path.startsWith('/api/v3/')
      ? v3Error(400, error.message)
      : v1Error(400, error.message);
  }
}

function operationsOf(
  source: TraceSource,
  service: string,
  kind: string,
  v3: boolean,
) {
  const catalogue = source.catalogue();
  const services = service ? [service] : [...catalogue.keys()];
  const operations: { name: string; spanKind: string }[] = [];
  for (const name of services) {
    for (const [operation, spanKind] of catalogue.get(name) ?? []) {
      // v3 names a span without kind "internal" (http_gateway.go); v1 leaves it empty.
      const kindName = SPAN_KIND_NAMES[spanKind] || (v3 ? 'internal' : '');
      if (kind && kind !== kindName) continue;
      operations.push({ name: operation, spanKind: kindName });
    }
  }
  return operations.sort((a, b) => a.name.localeCompare(b.name));
}

function v1Search(
  q: URLSearchParams,
  source: TraceSource,
  nowUs: number,
): QueryResponse {
  const timeParam = (name: 'start' | 'end', fallback: number) => {
    const value = q.get(name);
    return value
      ? intParam(value, `unable to parse param '${name}': `)
      : fallback;
  };
  const startUs = timeParam('start', nowUs - DEFAULT_LOOKBACK_MS * 1000);
  const endUs = timeParam('end', nowUs);
  const tags: Record<string, string> = {};
  for (const tag of q.getAll('tag')) {
    const [key, ...rest] = tag.split(':');
    if (rest.length === 0)
      throw new BadRequest(
        `malformed 'tag' parameter, expecting key:value, received: ${tag}`,
      );
    tags[key] = rest.join(':');
  }
  for (const text of q.getAll('tags')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new BadRequest(
        `malformed 'tags' parameter, cannot unmarshal JSON: ${(error as Error).message}`,
      );
    }
    if (
      !parsed ||
      typeof parsed !== 'object' ||
      Array.isArray(parsed) ||
      Object.values(parsed).some(v => typeof v !== 'string')
    ) {
      throw new BadRequest(
        "malformed 'tags' parameter, cannot unmarshal JSON: not a map of strings",
      );
    }
    Object.assign(tags, parsed);
  }
  const limit = q.get('limit') ? intParam(q.get('limit')!, '') : DEFAULT_LIMIT;
  const duration = (name: string) => {
    const value = q.get(name);
    if (!value) return undefined;
    try {
      return parseGoDuration(value);
    } catch (error) {
      throw new BadRequest(
        `unable to parse param '${name}': ${(error as Error).message}`,
      );
    }
  };
  const minDurationMs = duration('minDuration');
  const maxDurationMs = duration('maxDuration');
  const traceIds = q.getAll('traceID').map(id => {
    try {
      return parseTraceId(id);
    } catch (error) {
      throw new BadRequest(
        `cannot parse traceID param: ${(error as Error).message}`,
      );
    }
  });
  const service = q.get('service') ?? '';

  if (traceIds.length === 0 && !service)
    throw new BadRequest("parameter 'service' is required");
  if (limit <= 0)
    throw new BadRequest('invalid parameter: limit must be greater than 0');
  if (startUs > endUs)
    throw new BadRequest(
      'invalid parameter: start time must be before end time',
    );
  if (minDurationMs && maxDurationMs && maxDurationMs < minDurationMs) {
    throw new BadRequest("'maxDuration' should be greater than 'minDuration'");
  }

  if (traceIds.length > 0) {
    const traces: SandboxTrace[] = [];
    const errors: { msg: string; traceID: string }[] = [];
    for (const id of traceIds) {
      const trace = source.trace(id);
      if (trace) traces.push(trace);
      else errors.push({ msg: 'trace not found', traceID: jaegerTraceId(id) });
    }
    return json(
      200,
      v1Envelope(
        traces.map(toJaegerUiTrace),
        0,
        errors.length > 0 ? errors : null,
      ),
    );
  }
  const traces = findTraces(
    source,
    {
      service,
      operation: q.get('operation') ?? undefined,
      startUs,
      endUs,
      minDurationMs,
      maxDurationMs,
      tags,
    },
    limit,
  );
  return json(200, v1Envelope(traces.map(toJaegerUiTrace)));
}

function v3FindTraces(q: URLSearchParams, source: TraceSource): QueryResponse {
  // snake_case works on every 2.x release; camelCase since 2.19.
  const param = (snake: string, camel: string) => {
    const value = q.get(`query.${snake}`);
    return value
      ? { name: `query.${snake}`, value }
      : { name: `query.${camel}`, value: q.get(`query.${camel}`) ?? '' };
  };
  const min = param('start_time_min', 'startTimeMin');
  const max = param('start_time_max', 'startTimeMax');
  if (!min.value || !max.value) {
    throw new BadRequest(
      'query.start_time_min and query.start_time_max are required',
    );
  }
  const startUs = parseRfc3339(min.value, min.name);
  const endUs = parseRfc3339(max.value, max.name);
  // Jaeger refuses an empty or reversed range (the message is the sandbox's own wording).
  if (startUs >= endUs) {
    throw new BadRequest(`${min.name} must be before ${max.name}`);
  }
  const depth = [
    param('search_depth', 'searchDepth'),
    param('num_traces', 'numTraces'),
  ].find(p => p.value);
  let limit = DEFAULT_LIMIT;
  if (depth) {
    if (!/^[-+]?\d+$/.test(depth.value)) {
      throw new BadRequest(
        `malformed parameter ${depth.name}: strconv.Atoi: parsing ${JSON.stringify(depth.value)}: invalid syntax`,
      );
    }
    limit = Number(depth.value) > 0 ? Number(depth.value) : DEFAULT_LIMIT;
  }
  const duration = (snake: string, camel: string) => {
    const p = param(snake, camel);
    if (!p.value) return undefined;
    try {
      return parseGoDuration(p.value);
    } catch (error) {
      throw new BadRequest(
        `malformed parameter ${p.name}: ${(error as Error).message}`,
      );
    }
  };
  const service = param('service_name', 'serviceName').value;
  const traces = findTraces(
    source,
    {
      service: service || undefined,
      operation: param('operation_name', 'operationName').value || undefined,
      startUs,
      endUs,
      minDurationMs: duration('duration_min', 'durationMin'),
      maxDurationMs: duration('duration_max', 'durationMax'),
      tags: {},
    },
    limit,
  );
  if (traces.length === 0) return v3Error(404, 'No traces found');
  return json(200, {
    result: toOtlpTracesData(traces.flatMap(trace => trace.spans)),
  });
}
