import { GatewaySignals, MeshSignals, sloTargets, TrafficSignals } from '@internal/plugin-mesh-gateway-common';
import { evaluateSlo, metricsFindings } from './analysis';

const traffic = (requestRate: number, errorShare: number): TrafficSignals => ({
  requestRate,
  requests: requestRate * 3600,
  errorRate: requestRate * errorShare,
  errors: requestRate * errorShare * 3600,
  errorShare: requestRate > 0 ? errorShare : null,
  clientErrorShare: requestRate > 0 ? 0 : null,
});
const quantiles = (p95Ms: number | null) => ({ p50Ms: p95Ms === null ? null : p95Ms / 2, p95Ms, p99Ms: p95Ms === null ? null : p95Ms * 1.5 });
const gateway = (overrides: Partial<GatewaySignals> = {}): GatewaySignals => ({
  kongServices: ['user-service'],
  metricsVersion: 'kong-3',
  traffic: traffic(10, 0.0001),
  requestLatency: quantiles(80),
  kongLatency: quantiles(20),
  upstreamLatency: quantiles(60),
  series: null,
  ...overrides,
});
const mesh = (overrides: Partial<MeshSignals> = {}): MeshSignals => ({
  destination: { destination_service_namespace: 'parallel-ai', destination_service_name: 'user-service' },
  found: true,
  traffic: traffic(12, 0.0002),
  latency: quantiles(70),
  mtls: { share: 1, mutualTlsRate: 12, plaintextRate: 0, unknownRate: 0 },
  series: null,
  ...overrides,
});
const targets = sloTargets({});
const shortWindow = (gatewayTraffic: TrafficSignals | null = null, meshTraffic: TrafficSignals | null = null) => ({
  durationMs: 300_000,
  gateway: gatewayTraffic,
  mesh: meshTraffic,
});
const context = { gatewayObject: 'prometheus/main/kong/user-service', meshObject: 'prometheus/main/istio/parallel-ai/user-service', windowMs: 3_600_000, fastBurnRate: 2 };
const codes = (input: Parameters<typeof metricsFindings>[0]) => metricsFindings(input, context).map(f => f.code).sort();

describe('evaluateSlo', () => {
  it('measures availability at the gateway and spends the budget by the 5xx share', () => {
    const slo = evaluateSlo({
      gateway: gateway({ traffic: traffic(10, 0.0002) }),
      mesh: mesh(),
      targets,
      shortWindow: shortWindow(traffic(10, 0.003)),
    });
    expect(slo.objectives[0]).toMatchObject({ name: 'availability', source: 'gateway', state: 'met' });
    expect(slo.objectives[0].actual).toBeCloseTo(0.9998, 12);
    expect(slo.budget!.source).toBe('gateway');
    expect(slo.budget!.burnRate).toBeCloseTo(0.4, 12);
    expect(slo.budget!.remaining).toBeCloseTo(0.6, 12);
    expect(slo.budget!.shortWindow).toEqual({ durationMs: 300_000, burnRate: expect.closeTo(6, 9) });
  });

  it('falls back to the mesh without Kong traffic, and judges nothing without any', () => {
    const fromMesh = evaluateSlo({ gateway: gateway({ traffic: null, requestLatency: null, kongLatency: null }), mesh: mesh(), targets, shortWindow: shortWindow() });
    expect(fromMesh.objectives.map(o => [o.name, o.source, o.state])).toEqual([
      ['availability', 'mesh', 'met'],
      ['gateway-p95', null, 'no-data'],
      ['end-to-end-p95', 'mesh', 'met'],
    ]);
    const nothing = evaluateSlo({ gateway: null, mesh: mesh({ traffic: traffic(0, 0), latency: quantiles(null) }), targets, shortWindow: shortWindow() });
    expect(nothing.objectives.map(o => o.state)).toEqual(['no-data', 'no-data', 'no-data']);
    expect(nothing.budget).toBeNull();
  });

  it('meets a latency objective the P95 equals, and breaches one it exceeds', () => {
    const slo = evaluateSlo({ gateway: gateway({ kongLatency: quantiles(50), requestLatency: quantiles(100.01) }), mesh: null, targets, shortWindow: shortWindow() });
    expect(slo.objectives.map(o => [o.name, o.state])).toEqual([
      ['availability', 'met'],
      ['gateway-p95', 'met'],
      ['end-to-end-p95', 'breached'],
    ]);
  });
});

