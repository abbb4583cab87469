import { CacheManager } from '@backstage/backend-defaults/cache';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { parseServiceSpec } from '@internal/plugin-mesh-gateway-common';
import {
  buildAdrCluster,
  KongAdminServer,
  KubeObject,
  KubernetesApiServer,
  loadDeckDump,
  startKongAdminServer,
  startKubernetesApiServer,
} from '@internal/mesh-sandbox';
import { generateConfiguration } from '@internal/plugin-scaffolder-backend-module-mesh-gateway';
import { parseAllDocuments } from 'yaml';
import { IstioSectionProvider } from '../istio/IstioSectionProvider';
import { KongSectionProvider } from '../kong/KongSectionProvider';
import { KubernetesReader } from '../kubernetes/KubernetesReader';
import { MeshSectionService } from './MeshSectionService';

/**
 * The loop closes: what the template generates for a new service, applied to Kong and to the
 * cluster, gives zero findings in the same analysis the Mesh tab shows.
 */
describe('generated configuration, loaded into the sandbox', () => {
  let kong: KongAdminServer;
  let kube: KubernetesApiServer;
  let service: MeshSectionService;
  let entity: Entity;

  beforeAll(async () => {
    const parsed = parseServiceSpec({ name: 'orders', namespace: 'shop', owner: 'group:default/platform-team', auth: { issuer: 'https://auth.example.com' } });
    if (!parsed.success) throw new Error(JSON.stringify(parsed.issues));
    const { files } = generateConfiguration(parsed.spec);
    const file = (path: string) => files.find(f => f.path === path)!.content;
    const documents = (prefix: string) =>
      files
        .filter(f => f.path.startsWith(prefix) && f.path.endsWith('.yaml'))
        .flatMap(f => parseAllDocuments(f.content).map(d => d.toJS() as KubeObject));

    kong = await startKongAdminServer({ port: 0, dataset: loadDeckDump(file('kong/kong.yaml')) });

    // What the service's own manifests add: its Service and pods of both tiers.
    const labels = { app: 'orders', 'backstage.io/kubernetes-id': 'orders' };
    const workload: KubeObject[] = [
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'orders', namespace: 'shop', labels }, spec: { selector: { app: 'orders' }, ports: [{ name: 'http', port: 8080, targetPort: 8080 }] } },
      ...['premium', 'standard'].map(tier => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `orders-${tier}-0`, namespace: 'shop', labels: { ...labels, tier, version: tier } },
        spec: {},
      })),
    ];
    kube = await startKubernetesApiServer({ objects: buildAdrCluster([...documents('istio/'), ...workload]) });

    entity = parseAllDocuments(file('catalog-info.yaml')).map(d => d.toJS() as Entity).find(e => e.kind === 'Component')!;
    entity.metadata.namespace = 'default';

    const logger = mockServices.logger.mock();
    service = new MeshSectionService({
      providers: [
        new KongSectionProvider({ instances: [{ name: 'default', adminUrl: kong.url, authHeaderName: 'Kong-Admin-Token', timeoutMs: 2000, pageSize: 1000 }], logger }),
        new IstioSectionProvider({ readers: [new KubernetesReader({ name: 'sandbox', url: kube.url, skipTLSVerify: true }, 2000)], rootNamespace: 'istio-system', logger }),
      ],
      cache: CacheManager.fromConfig(mockServices.rootConfig()).forPlugin('mesh-gateway'),
      logger,
      cachePolicy: { ttlMs: 1000, staleMs: 0, errorTtlMs: 0 },
    });
  });
  afterAll(async () => {
    await kong?.close();
    await kube?.close();
  });

  it('has no Kong finding', async () => {
    const kongSection = await service.getSection(entity, 'kong');
    expect(kongSection.status).toBe('ok');
    expect(kongSection.data!.services.map(s => s.service.name)).toEqual(['orders']);
    expect(kongSection.findings).toEqual([]);
  });

  it('has no Istio finding, cross-checks with Kong included', async () => {
    const istio = await service.getSection(entity, 'istio');
    expect(istio.errors).toBeUndefined();
    const [workload] = istio.data!.workloads;
    expect(workload.mtls.mode).toBe('STRICT');
    expect(workload.authorization.decision).toBe('restricted');
    expect(istio.findings).toEqual([]);
  });
});
