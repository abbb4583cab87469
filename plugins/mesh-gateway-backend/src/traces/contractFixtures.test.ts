import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { startJaegerQueryServer } from '@internal/mesh-sandbox';
import {
  CONTRACTS_DIR,
  readContract,
  readYamlContract,
} from '../__testUtils__/contracts';
import { analyseTraces } from './analysis';
import { parseV1Trace, parseV1TracesResponse } from './jaegerV1';
import {
  parseOtlpTracesData,
  parseV3Services,
  parseV3TracesResponse,
} from './otlpJson';
import { NO_SERVICE_NAME, NormalisedSpan, NormalisedTrace } from './spanModel';
import { TracesSectionProvider } from './TracesSectionProvider';

/*
 * Every file in shared/contracts/jaeger goes through the code the backend uses. A new file there
 * fails this test until it is given a case below.
 */

const json = (relative: string) =>
  JSON.parse(readContract(`jaeger/${relative}`));
const spansById = (trace: NormalisedTrace) =>
  new Map(trace.spans.map(s => [s.spanId, s]));
const roleOptions = {
  gatewayServiceNames: ['kong'],
  gatewayScopeNames: ['kong-internal'],
  meshProxyServiceNames: ['istio-proxy'],
};

/** What both APIs must agree on for a span; v1 adds `otel.scope.name` and `span.kind` as tags. */
function core(span: NormalisedSpan) {
  const {
    'otel.scope.name': _scope,
    'span.kind': _kind,
    ...attributes
  } = span.attributes;
  return { ...span, attributes };
}

/** The files of shared/contracts/jaeger; each has a test below named after it. */
const FILES = [
  'api_v1/jaeger-ui-testTrace.json',
  'api_v1/ui_01.trace.json',
  'api_v1/otlp2jaeger-in.otlp.json',
  'api_v1/otlp2jaeger-out.api-envelope.json',
  'api_v3-snapshots/FindTraces.json',
  'api_v3-snapshots/GetTrace.json',
  'api_v3-snapshots/GetServices.json',
  'api_v3-snapshots/GetOperations.json',
  'api_v3-snapshots/FindTraceSummaries.json',
  'api_v3.query_service.openapi.yaml',
];

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap(name => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory()
      ? filesUnder(full, `${prefix}${name}/`)
      : [`${prefix}${name}`];
  });
}

