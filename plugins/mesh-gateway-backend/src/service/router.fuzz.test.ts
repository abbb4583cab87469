import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { buildAdrKongDataset, KongAdminServer, startKongAdminServer } from '@internal/mesh-sandbox';
import fc from 'fast-check';
import request from 'supertest';
import { meshGatewayPlugin } from '../plugin';

/** The default run stays quick; `FUZZ_RUNS=10000 yarn test:fuzz` is the full suite. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

const entity = (name: string, annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {},
});

/** Path segments an attacker or a confused client might send. */
const segment = fc.oneof(
  fc.constantFrom('default', 'component', 'ai-agent-service', 'kong', 'istio', '..', '.', '%2e%2e', '%2F', '%00', '%', '%zz', 'a'.repeat(300), '😀', 'a b', 'a/b', '__proto__', 'constructor'),
  fc.string({ maxLength: 40 }),
  fc.stringMatching(/^[a-zA-Z0-9._~%-]{1,80}$/),
);
const query = fc.dictionary(
  fc.oneof(fc.constantFrom('refresh', 'window', '__proto__', 'refresh[]'), fc.string({ maxLength: 12 })),
  fc.oneof(fc.constantFrom('true', 'false', '', 'yes'), fc.string({ maxLength: 20 })),
  { maxKeys: 3 },
);

describe('HTTP API under hostile input (fast-check)', () => {
  let kong: KongAdminServer;
  let server: any;

  beforeAll(async () => {
    kong = await startKongAdminServer({ port: 0, dataset: buildAdrKongDataset() });
    ({ server } = await startTestBackend({
      features: [
        meshGatewayPlugin,
        catalogServiceMock.factory({
          entities: [
            entity('ai-agent-service', { 'mesh-gateway.io/kong-services': 'ai-agent-service' }),
            entity('hostile', { 'mesh-gateway.io/kong-services': 'x/../../admin', 'backstage.io/kubernetes-label-selector': 'a in (b' }),
          ],
        }),
        mockServices.rootConfig.factory({
          data: { meshGateway: { kong: { instances: [{ name: 'default', adminUrl: kong.url, timeoutMs: 1000 }] } } },
        }),
      ],
    }));
  });
  afterAll(() => kong.close());

  it('never answers 5xx, and every rejection says what was wrong', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { minLength: 1, maxLength: 5 }),
        query,
        fc.constantFrom('user', 'none', 'invalid'),
        async (segments, params, auth) => {
          const qs = new URLSearchParams(params).toString();
          const path = `/api/mesh-gateway/v1/entities/${segments.join('/')}${qs ? `?${qs}` : ''}`;
          let req = request(server).get(path);
          if (auth === 'user') req = req.set('Authorization', mockCredentials.user.header());
          if (auth === 'invalid') req = req.set('Authorization', mockCredentials.user.invalidHeader());
          const res = await req;
          expect(res.status).toBeLessThan(500);
          const rejectionSaysWhy =
            res.status < 400 || (typeof res.body?.error?.message === 'string' && res.body.error.message.length > 0);
          expect({ status: res.status, body: res.body, rejectionSaysWhy }).toMatchObject({ rejectionSaysWhy: true });
        },
      ),
      { numRuns: RUNS },
    );
  }, 600_000);

  it('keeps an entity with hostile annotations to a section error', async () => {
    const res = await request(server)
      .get('/api/mesh-gateway/v1/entities/default/component/hostile')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.sections.kong).toMatchObject({ status: 'error', errors: [{ name: 'bad-annotation' }] });
  });
});
