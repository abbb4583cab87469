import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity, parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  buildAdrKongDataset,
  KongAdminServer,
  startKongAdminServer,
} from '@internal/mesh-sandbox';
import { createServer } from 'node:net';
import request from 'supertest';
import { meshGatewayPlugin } from '../plugin';

const component = (name: string, annotations: Record<string, string> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:default/platform-team' },
});

const entities = [
  component('ai-agent-service', { 'mesh-gateway.io/kong-services': 'ai-agent-service' }),
  component('ghost-service', { 'mesh-gateway.io/kong-services': 'down/ghost-service' }),
  component('bad-annotation', { 'mesh-gateway.io/kong-services': 'a/b/c' }),
  component('legacy-batch-job'),
];

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise(resolve => probe.close(resolve));
  return port;
}

async function startBackend(kongUrl: string, options: { deny?: boolean } = {}) {
  const downPort = await closedPort();
  const { server } = await startTestBackend({
    features: [
      meshGatewayPlugin,
      catalogServiceMock.factory({ entities }),
      // Requests without a token are anonymous, as in a real backend (the test default is a user).
      mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
      mockServices.rootConfig.factory({
        data: {
          meshGateway: {
            kong: {
              instances: [
                { name: 'default', adminUrl: kongUrl, timeoutMs: 2000 },
                { name: 'down', adminUrl: `http://127.0.0.1:${downPort}`, timeoutMs: 1000 },
              ],
            },
          },
        },
      }),
      ...(options.deny
        ? [
            mockServices.permissions.mock({
              authorize: async requests => requests.map(() => ({ result: AuthorizeResult.DENY })),
            }).factory,
          ]
        : []),
    ],
  });
  return server;
}

