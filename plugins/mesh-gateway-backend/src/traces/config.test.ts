import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { mockServices } from '@backstage/backend-test-utils';
import { readTracingConfig } from './config';
import { createTracesSectionProvider } from './index';
import { parseWindowLength } from './window';

const read = (tracing: JsonObject) =>
  readTracingConfig(new ConfigReader({ meshGateway: { tracing } }));

describe('readTracingConfig', () => {
  it('reads instances with defaults, and the span recognition options', () => {
    const config = read({
      gatewayServiceNames: ['kong', 'kong-gateway'],
      minGatewayCoverage: 0.9,
      instances: [
        {
          name: 'default',
          kind: 'jaeger',
          baseUrl: 'http://jaeger-query.observability:16686',
        },
        {
          name: 'v2',
          kind: 'jaeger-v3',
          baseUrl: 'https://jaeger.example.com/jaeger',
          uiUrl: 'https://jaeger.example.com/jaeger',
          authHeaderName: 'X-Token',
          authToken: 'secret',
          timeoutMs: 3000,
          maxTraces: 1000,
        },
      ],
    });
    expect(config.instances).toEqual([
      {
        name: 'default',
        kind: 'jaeger',
        baseUrl: 'http://jaeger-query.observability:16686',
        authHeaderName: 'Authorization',
        timeoutMs: 10000,
        maxTraces: 500,
      },
      {
        name: 'v2',
        kind: 'jaeger-v3',
        baseUrl: 'https://jaeger.example.com/jaeger',
        uiUrl: 'https://jaeger.example.com/jaeger',
        authHeaderName: 'X-Token',
        authToken: 'secret',
        timeoutMs: 3000,
        maxTraces: 1000,
      },
    ]);
    expect(config.options).toEqual({
      gatewayServiceNames: ['kong', 'kong-gateway'],
      gatewayScopeNames: ['kong-internal'],
      meshProxyServiceNames: ['istio-proxy'],
      minGatewayCoverage: 0.9,
    });
    expect(readTracingConfig(new ConfigReader({})).instances).toEqual([]);
  });

  it.each([
    [
      { instances: [{ name: 'Default', kind: 'jaeger', baseUrl: 'http://j' }] },
      'Invalid config at meshGateway.tracing.instances[0].name: must be a lowercase DNS label',
    ],
    [
      { instances: [{ name: 'a', kind: 'zipkin', baseUrl: 'http://j' }] },
      'Invalid config at meshGateway.tracing.instances[0].kind:',
    ],
    [
      { instances: [{ name: 'a', kind: 'jaeger', baseUrl: 'file:///etc' }] },
      'Invalid config at meshGateway.tracing.instances[0].baseUrl: must be http or https',
    ],
    [
      {
        instances: [
          { name: 'a', kind: 'jaeger', baseUrl: 'http://j', maxTraces: 0 },
        ],
      },
      'Invalid config at meshGateway.tracing.instances[0].maxTraces:',
    ],
    [
      {
        instances: [
          { name: 'a', kind: 'jaeger', baseUrl: 'http://j' },
          { name: 'a', kind: 'jaeger-v3', baseUrl: 'http://k' },
        ],
      },
      'Invalid config at meshGateway.tracing.instances: the name "a" is used twice',
    ],
    [
      { minGatewayCoverage: 2 },
      'Invalid config at meshGateway.tracing.minGatewayCoverage:',
    ],
    [
      { gatewayServiceNames: [] },
      'Invalid config at meshGateway.tracing.gatewayServiceNames:',
    ],
  ])('refuses %j', (tracing, message) => {
    expect(() => read(tracing)).toThrow(message);
  });

  it('builds the provider from config', async () => {
    const provider = createTracesSectionProvider({
      config: new ConfigReader({}),
      logger: mockServices.logger.mock(),
    });
    expect(provider.section).toBe('traces');
    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'x' },
    };
    expect(
      await provider.getSection(entity, { getSection: jest.fn() } as any),
    ).toMatchObject({ status: 'not-configured' });
  });
});

describe('parseWindowLength', () => {
  it.each([
    ['1m', 60_000],
    ['30m', 1_800_000],
    ['1h', 3_600_000],
    ['36h', 129_600_000],
    ['7d', 604_800_000],
  ])('reads %s', (value, ms) => expect(parseWindowLength(value)).toBe(ms));

  it.each(['0m', '8d', '1w', '-1h', '1.5h', 'h', ''])('refuses %j', value => {
    expect(() => parseWindowLength(value)).toThrow();
  });
});
