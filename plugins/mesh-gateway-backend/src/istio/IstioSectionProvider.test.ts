import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { SectionResult, KongSection } from '@internal/plugin-mesh-gateway-common';
import {
  buildAdrCluster,
  KubernetesApiServer,
  startKubernetesApiServer,
} from '@internal/mesh-sandbox';
import { KubernetesReader } from '../kubernetes/KubernetesReader';
import { IstioSectionProvider, parseLabelSelector } from './IstioSectionProvider';

const entity = (name: string, annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, annotations },
  spec: {},
});
const adrEntity = (name: string) =>
  entity(name, { 'backstage.io/kubernetes-id': name, 'backstage.io/kubernetes-namespace': 'parallel-ai' });
/** The section over one cluster the reader reaches at `url`, without a token. */
const providerFor = (cluster: string, url: string) =>
  new IstioSectionProvider({
    readers: [new KubernetesReader({ name: cluster, url, skipTLSVerify: true }, 2000)],
    rootNamespace: 'istio-system',
    logger: mockServices.logger.mock(),
  });
const noKong = {
  getSection: async () => ({ section: 'kong', status: 'not-configured', findings: [], fetchedAt: '' }) as SectionResult<any>,
};

describe('IstioSectionProvider against the sandbox Kubernetes API', () => {
  let server: KubernetesApiServer;
  let provider: IstioSectionProvider;

  beforeAll(async () => {
    server = await startKubernetesApiServer({
      objects: buildAdrCluster(),
      forbidden: ['sidecars.networking.istio.io'],
      token: 'sandbox-token',
    });
    provider = new IstioSectionProvider({
      readers: [new KubernetesReader({ name: 'sandbox', url: server.url, serviceAccountToken: 'sandbox-token', skipTLSVerify: true }, 2000)],
      rootNamespace: 'istio-system',
      logger: mockServices.logger.mock(),
    });
  });
  afterAll(() => server.close());

  it('reports the user-service demo fault: PERMISSIVE at the workload over a STRICT namespace', async () => {
    const result = await provider.getSection(adrEntity('user-service'), noKong);
    expect(result.errors).toBeUndefined();
    expect(result.status).toBe('ok');
    const [view] = result.data!.workloads;
    expect(view.mtls).toMatchObject({ mode: 'PERMISSIVE', source: { scope: 'workload', policy: 'parallel-ai/user-service-legacy-clients' } });
    expect(view.workloadLabels).toEqual({ app: 'user-service' });
    expect(view.host).toBe('user-service.parallel-ai.svc.cluster.local');
    expect(result.findings.map(f => f.code)).toContain('MG-ISTIO-001');
  });

  it('reports the analytics demo fault (no outlier detection) and the ai-agent missing subset', async () => {
    const analytics = await provider.getSection(adrEntity('analytics-service'), noKong);
    expect(analytics.findings.map(f => f.code)).toContain('MG-ISTIO-006');
    // The documents' backup job, still on `deck dump`, is found by the entity's labels.
    expect(analytics.findings).toContainEqual(expect.objectContaining({ code: 'MG-OPS-001', object: 'kubernetes/CronJob/parallel-ai/analytics-service-kong-backup' }));
    // Its command and env may hold a Kong admin token: the finding names it, the YAML is not shown.
    expect(analytics.data!.workloads[0].objects.filter(o => o.kind === 'CronJob')).toEqual([]);
    const aiAgent = await provider.getSection(adrEntity('ai-agent-service'), noKong);
    expect(aiAgent.findings).toContainEqual(expect.objectContaining({ code: 'MG-ISTIO-009', istioctlCode: 'IST0101' }));
    expect(aiAgent.data!.workloads[0].mtls.mode).toBe('STRICT');
    expect(aiAgent.data!.workloads[0].authorization.decision).toBe('restricted');
    expect(aiAgent.findings.map(f => f.code)).not.toContain('MG-OPS-001');
  });

  it('names the missing RBAC permission of a forbidden resource type instead of failing', async () => {
    const result = await provider.getSection(adrEntity('ai-agent-service'), noKong);
    expect(result.status).toBe('ok');
    expect(result.data!.workloads[0].forbidden).toEqual([
      expect.objectContaining({ resource: 'sidecars.networking.istio.io', namespace: 'parallel-ai', need: expect.stringContaining('resources: ["sidecars"]') }),
      expect.objectContaining({ resource: 'sidecars.networking.istio.io', namespace: 'istio-system' }),
    ]);
  });

  it('names the ClusterRole permission when the Namespace may not be read, and keeps the rest of the view', async () => {
    const restricted = await startKubernetesApiServer({ objects: buildAdrCluster(), forbidden: ['namespaces'] });
    try {
      const result = await providerFor('sandbox', restricted.url).getSection(adrEntity('user-service'), noKong);
      expect(result.status).toBe('ok');
      const [view] = result.data!.workloads;
      expect(view.forbidden).toEqual([
        { resource: 'namespaces', namespace: 'parallel-ai', need: expect.stringMatching(/resources: \["namespaces"\], verbs: \["get"\] in a ClusterRole/) },
      ]);
      expect(view.injection).toEqual({ enabled: false, unknown: true });
      expect(view.mtls.mode).toBe('PERMISSIVE');
      // Unknown injection is not reported as missing injection.
      expect(result.findings.map(f => f.code)).not.toContain('MG-ISTIO-008');
    } finally {
      await restricted.close();
    }
  });

  it('finds the namespace from the pods when none is annotated, as the Kubernetes plugin does', async () => {
    server.requests.length = 0;
    const result = await provider.getSection(entity('user-service', { 'backstage.io/kubernetes-id': 'user-service' }), noKong);
    expect(result.status).toBe('ok');
    expect(result.data!.workloads.map(w => w.namespace)).toEqual(['parallel-ai']);
    expect(result.data!.workloads[0].mtls.mode).toBe('PERMISSIVE');
    expect(server.requests.map(r => r.path)).toContainEqual(expect.stringMatching(/^\/api\/v1\/pods\?.*labelSelector=backstage.io%2Fkubernetes-id%3Duser-service/));
  });

  it('shows at most three namespaces of a search, and says how to pick one', async () => {
    const spread = ['team-a', 'team-b', 'team-c', 'team-d'].flatMap((ns): NonNullable<Parameters<typeof buildAdrCluster>[0]> => [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { 'istio-injection': 'enabled' } }, spec: {} },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: `web-${ns}`, namespace: ns, labels: { 'backstage.io/kubernetes-id': 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } },
    ]);
    const wide = await startKubernetesApiServer({ objects: buildAdrCluster(spread) });
    try {
      const result = await providerFor('wide', wide.url).getSection(entity('web', { 'backstage.io/kubernetes-id': 'web' }), noKong);
      expect(result.data!.workloads.map(w => w.namespace)).toEqual(['team-a', 'team-b', 'team-c']);
      expect(result.errors).toEqual([
        expect.objectContaining({ name: 'too-many-namespaces', message: expect.stringContaining('run in 4 namespaces') }),
      ]);
    } finally {
      await wide.close();
    }
  });

  it('names the ClusterRole rule when the pods may not be searched for', async () => {
    const noPods = await startKubernetesApiServer({ objects: buildAdrCluster(), forbidden: ['pods'] });
    try {
      const result = await providerFor('sandbox', noPods.url).getSection(entity('user-service', { 'backstage.io/kubernetes-id': 'user-service' }), noKong);
      expect(result.status).toBe('error');
      expect(result.errors).toEqual([
        expect.objectContaining({
          name: 'unauthorized',
          message: expect.stringContaining('resources: ["pods"], verbs: ["list"] in a ClusterRole (to search all namespaces)'),
        }),
      ]);
    } finally {
      await noPods.close();
    }
  });

  it('falls back to the default namespace when no pod matches', async () => {
    const result = await provider.getSection(entity('ghost', { 'backstage.io/kubernetes-id': 'ghost-service' }), noKong);
    expect(result.errors).toEqual([expect.objectContaining({ message: expect.stringContaining('namespace default exists in none of the clusters') })]);
  });

  it('returns objects without managedFields', async () => {
    const result = await provider.getSection(adrEntity('ai-agent-service'), noKong);
    const objects = result.data!.workloads[0].objects;
    expect(objects.map(o => o.kind)).toEqual(expect.arrayContaining(['Service', 'PeerAuthentication', 'AuthorizationPolicy', 'RequestAuthentication', 'VirtualService', 'DestinationRule']));
    expect(JSON.stringify(objects)).not.toContain('managedFields');
  });

  it('cross-checks the Kong section: Kong pointing at another port is reported', async () => {
    const kong = {
      getSection: async () =>
        ({
          section: 'kong',
          status: 'ok',
          findings: [],
          fetchedAt: '',
          data: { nodes: [], services: [{ instance: 'default', service: { id: '1', name: 'user-service', host: 'user-service.parallel-ai.svc.cluster.local', port: 9090, protocol: 'http' }, routes: [], plugins: [] }] },
        }) as SectionResult<KongSection> as any,
    };
    const result = await provider.getSection(adrEntity('user-service'), kong);
    expect(result.findings).toContainEqual(expect.objectContaining({ code: 'MG-ISTIO-012', message: expect.stringContaining('port 9090') }));
  });

  it('is not configured without Kubernetes annotations, and an error for a bad selector', async () => {
    expect((await provider.getSection(entity('x', {}), noKong)).status).toBe('not-configured');
    const bad = await provider.getSection(entity('x', { 'backstage.io/kubernetes-label-selector': 'app in (a,b)' }), noKong);
    expect(bad).toMatchObject({ status: 'error', errors: [{ name: 'bad-annotation', message: expect.stringContaining('app in (a,b)') }] });
  });

  it('says so when the namespace exists in no cluster', async () => {
    const result = await provider.getSection(entity('x', { 'backstage.io/kubernetes-id': 'x', 'backstage.io/kubernetes-namespace': 'nowhere' }), noKong);
    expect(result).toMatchObject({ status: 'error', errors: [{ name: 'not-found', message: expect.stringContaining('nowhere') }] });
  });

  it('reports an unreachable cluster as the section error', async () => {
    const down = providerFor('down', 'http://127.0.0.1:9');
    const result = await down.getSection(adrEntity('user-service'), noKong);
    expect(result).toMatchObject({ status: 'error', errors: [{ name: 'unreachable', instance: 'down' }] });
  });
});

