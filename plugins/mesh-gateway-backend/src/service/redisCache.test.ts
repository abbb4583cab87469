import { cacheServiceFactory } from '@backstage/backend-defaults/cache';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { buildAdrKongDataset, KongAdminServer, startKongAdminServer } from '@internal/mesh-sandbox';
import request from 'supertest';
import { meshGatewayPlugin } from '../plugin';
import { requireBinary, RunningServer, startRedis } from '@internal/mesh-sandbox';

const hasRedis = requireBinary('/usr/bin/redis-server', 'redis-server');
const describeWithRedis = hasRedis ? describe : describe.skip;

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'ai-agent-service', namespace: 'default', annotations: { 'mesh-gateway.io/kong-services': 'ai-agent-service' } },
  spec: {},
};

describeWithRedis('section cache in Redis, shared by two backend instances', () => {
  let redis: RunningServer;
  let kong: KongAdminServer;
  const backends: { stop(): Promise<void> }[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    kong = await startKongAdminServer({ port: 0, dataset: buildAdrKongDataset() });
  }, 60_000);
  afterAll(async () => {
    // Backends first: their Redis clients must not see the server go away under them.
    for (const b of backends) await b.stop();
    await kong?.close();
    await redis?.stop();
  });

  const backend = async () => {
    const started = await startTestBackend({
        features: [
          meshGatewayPlugin,
          cacheServiceFactory,
          catalogServiceMock.factory({ entities: [entity] }),
          mockServices.rootConfig.factory({
            data: {
              backend: { cache: { store: 'redis', connection: redis.url } },
              meshGateway: {
                cache: { ttlSeconds: 60 },
                kong: { instances: [{ name: 'default', adminUrl: kong.url }] },
              },
            },
          }),
        ],
      });
    backends.push(started);
    return started.server;
  };

  it('serves the second instance from the first instance\'s fetch', async () => {
    const [first, second] = [await backend(), await backend()];
    const path = '/api/mesh-gateway/v1/entities/default/component/ai-agent-service/kong';
    kong.requests.length = 0;

    const a = await request(first).get(path).set('Authorization', mockCredentials.user.header());
    expect(a.status).toBe(200);
    expect(a.headers['x-mesh-gateway-cache']).toBe('miss');
    const callsAfterFirst = kong.requests.length;
    expect(callsAfterFirst).toBeGreaterThan(0);

    const b = await request(second).get(path).set('Authorization', mockCredentials.user.header());
    expect(b.headers['x-mesh-gateway-cache']).toBe('hit');
    expect(b.body).toEqual(a.body);
    expect(kong.requests.length).toBe(callsAfterFirst);
  });
});
