import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import type { JsonValue } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { buildAdrKongDataset, KongAdminServer, startKongAdminServer } from '@internal/mesh-sandbox';
import request from 'supertest';
import { meshGatewayPlugin } from '../plugin';
import { DEFAULT_SECTION_CACHE_POLICY, readCacheConfig } from './cacheConfig';

const read = (cache: JsonValue) => readCacheConfig(new ConfigReader({ meshGateway: { cache } }));

describe('readCacheConfig', () => {
  it('uses 30 s fresh, 5 min stale and 5 s for errors when nothing is configured', () => {
    expect(readCacheConfig(new ConfigReader({}))).toEqual({
      cachePolicy: { ttlMs: 30_000, staleMs: 300_000, errorTtlMs: 5_000 },
      sectionCachePolicies: {},
    });
    expect(readCacheConfig(new ConfigReader({ meshGateway: {} })).cachePolicy).toEqual(DEFAULT_SECTION_CACHE_POLICY);
    expect(read({}).cachePolicy).toEqual(DEFAULT_SECTION_CACHE_POLICY);
  });

  it('reads the defaults in seconds, keeping the built-in value of a key left out', () => {
    expect(read({ ttlSeconds: 60 }).cachePolicy).toEqual({ ttlMs: 60_000, staleMs: 300_000, errorTtlMs: 5_000 });
    expect(read({ ttlSeconds: 0.5, staleSeconds: 0, errorTtlSeconds: 2 }).cachePolicy).toEqual({
      ttlMs: 500,
      staleMs: 0,
      errorTtlMs: 2_000,
    });
  });

  it('reads per-section overrides of only the keys they name, for any subset of sections', () => {
    const { cachePolicy, sectionCachePolicies } = read({
      ttlSeconds: 20,
      sections: { kong: { ttlSeconds: 5 }, certificates: { ttlSeconds: 3600, staleSeconds: 0, errorTtlSeconds: 60 } },
    });
    expect(cachePolicy).toEqual({ ttlMs: 20_000, staleMs: 300_000, errorTtlMs: 5_000 });
    expect(sectionCachePolicies).toEqual({
      kong: { ttlMs: 5_000 },
      certificates: { ttlMs: 3_600_000, staleMs: 0, errorTtlMs: 60_000 },
    });
    expect(read({ sections: { traces: {} } }).sectionCachePolicies).toEqual({ traces: {} });
    expect(read({ sections: {} }).sectionCachePolicies).toEqual({});
  });

  it('accepts numeric strings, as ${ENV} substitution gives them', () => {
    expect(read({ ttlSeconds: '45', sections: { metrics: { staleSeconds: '1.5' } } })).toEqual({
      cachePolicy: { ...DEFAULT_SECTION_CACHE_POLICY, ttlMs: 45_000 },
      sectionCachePolicies: { metrics: { staleMs: 1_500 } },
    });
  });

  it.each([
    [{ ttlSeconds: -1 }, /^Invalid config at meshGateway\.cache\.ttlSeconds: .*>=0/],
    [{ ttlSeconds: 'soon' }, /^Invalid config at meshGateway\.cache\.ttlSeconds: .*expected number/],
    [{ staleSeconds: 86_401 }, /^Invalid config at meshGateway\.cache\.staleSeconds: .*<=86400/],
    [{ errorTtlSeconds: true }, /^Invalid config at meshGateway\.cache\.errorTtlSeconds: .*expected number/],
    [{ ttl: 30 }, /^Invalid config at meshGateway\.cache: unknown key "ttl"; allowed: ttlSeconds, staleSeconds, errorTtlSeconds, sections$/],
    [{ sections: { kong: { ttlSeconds: -5 } } }, /^Invalid config at meshGateway\.cache\.sections\.kong\.ttlSeconds: .*>=0/],
    [{ sections: { kong: { ttl: 5 } } }, /^Invalid config at meshGateway\.cache\.sections\.kong: unknown key "ttl"; allowed: ttlSeconds, staleSeconds, errorTtlSeconds$/],
    [{ sections: { kongg: { ttlSeconds: 5 } } }, /^Invalid config at meshGateway\.cache\.sections: unknown key "kongg"; allowed: kong, istio, traces, metrics, certificates$/],
    [{ sections: { kong: 5 } }, /^Invalid config at meshGateway\.cache\.sections\.kong: .*expected object/],
    [{ sections: [] }, /^Invalid config at meshGateway\.cache\.sections: .*expected object/],
    ['30', /^Invalid config at meshGateway\.cache: .*expected object/],
  ])('refuses %j with the key and the reason', (cache, message) => {
    expect(() => read(cache)).toThrow(message);
  });
});

describe('per-section cache TTLs from config, through the HTTP API', () => {
  let kong: KongAdminServer;
  let server: any;

  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'ai-agent-service', namespace: 'default', annotations: { 'mesh-gateway.io/kong-services': 'ai-agent-service' } },
    spec: {},
  };

  beforeAll(async () => {
    kong = await startKongAdminServer({ port: 0, dataset: buildAdrKongDataset() });
    ({ server } = await startTestBackend({
      features: [
        meshGatewayPlugin,
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.rootConfig.factory({
          data: {
            meshGateway: {
              kong: { instances: [{ name: 'default', adminUrl: kong.url, timeoutMs: 2000 }] },
              // Long defaults; only the Kong section is short-lived and has no stale period.
              cache: { ttlSeconds: 600, sections: { kong: { ttlSeconds: 0.3, staleSeconds: 0 } } },
            },
          },
        }),
      ],
    }));
  });
  afterAll(() => kong.close());

  const get = (section: string) =>
    request(server)
      .get(`/api/mesh-gateway/v1/entities/default/component/ai-agent-service/${section}`)
      .set('Authorization', mockCredentials.user.header());

  it('refetches the Kong section once its configured TTL has passed, while the others stay cached', async () => {
    const first = await get('kong');
    expect(first.status).toBe(200);
    expect(first.body.status).toBe('ok');
    expect(first.headers['x-mesh-gateway-cache']).toBe('miss');
    expect((await get('istio')).headers['x-mesh-gateway-cache']).toBe('miss');

    kong.requests.length = 0;
    const soon = await get('kong');
    expect(soon.headers['x-mesh-gateway-cache']).toBe('hit');
    expect(kong.requests).toHaveLength(0);

    await new Promise(resolve => setTimeout(resolve, 450));

    const later = await get('kong');
    expect(later.status).toBe(200);
    // With staleSeconds 0 the expired result is not served stale: the request itself refetches.
    expect(later.headers['x-mesh-gateway-cache']).toBe('miss');
    expect(kong.requests.length).toBeGreaterThan(0);
    expect(later.body.fetchedAt > first.body.fetchedAt).toBe(true);
    // The section without an override keeps the 600 s default.
    expect((await get('istio')).headers['x-mesh-gateway-cache']).toBe('hit');
  });
});
