import { AdrTraceGenerator } from './adrTraces';
import { SandboxSpan, SandboxTrace, serviceNameOf } from './model';

const NOW = Date.parse('2026-11-22T10:00:10Z');
const HOUR_US = 3_600_000_000;
const lastHour = (generator: AdrTraceGenerator, now = NOW) => [
  ...generator.traces(now * 1000 - HOUR_US, now * 1000),
];
const ms = (span: SandboxSpan) => Number(span.endNs - span.startNs) / 1e6;
const services = (trace: SandboxTrace) =>
  new Set(trace.spans.map(serviceNameOf));

describe('AdrTraceGenerator', () => {
  it('generates the same traces from the same seed, and others from another seed', () => {
    const a = lastHour(new AdrTraceGenerator({ seed: 's1', now: () => NOW }));
    const b = lastHour(new AdrTraceGenerator({ seed: 's1', now: () => NOW }));
    const c = lastHour(new AdrTraceGenerator({ seed: 's2', now: () => NOW }));
    expect(a.length).toBeGreaterThan(150);
    expect(b).toEqual(a);
    expect(c.map(t => t.traceId)).not.toEqual(a.map(t => t.traceId));
  });

  it('rolls with time: an hour later the overlapping traces are the same and the last hour is full', () => {
    let now = NOW;
    const generator = new AdrTraceGenerator({ seed: 'roll', now: () => now });
    const before = lastHour(generator);
    now = NOW + 30 * 60_000;
    const after = lastHour(generator);
    const shared = before.filter(trace =>
      after.some(t => t.traceId === trace.traceId),
    );
    expect(shared.length).toBeGreaterThan(60);
    for (const trace of shared) {
      expect(after.find(t => t.traceId === trace.traceId)).toEqual(trace);
    }
    expect(after.length).toBeGreaterThan(150);
    // Nothing from the future, nothing still running.
    for (const trace of after) {
      for (const span of trace.spans)
        expect(span.endNs <= BigInt(now) * 1_000_000n).toBe(true);
    }
  });

  it("sends requests Kong → Kong's sidecar → the service's sidecar → the service, with gateway time of ~5–20 ms", () => {
    const traces = lastHour(
      new AdrTraceGenerator({ seed: 'path', now: () => NOW }),
    );
    const viaKong = traces.filter(
      t => services(t).has('kong-gateway') && services(t).has('user-service'),
    );
    expect(viaKong.length).toBeGreaterThan(50);
    const gatewayMs: number[] = [];
    for (const trace of viaKong) {
      const byId = new Map(trace.spans.map(s => [s.spanId, s]));
      const server = trace.spans.find(
        s => serviceNameOf(s) === 'user-service' && s.kind === 2,
      )!;
      const chain: string[] = [];
      for (
        let span = byId.get(server.parentSpanId!);
        span;
        span = byId.get(span.parentSpanId ?? '')
      ) {
        chain.push(`${serviceNameOf(span)} ${span.kind}`);
      }
      // Directly from Kong, or from ai-agent-service which Kong called.
      expect(chain.slice(0, 2)).toEqual([
        'user-service.parallel-ai 2',
        expect.stringMatching(/^(kong\.kong|ai-agent-service\.parallel-ai) 3$/),
      ]);
      expect(chain[chain.length - 1]).toBe('kong-gateway 2');
      const root = trace.spans.find(s => !s.parentSpanId)!;
      const kongSidecar = trace.spans.find(
        s => serviceNameOf(s) === 'kong.kong',
      )!;
      gatewayMs.push(ms(root) - ms(kongSidecar));
    }
    gatewayMs.sort((a, b) => a - b);
    expect(gatewayMs[Math.floor(gatewayMs.length / 2)]).toBeGreaterThan(4);
    expect(gatewayMs[Math.floor(gatewayMs.length / 2)]).toBeLessThan(20);
  });

  it('has a few failed and slow requests, batch calls around Kong and analytics traces that lost the context', () => {
    const traces = lastHour(
      new AdrTraceGenerator({ seed: 'mix', now: () => NOW }),
    );
    const failed = traces.filter(t => t.spans.some(s => s.status.code === 2));
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(traces.length / 10);
    expect(
      traces.filter(
        t =>
          services(t).has('reporting-cron') && !services(t).has('kong-gateway'),
      ).length,
    ).toBeGreaterThan(0);
    const lost = traces.filter(t => t.traceId.startsWith('0000000000000000'));
    expect(lost.length).toBeGreaterThan(0);
    for (const trace of lost) {
      expect([...services(trace)]).toEqual(['analytics-service']);
      expect(
        trace.spans.find(s => !s.parentSpanId)!.attributes.map(a => a.key),
      ).toContain('http.request.header.x-kong-request-id');
    }
    const sixHours = [
      ...new AdrTraceGenerator({ seed: 'mix', now: () => NOW }).traces(
        NOW * 1000 - 6 * HOUR_US,
        NOW * 1000,
      ),
    ];
    const slowModelCalls = sixHours
      .flatMap(t => t.spans)
      .filter(s => s.name === 'llm.generate' && ms(s) > 250);
    expect(slowModelCalls.length).toBeGreaterThan(0);
    expect(slowModelCalls.length).toBeLessThan(sixHours.length / 10);
    // Envoy's error tag is the string "true"; OTLP statuses are integers.
    const envoyError = traces
      .flatMap(t => t.spans)
      .find(s => s.attributes.some(a => a.key === 'error'));
    expect(envoyError?.attributes.find(a => a.key === 'error')?.value).toEqual({
      stringValue: 'true',
    });
  });

  it('finds a trace by id, and lists services and operations', () => {
    const generator = new AdrTraceGenerator({
      seed: 'ids',
      now: () => NOW,
      retentionMs: 7 * 3_600_000,
    });
    const [first] = lastHour(generator);
    // Another process (nothing generated yet) finds it too.
    expect(
      new AdrTraceGenerator({ seed: 'ids', now: () => NOW }).trace(
        first.traceId,
      ),
    ).toEqual(first);
    expect(generator.trace('f'.repeat(32))).toBeUndefined();
    const catalogue = generator.catalogue();
    expect([...catalogue.keys()].sort()).toEqual([
      'ai-agent-service',
      'ai-agent-service.parallel-ai',
      'analytics-service',
      'analytics-service.parallel-ai',
      'kong-gateway',
      'kong.kong',
      'reporting-cron',
      'user-service',
      'user-service.parallel-ai',
    ]);
    expect(
      catalogue.get('user-service')?.get('GET /api/v1/users/{userId}'),
    ).toBe(2);
  });

  it('refuses bad options', () => {
    expect(() => new AdrTraceGenerator({ intervalMs: 5 })).toThrow(
      'invalid option intervalMs',
    );
  });
});
