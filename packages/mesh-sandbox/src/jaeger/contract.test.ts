import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { httpGet } from '../testing/httpGet';
import { JaegerQueryServer, startJaegerQueryServer } from './server';

/*
 * Contract test: what the sandbox's Jaeger serves must be what Jaeger serves.
 *
 * v3: every response validates against jaeger-idl's OpenAPI description of `/api/v3`
 * (shared/contracts/jaeger/api_v3.query_service.openapi.yaml, the idl pinned by Jaeger v2.20.0),
 * made strict: unknown properties are refused (the spec never says `additionalProperties`). The
 * spec describes the traces endpoints as `TracesData`, while the HTTP gateway wraps it in
 * `{"result": ...}` (the spec's own GetTrace description says so; the snapshots show it): the
 * envelope is checked here, its content against `TracesData`. Errors use the gateway's
 * `{"error":{"httpCode","message"}}` (FACTS.md), not the spec's `google.rpc.Status`. The golden
 * snapshots of the real gateway validate with the same validator.
 *
 * v1: there is no published schema; the key sets and value types of every object kind (envelope,
 * trace, span, reference, tag, log, process) must be those of the v1 fixtures, which Jaeger's own
 * OTLP→UI conversion produced.
 */

const JAEGER = path.resolve(
  __dirname,
  '../../../../../shared/contracts/jaeger',
);
const spec = parse(
  readFileSync(path.join(JAEGER, 'api_v3.query_service.openapi.yaml'), 'utf8'),
);
const readJson = (relative: string) =>
  JSON.parse(readFileSync(path.join(JAEGER, relative), 'utf8'));

type Schema = Record<string, any>;
function strict(schema: unknown): void {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema))
    return;
  const s = schema as Schema;
  delete s.example;
  if (s.properties && s.additionalProperties === undefined)
    s.additionalProperties = false;
  for (const property of Object.values<Schema>(s.properties ?? {}))
    strict(property);
  for (const key of ['items', 'additionalProperties']) strict(s[key]);
  for (const key of ['allOf', 'anyOf', 'oneOf']) (s[key] ?? []).forEach(strict);
}
const schemas: Record<string, Schema> = structuredClone(
  spec.components.schemas,
);
Object.entries(schemas).forEach(
  ([name, schema]) => name !== 'google.protobuf.Any' && strict(schema),
);

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
// protoc-gen-openapi's formats: ids are `bytes` (OTLP JSON writes them hex, checked below).
for (const format of ['bytes', 'enum', 'fixed32', 'uint32'])
  ajv.addFormat(format, true);
ajv.addSchema({ id: 'jaeger-v3.json', components: { schemas } });

