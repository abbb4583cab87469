import { ContractSchemas } from './contracts';

const schemas = ContractSchemas.load();

const meta = { name: 'svc', namespace: 'ns' };

function check(
  apiVersion: string,
  kind: string,
  rest: Record<string, unknown>,
) {
  const validate = schemas.customResource(apiVersion, kind);
  if (!validate) {
    throw new Error(`no schema for ${apiVersion} ${kind}`);
  }
  return validate({ apiVersion, kind, metadata: meta, ...rest });
}

describe('ContractSchemas', () => {
  it('knows the v1 Istio kinds, cert-manager and Kong plugins', () => {
    expect(schemas.customResourceKinds).toEqual(
      expect.arrayContaining([
        'networking.istio.io/v1/VirtualService',
        'networking.istio.io/v1/DestinationRule',
        'networking.istio.io/v1/Gateway',
        'security.istio.io/v1/PeerAuthentication',
        'security.istio.io/v1/AuthorizationPolicy',
        'security.istio.io/v1/RequestAuthentication',
        'telemetry.istio.io/v1/Telemetry',
        'cert-manager.io/v1/Certificate',
        'configuration.konghq.com/v1/KongPlugin',
        'configuration.konghq.com/v1/KongClusterPlugin',
      ]),
    );
    expect(
      schemas.customResource('networking.istio.io/v1beta1', 'VirtualService'),
    ).toBeUndefined();
  });

  it('accepts a valid DestinationRule and names every field Istio does not have', () => {
    expect(
      check('networking.istio.io/v1', 'DestinationRule', {
        spec: {
          host: 'svc.ns.svc.cluster.local',
          trafficPolicy: {
            connectionPool: {
              tcp: {
                connectTimeout: '30s',
                tcpKeepalive: { time: '7200s', interval: '75s' },
              },
            },
            outlierDetection: { consecutive5xxErrors: 5, interval: '30s' },
          },
        },
      }),
    ).toEqual([]);
    expect(
      check('networking.istio.io/v1', 'DestinationRule', {
        spec: {
          host: 'svc',
          trafficPolicy: {
            circuitBreaker: { simpleCb: {} },
            connectionPool: {
              http: { connectTimeout: '30s' },
              tcp: { keepAlive: {} },
            },
            outlierDetection: { interval: 'thirty seconds' },
          },
        },
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'spec.trafficPolicy.circuitBreaker' }),
        expect.objectContaining({
          field: 'spec.trafficPolicy.connectionPool.http.connectTimeout',
        }),
        expect.objectContaining({
          field: 'spec.trafficPolicy.connectionPool.tcp.keepAlive',
        }),
        expect.objectContaining({
          field: 'spec.trafficPolicy.outlierDetection.interval',
          message: expect.stringContaining('duration'),
        }),
      ]),
    );
  });

  it('rejects customTags under accessLogging and a bad mTLS mode', () => {
    expect(
      check('telemetry.istio.io/v1', 'Telemetry', {
        spec: {
          accessLogging: [{ providers: [{ name: 'envoy' }], customTags: {} }],
        },
      }),
    ).toEqual([
      expect.objectContaining({ field: 'spec.accessLogging[0].customTags' }),
    ]);
    expect(
      check('security.istio.io/v1', 'PeerAuthentication', {
        spec: { mtls: { mode: 'ON' } },
      }),
    ).toEqual([
      expect.objectContaining({
        field: 'spec.mtls.mode',
        message: expect.stringContaining('"STRICT"'),
      }),
    ]);
  });

  it('evaluates the CEL rule that allows either selector or targetRefs', () => {
    expect(
      check('security.istio.io/v1', 'AuthorizationPolicy', {
        spec: {
          selector: { matchLabels: { app: 'a' } },
          targetRefs: [{ kind: 'Service', name: 'a' }],
        },
      }),
    ).toEqual([expect.objectContaining({ field: 'spec' })]);
  });

  it('checks Kong plugins and cert-manager Certificates', () => {
    expect(
      check('configuration.konghq.com/v1', 'KongPlugin', {
        plugin: 'jwt',
        config: { any: 1 },
      }),
    ).toEqual([]);
    expect(
      check('configuration.konghq.com/v1', 'KongPlugin', {
        plugin: 'jwt',
        protocol: 'http',
      }),
    ).toEqual([expect.objectContaining({ field: 'protocol' })]);
    expect(
      check('cert-manager.io/v1', 'Certificate', {
        spec: {
          secretName: 's',
          issuerRef: { name: 'ca' },
          dnsNames: ['a.example.com'],
          rotateEvery: '720h',
        },
      }),
    ).toEqual([expect.objectContaining({ field: 'spec.rotateEvery' })]);
    expect(
      check('cert-manager.io/v1', 'Certificate', { spec: { dnsNames: ['a'] } }),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'spec.secretName',
          message: 'is required',
        }),
        expect.objectContaining({
          field: 'spec.issuerRef',
          message: 'is required',
        }),
      ]),
    );
  });

  it('checks decK files against the decK schema', () => {
    expect(
      schemas.deck({
        _format_version: '3.0',
        services: [
          {
            name: 'a',
            host: 'a.ns.svc.cluster.local',
            routes: [{ name: 'r', paths: ['/a'] }],
          },
        ],
      }),
    ).toEqual([]);
    expect(
      schemas.deck({
        _format_version: '3.0',
        services: [
          { name: 'a', hostname: 'x', routes: [{ name: 'r', paths: '/a' }] },
        ],
      }),
    ).toEqual([
      {
        field: 'services[0].hostname',
        message: 'unknown field: decK rejects the file',
      },
      { field: 'services[0].routes[0].paths', message: 'must be array' },
    ]);
  });
});
