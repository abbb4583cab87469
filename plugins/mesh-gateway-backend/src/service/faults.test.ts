import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  buildAdrCluster,
  buildAdrKongDataset,
  FaultInjector,
  FaultRule,
  KongAdminServer,
  KubernetesApiServer,
  startKongAdminServer,
  startKubernetesApiServer,
} from '@internal/mesh-sandbox';
import request from 'supertest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { meshGatewayPlugin } from '../plugin';

const TIMEOUT_MS = 800;

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'user-service',
    namespace: 'default',
    annotations: {
      'mesh-gateway.io/kong-services': 'user-service',
      'backstage.io/kubernetes-id': 'user-service',
      'backstage.io/kubernetes-namespace': 'parallel-ai',
    },
  },
  spec: {},
};

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('sections under upstream faults', () => {
  const kongFaults = new FaultInjector();
  const kubeFaults = new FaultInjector();
  let kong: KongAdminServer;
  let kube: KubernetesApiServer;
  let server: any;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    kong = await startKongAdminServer({ port: 0, dataset: buildAdrKongDataset(), faults: kongFaults });
    kube = await startKubernetesApiServer({ objects: buildAdrCluster(), faults: kubeFaults });
    ({ server } = await startTestBackend({
      features: [
        meshGatewayPlugin,
        catalogServiceMock.factory({ entities: [entity] }),
        mockServices.rootConfig.factory({
          data: {
            meshGateway: {
              kong: { instances: [{ name: 'default', adminUrl: kong.url, timeoutMs: TIMEOUT_MS }] },
              kubernetes: { timeoutMs: TIMEOUT_MS },
              // A breaker that never opens here: each fault must be seen as itself.
              upstreams: { retries: 1, retryBaseMs: 10, failureThreshold: 1000 },
            },
            kubernetes: {
              clusterLocatorMethods: [{ type: 'config', clusters: [{ name: 'sandbox', url: kube.url, skipTLSVerify: true, authProvider: 'serviceAccount' }] }],
            },
          },
        }),
      ],
    }));
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await kong.close();
    await kube.close();
  });
  afterEach(() => {
    kongFaults.clear();
    kubeFaults.clear();
  });

  const view = () =>
    request(server)
      .get('/api/mesh-gateway/v1/entities/default/component/user-service?refresh=true')
      .set('Authorization', mockCredentials.user.header());

  it.each<[string, FaultRule['fault'], RegExp]>([
    ['a 500', { type: 'status', status: 500 }, /HTTP 500/],
    ['a 429 with Retry-After', { type: 'rate-limit', retryAfterSeconds: 30 }, /HTTP 429.*Retry-After 30 s/],
    ['malformed JSON', { type: 'malformed-json' }, /not valid JSON/],
    ['a truncated body', { type: 'truncated' }, /body could not be read|not valid JSON|terminated|connection failed/],
    ['a connection reset', { type: 'reset' }, /connection failed|socket hang up|ECONNRESET|other side closed/i],
    ['a server that never answers', { type: 'hang' }, new RegExp(`no answer within ${TIMEOUT_MS} ms`)],
    ['latency beyond the timeout', { type: 'latency', ms: TIMEOUT_MS * 3 }, new RegExp(`no answer within ${TIMEOUT_MS} ms`)],
  ])('Kong answering with %s: the section says so, the page does not fail', async (_name, fault, message) => {
    kongFaults.set([{ fault }]);
    const started = Date.now();
    const res = await view();
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.body.sections.kong).toMatchObject({ status: 'error', errors: [expect.objectContaining({ instance: 'default', message: expect.stringMatching(message) })] });
    // The other section is unaffected.
    expect(res.body.sections.istio.status).toBe('ok');
    expect(elapsed).toBeLessThan(2 * TIMEOUT_MS);
  });

  it('reports a Kubernetes API that never answers in the Istio section only', async () => {
    kubeFaults.set([{ fault: { type: 'hang' } }]);
    const res = await view();
    expect(res.status).toBe(200);
    expect(res.body.sections.istio).toMatchObject({ status: 'error', errors: [expect.objectContaining({ name: 'timeout', instance: 'sandbox' })] });
    expect(res.body.sections.kong.status).toBe('ok');
  });

  it('recovers from a transient 503 through a retry', async () => {
    kongFaults.set([{ fault: { type: 'status', status: 503 }, times: 1 }]);
    const res = await view();
    expect(res.body.sections.kong.status).toBe('ok');
    expect(kongFaults.hits.status).toBeGreaterThanOrEqual(1);
  });

  it('has no unhandled rejection and keeps memory flat over repeated faults', async () => {
    const faults: FaultRule['fault'][] = [
      { type: 'status', status: 500 },
      { type: 'malformed-json' },
      { type: 'truncated' },
      { type: 'reset' },
    ];
    const round = async (n: number) => {
      for (let i = 0; i < n; i++) {
        kongFaults.set([{ fault: faults[i % faults.length] }]);
        const res = await view();
        expect(res.status).toBe(200);
      }
    };
    await round(20);
    gc();
    const before = process.memoryUsage().heapUsed;
    await round(120);
    gc();
    const growth = process.memoryUsage().heapUsed - before;
    expect(growth).toBeLessThan(8 * 1024 * 1024);
    expect(unhandled).toEqual([]);
  }, 120_000);
});