function validate(name: string, value: unknown): string[] {
  const validator = ajv.getSchema(`jaeger-v3.json#/components/schemas/${name}`);
  if (!validator) throw new Error(`no schema ${name}`);
  return validator(value)
    ? []
    : (validator.errors ?? []).map(
        e => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`,
      );
}

/** `{"result": TracesData}`, with hex ids and decimal-string nanoseconds. */
function validateTracesResponse(body: any): string[] {
  const problems = Object.keys(body)
    .filter(k => k !== 'result')
    .map(k => `unexpected key ${k}`);
  problems.push(
    ...validate('opentelemetry.proto.trace.v1.TracesData', body.result),
  );
  for (const resource of body.result?.resourceSpans ?? []) {
    for (const scope of resource.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        if (!/^[0-9a-f]{32}$/.test(span.traceId))
          problems.push(`traceId ${span.traceId}`);
        if (!/^[0-9a-f]{16}$/.test(span.spanId))
          problems.push(`spanId ${span.spanId}`);
        if (
          span.parentSpanId !== undefined &&
          !/^[0-9a-f]{16}$/.test(span.parentSpanId)
        )
          problems.push(`parentSpanId ${span.parentSpanId}`);
        for (const key of ['startTimeUnixNano', 'endTimeUnixNano']) {
          if (span[key] !== undefined && !/^\d+$/.test(span[key]))
            problems.push(`${key} ${span[key]}`);
        }
        if (span.kind !== undefined && !Number.isInteger(span.kind))
          problems.push(`kind ${span.kind}`);
        if (
          span.status?.code !== undefined &&
          !Number.isInteger(span.status.code)
        )
          problems.push(`status.code ${span.status.code}`);
      }
    }
  }
  return problems;
}

const gatewayErrorKeys = (body: any) => ({
  keys: Object.keys(body),
  errorKeys: Object.keys(body.error ?? {}).sort(),
  types: [typeof body.error?.httpCode, typeof body.error?.message],
});

const NOW = Date.parse('2026-11-22T10:00:10Z');
const window = {
  min: new Date(NOW - 3_600_000).toISOString(),
  max: new Date(NOW).toISOString(),
};

describe('Jaeger sandbox against the contracts', () => {
  let jaeger: JaegerQueryServer;
  beforeAll(async () => {
    jaeger = await startJaegerQueryServer({ now: () => NOW, seed: 'contract' });
  });
  afterAll(() => jaeger.close());

  describe('the validator', () => {
    it('accepts the golden responses of the real v3 gateway', () => {
      expect(
        validateTracesResponse(readJson('api_v3-snapshots/FindTraces.json')),
      ).toEqual([]);
      expect(
        validateTracesResponse(readJson('api_v3-snapshots/GetTrace.json')),
      ).toEqual([]);
      expect(
        validate(
          'jaeger.api_v3.GetServicesResponse',
          readJson('api_v3-snapshots/GetServices.json'),
        ),
      ).toEqual([]);
      expect(
        validate(
          'jaeger.api_v3.GetOperationsResponse',
          readJson('api_v3-snapshots/GetOperations.json'),
        ),
      ).toEqual([]);
      expect(
        validate(
          'jaeger.api_v3.FindTraceSummariesResponse',
          readJson('api_v3-snapshots/FindTraceSummaries.json'),
        ),
      ).toEqual([]);
      expect(
        validate(
          'opentelemetry.proto.trace.v1.TracesData',
          readJson('api_v1/otlp2jaeger-in.otlp.json'),
        ),
      ).toEqual([]);
    });

    it('refuses what the spec does not allow', () => {
      expect(
        validate('opentelemetry.proto.trace.v1.TracesData', {
          resourceSpans: [
            { scopeSpans: [{ spans: [{ kind: 'SERVER', startTime: 1 }] }] },
          ],
        }),
      ).not.toEqual([]);
      expect(
        validate('jaeger.api_v3.GetServicesResponse', { data: ['a'] }),
      ).not.toEqual([]);
    });
  });

  describe('/api/v3', () => {
    it('serves traces that validate as TracesData in the gateway envelope', async () => {
      const query = new URLSearchParams({
        'query.service_name': 'ai-agent-service',
        'query.start_time_min': window.min,
        'query.start_time_max': window.max,
        'query.num_traces': '50',
      });
      const response = await httpGet(jaeger.url, `/api/v3/traces?${query}`);
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('application/json');
      expect(validateTracesResponse(response.body)).toEqual([]);
      expect(response.body.result.resourceSpans.length).toBeGreaterThan(3);
    });

    it('serves one trace, services and operations as the spec describes', async () => {
      const search = await httpGet(
        jaeger.url,
        `/api/v3/traces?query.service_name=user-service&query.start_time_min=${window.min}&query.start_time_max=${window.max}&query.num_traces=1`,
      );
      const traceId =
        search.body.result.resourceSpans[0].scopeSpans[0].spans[0].traceId;
      const trace = await httpGet(jaeger.url, `/api/v3/traces/${traceId}`);
      expect(trace.status).toBe(200);
      expect(validateTracesResponse(trace.body)).toEqual([]);

      const services = await httpGet(jaeger.url, '/api/v3/services');
      expect(
        validate('jaeger.api_v3.GetServicesResponse', services.body),
      ).toEqual([]);
      expect(services.body.services).toEqual(
        expect.arrayContaining([
          'ai-agent-service',
          'user-service',
          'analytics-service',
          'kong-gateway',
        ]),
      );

      const operations = await httpGet(
        jaeger.url,
        '/api/v3/operations?service=user-service&spanKind=server',
      );
      expect(
        validate('jaeger.api_v3.GetOperationsResponse', operations.body),
      ).toEqual([]);
      expect(operations.body.operations).toEqual([
        { name: 'GET /api/v1/users/{userId}', spanKind: 'server' },
      ]);
    });

    it('answers errors in the gateway envelope', async () => {
      const missing = await httpGet(
        jaeger.url,
        '/api/v3/traces?query.service_name=user-service',
      );
      const none = await httpGet(
        jaeger.url,
        `/api/v3/traces?query.service_name=nobody&query.start_time_min=${window.min}&query.start_time_max=${window.max}`,
      );
      for (const [response, status] of [
        [missing, 400],
        [none, 404],
      ] as const) {
        expect(response.status).toBe(status);
        expect(gatewayErrorKeys(response.body)).toEqual({
          keys: ['error'],
          errorKeys: ['httpCode', 'message'],
          types: ['number', 'string'],
        });
      }
      expect(none.body).toEqual({
        error: { httpCode: 404, message: 'No traces found' },
      });
    });
  });

  describe('/api (v1)', () => {
    const fixtures = {
      envelope: readJson('api_v1/otlp2jaeger-out.api-envelope.json'),
      traces: [
        readJson('api_v1/otlp2jaeger-out.api-envelope.json').data[0],
        readJson('api_v1/ui_01.trace.json'),
        readJson('api_v1/jaeger-ui-testTrace.json'),
      ],
    };
    const keys = (value: object) => Object.keys(value).sort().join(',');
    /** Every key set each object kind has in `traces`, and the value types of each tag type. */
    function shapes(traces: any[]) {
      const kinds: Record<string, Set<string>> = {
        trace: new Set(),
        span: new Set(),
        reference: new Set(),
        tag: new Set(),
        log: new Set(),
        process: new Set(),
      };
      const tagTypes = new Set<string>();
      const tags = (list: any[]) =>
        list.forEach(tag => {
          kinds.tag.add(keys(tag));
          tagTypes.add(`${tag.type}:${typeof tag.value}`);
        });
      for (const trace of traces) {
        kinds.trace.add(keys(trace));
        for (const span of trace.spans) {
          kinds.span.add(keys(span));
          span.references.forEach((r: object) => kinds.reference.add(keys(r)));
          tags(span.tags);
          for (const log of span.logs) {
            kinds.log.add(keys(log));
            tags(log.fields);
          }
          expect(typeof span.startTime).toBe('number');
          expect(Number.isInteger(span.duration)).toBe(true);
          expect(span.processID in trace.processes).toBe(true);
        }
        for (const process of Object.values<any>(trace.processes)) {
          kinds.process.add(keys(process));
          tags(process.tags);
        }
      }
      return { kinds, tagTypes };
    }

    it("serves the envelope and traces with the fixtures' shapes", async () => {
      const response = await httpGet(
        jaeger.url,
        `/api/traces?service=ai-agent-service&start=${(NOW - 3_600_000) * 1000}&end=${NOW * 1000}&limit=40`,
      );
      expect(response.status).toBe(200);
      expect(keys(response.body)).toBe(keys(fixtures.envelope));
      expect(response.body).toMatchObject({
        total: 0,
        limit: 0,
        offset: 0,
        errors: null,
      });
      expect(response.body.data.length).toBe(40);

      const served = shapes(response.body.data);
      const expected = shapes(fixtures.traces);
      for (const kind of Object.keys(served.kinds)) {
        for (const keySet of served.kinds[kind]) {
          expect({
            kind,
            keySet,
            known: expected.kinds[kind].has(keySet),
          }).toEqual({ kind, keySet, known: true });
        }
      }
      // The OTLP-origin fixture's span keys exactly (no `flags`: OTLP spans carry none here).
      expect([...served.kinds.span]).toEqual([
        keys(fixtures.envelope.data[0].spans[0]),
      ]);
      for (const tagType of served.tagTypes) {
        expect({ tagType, known: expected.tagTypes.has(tagType) }).toEqual({
          tagType,
          known: true,
        });
      }
      for (const trace of response.body.data) {
        expect(trace.traceID).toMatch(/^([0-9a-f]{16}|[0-9a-f]{32})$/);
        for (const span of trace.spans)
          expect(span.spanID).toMatch(/^[0-9a-f]{16}$/);
      }
    });

    it("answers errors in the same envelope, as Go's http.Error does", async () => {
      const response = await httpGet(jaeger.url, '/api/traces?limit=5');
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toBe(
        'text/plain; charset=utf-8',
      );
      expect(keys(response.body)).toBe(keys(fixtures.envelope));
      expect(response.body).toEqual({
        data: null,
        total: 0,
        limit: 0,
        offset: 0,
        errors: [{ code: 400, msg: "parameter 'service' is required" }],
      });
    });
  });

  it('covers every contract file of shared/contracts/jaeger', () => {
    const files = [
      ...readdirSync(path.join(JAEGER, 'api_v1')).map(f => `api_v1/${f}`),
      ...readdirSync(path.join(JAEGER, 'api_v3-snapshots')).map(
        f => `api_v3-snapshots/${f}`,
      ),
    ].sort();
    // Each is read above, either as a shape the sandbox must match or as a response the validator must accept.
    expect(files).toEqual([
      'api_v1/jaeger-ui-testTrace.json',
      'api_v1/otlp2jaeger-in.otlp.json',
      'api_v1/otlp2jaeger-out.api-envelope.json',
      'api_v1/ui_01.trace.json',
      'api_v3-snapshots/FindTraceSummaries.json',
      'api_v3-snapshots/FindTraces.json',
      'api_v3-snapshots/GetOperations.json',
      'api_v3-snapshots/GetServices.json',
      'api_v3-snapshots/GetTrace.json',
    ]);
  });
});
