import { durationMs, resolveHost } from './inventory';
import { inventory, istioObject } from './__testUtils__/testObjects';
import { resilience, trafficRoutes } from './traffic';

describe('trafficRoutes', () => {
  it('flattens the tier header routing with timeouts, retries and faults', () => {
    const routes = trafficRoutes(
      inventory({
        virtualServices: [
          istioObject('VirtualService', 'parallel-ai', 'user-service', {
            hosts: ['user-service.parallel-ai'],
            http: [
              { name: 'premium', match: [{ headers: { 'x-user-tier': { exact: 'premium' } }, uri: { prefix: '/api/v1/users' } }], route: [{ destination: { host: 'user-service', subset: 'premium', port: { number: 8080 } } }], timeout: '30s', retries: { attempts: 3, perTryTimeout: '7s', retryOn: '5xx' } },
              { route: [{ destination: { host: 'user-service', subset: 'standard' }, weight: 100 }], fault: { delay: { fixedDelay: '2s', percentage: { value: 10 } }, abort: { httpStatus: 503 } } },
            ],
          }),
          istioObject('VirtualService', 'parallel-ai', 'other', { hosts: ['analytics-service'], http: [{ route: [{ destination: { host: 'analytics-service' } }] }] }),
        ],
      }),
    );
    expect(routes).toEqual([
      {
        virtualService: 'parallel-ai/user-service',
        route: 0,
        name: 'premium',
        match: ['uri starts with /api/v1/users and header x-user-tier = premium'],
        destinations: [{ host: 'user-service.parallel-ai.svc.cluster.local', subset: 'premium', port: 8080, weight: undefined }],
        timeout: '30s',
        retries: { attempts: 3, perTryTimeout: '7s', retryOn: '5xx' },
        fault: undefined,
      },
      {
        virtualService: 'parallel-ai/user-service',
        route: 1,
        name: undefined,
        match: [],
        destinations: [{ host: 'user-service.parallel-ai.svc.cluster.local', subset: 'standard', port: undefined, weight: 100 }],
        timeout: undefined,
        retries: undefined,
        fault: { delay: '2s for 10%', abort: '503 for 100%' },
      },
    ]);
  });

  it('reads subsets, TLS, outlier detection and connection pool of the host\'s DestinationRules', () => {
    const views = resilience(
      inventory({
        destinationRules: [
          istioObject('DestinationRule', 'parallel-ai', 'user-service', {
            host: 'user-service',
            trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' }, outlierDetection: { consecutive5xxErrors: 5 } },
            subsets: [{ name: 'premium', labels: { version: 'premium' } }],
          }),
          istioObject('DestinationRule', 'parallel-ai', 'not-mine', { host: 'analytics-service' }),
        ],
      }),
    );
    expect(views).toEqual([
      {
        destinationRule: 'parallel-ai/user-service',
        host: 'user-service.parallel-ai.svc.cluster.local',
        subsets: [{ name: 'premium', labels: { version: 'premium' } }],
        tlsMode: 'ISTIO_MUTUAL',
        outlierDetection: { consecutive5xxErrors: 5 },
        connectionPool: undefined,
        loadBalancer: undefined,
      },
    ]);
  });
});

describe('helpers', () => {
  it.each([
    ['30s', 30000], ['1.5s', 1500], ['500ms', 500], ['2m', 120000], ['1h', 3600000], ['30', undefined], [undefined, undefined],
  ])('durationMs(%j) = %j', (value, ms) => {
    expect(durationMs(value)).toBe(ms);
  });

  it.each([
    ['user-service', 'user-service.parallel-ai.svc.cluster.local'],
    ['user-service.parallel-ai', 'user-service.parallel-ai.svc.cluster.local'],
    ['user-service.parallel-ai.svc', 'user-service.parallel-ai.svc.cluster.local'],
    ['api.example.com', 'api.example.com'],
    ['*.example.com', '*.example.com'],
  ])('resolveHost(%s)', (host, expected) => {
    expect(resolveHost(host, 'parallel-ai')).toBe(expected);
  });
});