describe('shared/contracts/jaeger through the backend parsers', () => {
  it('api_v1/jaeger-ui-testTrace.json', () => {
    const trace = parseV1Trace(json('api_v1/jaeger-ui-testTrace.json'));
    // The Jaeger UI's own test data uses ids that are not hex: kept as they are.
    expect(trace.traceId).toBe('trace-123');
    expect(trace.spans).toHaveLength(11);
    const span = (id: string) => spansById(trace).get(id)!;
    // `error` given as the string "true" with type bool.
    expect(trace.spans.filter(s => s.error).map(s => s.spanId)).toEqual([
      'span-2',
    ]);
    expect(span('span-1')).toMatchObject({
      kind: 'server',
      service: 'service1',
      parentSpanId: undefined,
      startUs: 1542666452979000,
      durationUs: 390000,
    });
    expect(span('span-6').kind).toBe('producer');
    // FOLLOWS_FROM counts as the parent when there is no CHILD_OF.
    expect(span('span-7')).toMatchObject({
      kind: 'consumer',
      parentSpanId: 'span-6',
      service: 'service2',
    });
    expect(span('span-5')).toMatchObject({
      kind: 'unspecified',
      parentSpanId: 'span-4',
    });
    expect(span('span-1').resource).toEqual({ hostname: 'foobar.org' });

    const analysis = analyseTraces([trace], {
      ...roleOptions,
      service: 'service1',
    });
    expect(analysis).toMatchObject({
      traceCount: 1,
      spanCount: 11,
      requestCount: 1,
      errorCount: 0,
      errorTraceCount: 1,
    });
    expect(analysis.failedTraces[0]).toMatchObject({
      traceId: 'trace-123',
      error: true,
      durationMs: 1000,
      rootOperation: 'op1',
    });
  });

  it('api_v1/ui_01.trace.json', () => {
    const trace = parseV1Trace(json('api_v1/ui_01.trace.json'));
    // A 64-bit id (16 hex characters) reads as the 32-character id OTLP gives the same trace.
    expect(trace.traceId).toBe('00000000000000000000000000000001');
    expect(
      trace.spans.map(s => [s.spanId, s.parentSpanId ?? null, s.service]),
    ).toEqual([
      ['0000000000000002', null, 'service-x'],
      // Same span id, different span: kept, as Jaeger shows both.
      ['0000000000000002', null, 'service-x'],
      ['0000000000000003', '0000000000000002', 'service-y'],
      // The first CHILD_OF points into another trace: the one into this trace wins.
      ['0000000000000004', '0000000000000002', 'service-y'],
      ['0000000000000005', '0000000000000004', 'service-y'],
    ]);
    const tagged = trace.spans[1];
    expect(tagged.error).toBe(true);
    expect(tagged.attributes).toEqual({
      'peer.service': 'service-y',
      'peer.ipv4': 23456,
      error: true,
      temperature: 72.5,
      // Beyond 2^53 an int64 stays a string.
      javascript_limit: '9223372036854775222',
      blob: 'AAAwOQ==',
    });
    expect(trace.spans[0].durationUs).toBe(5);
  });

  it('api_v1/otlp2jaeger-in.otlp.json', () => {
    const { traces, problems } = parseOtlpTracesData(
      json('api_v1/otlp2jaeger-in.otlp.json'),
    );
    expect(problems).toEqual([]);
    expect(traces).toHaveLength(1);
    // The input holds the same span twice; it is counted once.
    expect(traces[0].spans).toEqual([
      {
        traceId: '83a9efd15c1c98a977e0711cc93ee28b',
        spanId: 'e127af99e3b3e074',
        parentSpanId: '909541b92cf05311',
        service: 'telemetrygen',
        operation: 'okey-dokey-0',
        kind: 'server',
        startUs: 1706678909209712,
        durationUs: 123,
        error: false,
        errorMessage: undefined,
        scope: 'telemetrygen',
        attributes: {
          'net.peer.ip': '1.2.3.4',
          'peer.service': 'telemetrygen-client',
        },
        resource: {},
      },
    ]);
  });

  it('api_v1/otlp2jaeger-out.api-envelope.json', () => {
    const v1 = parseV1TracesResponse(
      json('api_v1/otlp2jaeger-out.api-envelope.json'),
    );
    const otlp = parseOtlpTracesData(json('api_v1/otlp2jaeger-in.otlp.json'));
    expect(v1.problems).toEqual([]);
    // Jaeger's own conversion of the OTLP input reads exactly as the input does.
    expect(v1.traces.map(t => ({ ...t, spans: t.spans.map(core) }))).toEqual(
      otlp.traces,
    );
    expect(v1.traces[0].spans[0].attributes).toMatchObject({
      'otel.scope.name': 'telemetrygen',
      'span.kind': 'server',
    });
  });

  it('api_v3-snapshots/FindTraces.json', () => {
    const { traces, problems } = parseV3TracesResponse(
      json('api_v3-snapshots/FindTraces.json'),
    );
    expect(problems).toEqual([]);
    expect(traces).toEqual([
      {
        traceId: '00000000000000000000000000000001',
        spans: [
          {
            traceId: '00000000000000000000000000000001',
            spanId: '0000000000000002',
            parentSpanId: undefined,
            // A resource without service.name, named as Jaeger's translator names it.
            service: NO_SERVICE_NAME,
            operation: 'foobar',
            kind: 'server',
            // proto3 JSON leaves zero times out.
            startUs: 0,
            durationUs: 0,
            error: true,
            errorMessage: undefined,
            scope: undefined,
            attributes: {},
            resource: {},
          },
        ],
      },
    ]);
  });

  it('api_v3-snapshots/GetTrace.json', () => {
    const { traces } = parseV3TracesResponse(
      json('api_v3-snapshots/GetTrace.json'),
      '/api/v3/traces/{id}',
    );
    expect(
      traces.map(t => t.spans.map(s => [s.spanId, s.kind, s.error])),
    ).toEqual([[['0000000000000002', 'server', true]]]);
  });

  it('api_v3-snapshots/GetServices.json', () => {
    expect(parseV3Services(json('api_v3-snapshots/GetServices.json'))).toEqual([
      'foo',
    ]);
  });

  // The backend asks neither for operation lists nor for trace summaries (2.20+ only): these two
  // are checked by the sandbox's contract test, which serves them.
  it('api_v3-snapshots/GetOperations.json', () => {
    expect(json('api_v3-snapshots/GetOperations.json').operations[0]).toEqual({
      name: 'get_users',
      spanKind: 'server',
    });
  });
  it('api_v3-snapshots/FindTraceSummaries.json', () => {
    expect(
      json('api_v3-snapshots/FindTraceSummaries.json').summaries,
    ).toHaveLength(1);
  });

  it('api_v3.query_service.openapi.yaml', () => {
    // Checked against the requests the provider sends, below.
    expect(
      readYamlContract('jaeger/api_v3.query_service.openapi.yaml').paths[
        '/api/v3/traces'
      ],
    ).toBeDefined();
  });

  it('has a case for every file', () => {
    expect(filesUnder(path.join(CONTRACTS_DIR, 'jaeger')).sort()).toEqual(
      [...FILES].sort(),
    );
  });

  it('sends v3 requests the OpenAPI description knows, with the required time range', async () => {
    const spec = readYamlContract('jaeger/api_v3.query_service.openapi.yaml');
    const now = Date.parse('2026-11-22T10:00:10Z');
    const jaeger = await startJaegerQueryServer({
      now: () => now,
      seed: 'spec',
    });
    try {
      const provider = new TracesSectionProvider({
        instances: [
          {
            name: 'v3',
            kind: 'jaeger-v3',
            baseUrl: jaeger.url,
            authHeaderName: 'Authorization',
            timeoutMs: 5000,
            maxTraces: 50,
          },
        ],
        options: { ...roleOptions, minGatewayCoverage: 0 },
        logger: mockServices.logger.mock(),
        now: () => now,
      });
      const entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'nobody-knows-me' },
        spec: {},
      };
      await provider.getSection(entity, { getSection: jest.fn() } as any);
      expect(jaeger.requests.map(r => r.path.split('?')[0])).toEqual([
        '/api/v3/traces',
        '/api/v3/services',
      ]);
      const undocumented: string[] = [];
      const required: unknown[] = [];
      let window: string[] = [];
      for (const request of jaeger.requests) {
        const url = new URL(request.path, jaeger.url);
        const operation = spec.paths[url.pathname]?.get;
        const documented = (operation?.parameters ?? []).map(
          (p: { name: string }) => p.name,
        );
        for (const name of url.searchParams.keys()) {
          // The spec (jaeger-idl at v2.20.0) names them in camelCase; the gateway takes snake_case
          // on every 2.x release (FACTS.md). `num_traces` is the older name of `searchDepth`.
          const camel = name
            .replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
            .replace('query.numTraces', 'query.searchDepth');
          if (!documented.includes(camel))
            undocumented.push(`${url.pathname} ${name}`);
        }
        if (!operation) undocumented.push(url.pathname);
        if (url.pathname === '/api/v3/traces') {
          required.push(
            ...['query.startTimeMin', 'query.startTimeMax'].map(name => {
              const parameter = operation.parameters.find(
                (p: { name: string }) => p.name === name,
              );
              return [
                parameter.description.includes('This field is required.'),
                parameter.schema.format,
              ];
            }),
          );
          window = ['query.start_time_min', 'query.start_time_max'].map(
            name => url.searchParams.get(name)!,
          );
        }
      }
      expect(undocumented).toEqual([]);
      expect(required).toEqual([
        [true, 'date-time'],
        [true, 'date-time'],
      ]);
      expect(window.map(Date.parse)).toEqual([now - 3_600_000, now]);
    } finally {
      await jaeger.close();
    }
  });
});