describe('mesh-gateway router', () => {
  let kong: KongAdminServer;
  let server: Awaited<ReturnType<typeof startBackend>>;

  beforeAll(async () => {
    kong = await startKongAdminServer({ port: 0, dataset: buildAdrKongDataset() });
    server = await startBackend(kong.url);
  });
  afterAll(async () => {
    await kong.close();
  });

  const get = (path: string) =>
    request(server).get(`/api/mesh-gateway${path}`).set('Authorization', mockCredentials.user.header());

  it('returns the Kong service and routes of an entity from the Admin API', async () => {
    const res = await get('/v1/entities/default/component/ai-agent-service/kong');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ section: 'kong', status: 'ok' });
    const [view] = res.body.data.services;
    expect(view.service).toMatchObject({ name: 'ai-agent-service', host: 'ai-agent-service.parallel-ai.svc.cluster.local', port: 8080 });
    expect(view.routes.map((r: any) => r.paths).flat()).toContain('/api/v1/ai-agent');
    expect(view.routes[0].methods).toEqual(['GET', 'POST']);
    expect(view.routes[0].plugins.map((p: any) => p.name)).toEqual(expect.arrayContaining(['jwt', 'request-transformer', 'prometheus']));
  });

  it('returns every section in the overview', async () => {
    const res = await get('/v1/entities/default/component/ai-agent-service');
    expect(res.status).toBe(200);
    expect(res.body.entityRef).toBe('component:default/ai-agent-service');
    expect(Object.keys(res.body.sections).sort()).toEqual(['certificates', 'istio', 'kong', 'metrics', 'traces']);
    expect(res.body.sections.kong.status).toBe('ok');
    expect(res.body.sections.istio.status).toBe('not-configured');
    expect(res.headers['server-timing']).toMatch(/^app;dur=\d+\.\d{3}$/);
  });

  it('serves the second view from the cache and refreshes on request', async () => {
    const path = '/v1/entities/default/component/ai-agent-service/kong';
    await get(`${path}?refresh=true`);
    kong.requests.length = 0;
    const cached = await get(path);
    expect(cached.headers['x-mesh-gateway-cache']).toBe('hit');
    expect(cached.headers['server-timing']).toMatch(/^app;dur=\d+\.\d{3}$/);
    expect(kong.requests).toHaveLength(0);
    const refreshed = await get(`${path}?refresh=true`);
    expect(refreshed.headers['x-mesh-gateway-cache']).toBe('miss');
    expect(kong.requests.length).toBeGreaterThan(0);
  });

  it('accepts a window and rejects one outside 1m to 7d', async () => {
    const ok = await get('/v1/entities/default/component/ai-agent-service/traces?window=30m');
    expect(ok.status).toBe(200);
    const bad = await get('/v1/entities/default/component/ai-agent-service/traces?window=9d');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('window');
  });

  it('rejects unknown query parameters and bad values with 400 naming them', async () => {
    const unknown = await get('/v1/entities/default/component/ai-agent-service/kong?upstream=http://evil');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('"upstream"');
    const bad = await get('/v1/entities/default/component/ai-agent-service/kong?refresh=yes');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('refresh');
  });

  it('requires credentials', async () => {
    const res = await request(server).get('/api/mesh-gateway/v1/entities/default/component/ai-agent-service/kong');
    expect(res.status).toBe(401);
  });

  it('rejects a malformed entity reference with 400 and the reason', async () => {
    const res = await get('/v1/entities/default/component/bad..name/kong');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ name: 'InputError', message: expect.stringContaining('name must be') });
  });

  it('answers 404 for an unknown entity and an unknown section', async () => {
    expect((await get('/v1/entities/default/component/nope/kong')).status).toBe(404);
    const section = await get('/v1/entities/default/component/ai-agent-service/nope');
    expect(section.status).toBe(404);
    expect(section.body.error.message).toContain('kong, istio, traces, metrics, certificates');
  });

  it('reports an upstream that is down in the section, not as a 500', async () => {
    const res = await get('/v1/entities/default/component/ghost-service/kong');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'error', errors: [{ name: 'unreachable', instance: 'down', message: expect.stringContaining('connection failed') }] });
  });

  it('reports a malformed annotation in the section', async () => {
    const res = await get('/v1/entities/default/component/bad-annotation/kong');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'error', errors: [{ name: 'bad-annotation', message: expect.stringContaining('mesh-gateway.io/kong-services') }] });
  });

  it('says which annotation is missing when the entity has none', async () => {
    const res = await get('/v1/entities/default/component/legacy-batch-job/kong');
    expect(res.body).toMatchObject({ status: 'not-configured', missing: { annotations: expect.arrayContaining(['mesh-gateway.io/kong-services']) } });
  });

  it('answers 403 when the permission policy denies mesh-gateway.entity.read', async () => {
    const denied = await startBackend(kong.url, { deny: true });
    const res = await request(denied)
      .get('/api/mesh-gateway/v1/entities/default/component/ai-agent-service/kong')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(403);
  });
});

/**
 * The catalog decides who sees what: the router must ask it with the caller's own credentials,
 * and an entity the caller may not read must look exactly like one that does not exist.
 */