describe('metricsFindings', () => {
  it('has nothing to say about a healthy service', () => {
    const input = { gateway: gateway(), mesh: mesh() };
    expect(codes({ ...input, slo: evaluateSlo({ ...input, targets, shortWindow: shortWindow(traffic(10, 0)) }) })).toEqual([]);
  });

  it('reports a spent budget, a fast burn and slow requests', () => {
    const input = { gateway: gateway({ traffic: traffic(10, 0.004), kongLatency: quantiles(61), requestLatency: quantiles(130) }), mesh: mesh() };
    const slo = evaluateSlo({ ...input, targets, shortWindow: shortWindow(traffic(10, 0.02)) });
    const findings = metricsFindings({ ...input, slo }, context);
    expect(findings.map(f => f.code).sort()).toEqual(['MG-SLO-001', 'MG-SLO-002', 'MG-SLO-003', 'MG-SLO-004']);
    expect(findings.find(f => f.code === 'MG-SLO-001')).toMatchObject({
      severity: 'critical',
      object: 'prometheus/main/kong/user-service',
      message: 'Availability at the gateway was 99.600% over the last 1 h (objective 99.950%): about 144 of 36,000 requests failed with 5xx, so the window\'s error budget is spent (burn rate 8.0×).',
    });
    expect(findings.find(f => f.code === 'MG-SLO-002')!.message).toContain('burned at 40.0× the sustainable rate');
  });

  it('does not call a burn below the threshold fast', () => {
    const input = { gateway: gateway({ traffic: traffic(10, 0.0001) }), mesh: mesh() };
    const slo = evaluateSlo({ ...input, targets, shortWindow: shortWindow(traffic(10, 0.00099)) });
    expect(codes({ ...input, slo })).toEqual([]);
  });

  it('reports plain-text requests in the mesh', () => {
    const input = { gateway: gateway(), mesh: mesh({ mtls: { share: 0.96, mutualTlsRate: 9.6, plaintextRate: 0.4, unknownRate: 0 } }) };
    const findings = metricsFindings({ ...input, slo: evaluateSlo({ ...input, targets, shortWindow: shortWindow() }) }, context);
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'MG-SLO-005',
        object: 'prometheus/main/istio/parallel-ai/user-service',
        message: '4.00% of the requests the service received over the last 1 h did not use mutual TLS (0.400 req/s plain text).',
      }),
    ]);
  });

  it('says which metrics are missing', () => {
    const noKong = { gateway: gateway({ metricsVersion: null, traffic: null, requestLatency: null, kongLatency: null, upstreamLatency: null }), mesh: mesh({ found: false, traffic: null, latency: null, mtls: null }) };
    expect(codes({ ...noKong, slo: evaluateSlo({ ...noKong, targets, shortWindow: shortWindow() }) })).toEqual(['MG-SLO-006', 'MG-SLO-008']);

    const latencyOff = { gateway: gateway({ requestLatency: null, kongLatency: null, upstreamLatency: null }), mesh: null };
    const slo = evaluateSlo({ ...latencyOff, targets, shortWindow: shortWindow() });
    expect(codes({ ...latencyOff, slo })).toEqual(['MG-SLO-007']);
    // A failed latency query is an error of the section, not evidence of latency metrics being off.
    expect(codes({ ...latencyOff, slo, gatewayLatencyFailed: true })).toEqual([]);
  });

  it('says when series exist but counted no request', () => {
    const quiet = { gateway: gateway({ traffic: traffic(0, 0), requestLatency: quantiles(null), kongLatency: quantiles(null) }), mesh: null };
    expect(codes({ ...quiet, slo: evaluateSlo({ ...quiet, targets, shortWindow: shortWindow() }) })).toEqual(['MG-SLO-009']);
  });
});