describe('KubernetesReader', () => {
  let server: KubernetesApiServer;
  beforeAll(async () => {
    server = await startKubernetesApiServer({ objects: buildAdrCluster() });
  });
  afterAll(() => server.close());

  it('follows continue across pages with a label selector', async () => {
    const reader = new KubernetesReader({ name: 'sandbox', url: server.url, skipTLSVerify: true }, 2000);
    server.requests.length = 0;
    const pods = await reader.list({ group: '', versions: ['v1'], plural: 'pods', kind: 'Pod' }, 'parallel-ai', 'app=user-service');
    expect(pods).toHaveLength(6);
    expect(pods.every(p => p.metadata.labels?.app === 'user-service')).toBe(true);
    expect(server.requests[0].path).toContain('labelSelector=app%3Duser-service');
  });

  it('pages with limit and continue, and restarts a list whose continue token expired', async () => {
    const expiring = await startKubernetesApiServer({ objects: buildAdrCluster(), expireFirstContinue: true });
    try {
      const reader = new KubernetesReader({ name: 'sandbox', url: expiring.url, skipTLSVerify: true }, 2000, 4);
      const pods = await reader.list({ group: '', versions: ['v1'], plural: 'pods', kind: 'Pod' }, 'parallel-ai');
      expect(pods).toHaveLength(18);
      expect(new Set(pods.map(p => p.metadata.name)).size).toBe(18);
      const paths = expiring.requests.map(r => r.path);
      expect(paths.filter(p => p.includes('continue=')).length).toBeGreaterThanOrEqual(5);
      expect(paths.filter(p => !p.includes('continue=')).length).toBe(2);
    } finally {
      await expiring.close();
    }
  });

  it('falls back to v1beta1 on a cluster whose Istio serves no v1 yet, and remembers it', async () => {
    const oldIstio = await startKubernetesApiServer({
      objects: buildAdrCluster(),
      unservedVersions: ['networking.istio.io/v1', 'security.istio.io/v1'],
    });
    try {
      const provider = providerFor('istio-1.21', oldIstio.url);
      const result = await provider.getSection(adrEntity('user-service'), noKong);
      expect(result.errors).toBeUndefined();
      const [view] = result.data!.workloads;
      expect(view.mtls).toMatchObject({ mode: 'PERMISSIVE', source: { scope: 'workload' } });
      expect(view.objects.filter(o => o.kind === 'PeerAuthentication').map(o => o.apiVersion)).toContain('security.istio.io/v1beta1');
      expect(view.objects.filter(o => o.kind === 'VirtualService').map(o => o.apiVersion)).toEqual(['networking.istio.io/v1beta1']);

      oldIstio.requests.length = 0;
      await provider.getSection(adrEntity('analytics-service'), noKong);
      const istioPaths = oldIstio.requests.map(r => r.path).filter(p => /(networking|security)\.istio\.io/.test(p));
      expect(istioPaths.length).toBeGreaterThan(0);
      expect(istioPaths.filter(p => /istio\.io\/v1\//.test(p))).toEqual([]);
    } finally {
      await oldIstio.close();
    }
  });
});

describe('parseLabelSelector', () => {
  it('parses equality selectors and refuses set-based ones', () => {
    expect(parseLabelSelector('app=user-service, version==v1')).toEqual({ app: 'user-service', version: 'v1' });
    expect(() => parseLabelSelector('app!=x')).toThrow('app!=x');
    expect(() => parseLabelSelector('')).toThrow('empty');
  });
});