describe('mesh-gateway router with per-caller catalog visibility', () => {
  const secret = component('secret-service', { 'mesh-gateway.io/kong-services': 'ai-agent-service' });
  const open = component('ai-agent-service', { 'mesh-gateway.io/kong-services': 'ai-agent-service' });
  const alice = 'user:default/alice';
  const bob = 'user:default/bob';
  const seen: BackstageCredentials[] = [];

  /** Alice and every service principal read both entities; other users read only the open one. */
  const canRead = (credentials: BackstageCredentials | undefined, entity: Entity) => {
    if (stringifyEntityRef(entity) !== stringifyEntityRef(secret)) return true;
    const principal = credentials?.principal as { type?: string; userEntityRef?: string } | undefined;
    return principal?.type === 'service' || (principal?.type === 'user' && principal.userEntityRef === alice);
  };

  let kong: KongAdminServer;
  let server: any;

  beforeAll(async () => {
    kong = await startKongAdminServer({ port: 0, dataset: buildAdrKongDataset() });
    const catalog = catalogServiceMock.mock({
      getEntityByRef: async (ref, options) => {
        const credentials = options && 'credentials' in options ? options.credentials : undefined;
        if (credentials) seen.push(credentials);
        const wanted = stringifyEntityRef(typeof ref === 'string' ? parseEntityRef(ref) : ref);
        const entity = [secret, open].find(e => stringifyEntityRef(e) === wanted);
        return entity && canRead(credentials, entity) ? entity : undefined;
      },
    });
    ({ server } = await startTestBackend({
      features: [
        meshGatewayPlugin,
        catalog.factory,
        mockServices.rootConfig.factory({
          data: { meshGateway: { kong: { instances: [{ name: 'default', adminUrl: kong.url, timeoutMs: 2000 }] } } },
        }),
      ],
    }));
  });
  afterAll(() => kong.close());
  beforeEach(() => {
    seen.length = 0;
  });

  const get = (path: string, authorization: string) =>
    request(server).get(`/api/mesh-gateway/v1/entities/default/component/${path}`).set('Authorization', authorization);

  /** The response with the entity's name replaced, so two 404s for different names can be compared. */
  const normalized = (res: request.Response, name: string) => ({
    status: res.status,
    contentType: res.headers['content-type'],
    cacheHeader: res.headers['x-mesh-gateway-cache'],
    body: JSON.parse(JSON.stringify(res.body).split(name).join('<name>')),
  });

  it('shows the entity to a user the catalog lets read it, asking with that user\'s credentials', async () => {
    const res = await get('secret-service/kong', mockCredentials.user.header(alice));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ section: 'kong', status: 'ok' });
    expect(seen.map(c => (c.principal as any).userEntityRef)).toEqual([alice]);
  });

  it('gives a user the catalog refuses exactly the 404 of an entity that does not exist', async () => {
    for (const path of ['', '/kong', '/certificates']) {
      const refused = await get(`secret-service${path}`, mockCredentials.user.header(bob));
      const unknown = await get(`nosuch-service${path}`, mockCredentials.user.header(bob));
      expect(refused.status).toBe(404);
      expect(normalized(refused, 'secret-service')).toEqual(normalized(unknown, 'nosuch-service'));
      expect(refused.body.error).toEqual({ name: 'NotFoundError', message: 'No entity component:default/secret-service found' });
      // Nothing of the entity or its sections is in the answer.
      expect(JSON.stringify(refused.body)).not.toMatch(/ai-agent-service|kong-services|"status"|"section"|"data"/);
    }
    // The same user still reads what the catalog lets them read; the catalog was asked as bob.
    expect((await get('ai-agent-service/kong', mockCredentials.user.header(bob))).status).toBe(200);
    expect(new Set(seen.map(c => (c.principal as any).userEntityRef))).toEqual(new Set([bob]));
  });

  it('does not let a cached section leak to a user who cannot read the entity', async () => {
    expect((await get('secret-service/kong', mockCredentials.user.header(alice))).status).toBe(200);
    const afterAlice = await get('secret-service/kong', mockCredentials.user.header(bob));
    expect(afterAlice.status).toBe(404);
    expect(afterAlice.headers['x-mesh-gateway-cache']).toBeUndefined();
  });

  it('treats a service token on behalf of a user as that user', async () => {
    const onBehalfOfBob = mockCredentials.service.header({
      onBehalfOf: mockCredentials.user(bob),
      targetPluginId: 'mesh-gateway',
    });
    expect((await get('secret-service/kong', onBehalfOfBob)).status).toBe(404);
  });

  it('lets another plugin read a section with its own service credentials', async () => {
    const fromCatalogPlugin = mockCredentials.service.header({
      onBehalfOf: mockCredentials.service('plugin:scaffolder'),
      targetPluginId: 'mesh-gateway',
    });
    const res = await get('secret-service/kong', fromCatalogPlugin);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ section: 'kong', status: 'ok' });
    const plain = await get('secret-service/kong', mockCredentials.service.header());
    expect(plain.status).toBe(200);
    expect(seen.map(c => c.principal)).toEqual([
      { type: 'service', subject: 'plugin:scaffolder' },
      { type: 'service', subject: 'external:test-service' },
    ]);
  });
});
