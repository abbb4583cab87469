import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import type {
  CertificatesSection,
  SectionResult,
} from '@internal/plugin-mesh-gateway-common';
import {
  buildAdrCluster,
  buildAdrKongDataset,
  buildCertManagerObjects,
  KongAdminServer,
  KubernetesApiServer,
  startKongAdminServer,
  startKubernetesApiServer,
  startTlsSandbox,
  TlsSandbox,
  withTlsSandboxCertificates,
} from '@internal/mesh-sandbox';
import type { KongInstanceConfig } from '../kong/config';
import { KongSectionProvider } from '../kong/KongSectionProvider';
import { KubernetesReader } from '../kubernetes/KubernetesReader';
import type { SectionContext } from '../service/SectionProvider';
import { createCertificatesSectionProvider } from '.';
import { CertificatesSectionProvider } from './CertificatesSectionProvider';

const adrEntity = (
  name: string,
  annotations: Record<string, string> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    annotations: {
      'backstage.io/kubernetes-id': name,
      'backstage.io/kubernetes-namespace': 'parallel-ai',
      'mesh-gateway.io/kong-services': name,
      'mesh-gateway.io/certificates': 'kong/api-parallel-ai-tls',
      ...annotations,
    },
  },
  spec: {},
});

/**
 * The whole sandbox: TLS endpoints, Kong holding their certificates, cert-manager Certificates and
 * the Istio root in the Kubernetes API; the backend reads them as it would in a cluster.
 */
describe('CertificatesSectionProvider against the sandbox', () => {
  let dir: string;
  let tls: TlsSandbox;
  let kube: KubernetesApiServer;
  let kong: KongAdminServer;
  let kongInstance: KongInstanceConfig;
  let provider: CertificatesSectionProvider;
  let kongProvider: KongSectionProvider;
  const logger = mockServices.logger.mock();

  const context = (entity: Entity): SectionContext => ({
    getSection: (async () =>
      kongProvider.getSection(entity)) as SectionContext['getSection'],
  });
  const read = (entity: Entity, p = provider) =>
    p.getSection(entity, context(entity));
  const codes = (result: SectionResult<CertificatesSection>) =>
    result.findings.map(f => `${f.code} ${f.object}`).sort();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'certificates-'));
    tls = await startTlsSandbox({ port: 0, caFile: path.join(dir, 'ca.pem') });
    kube = await startKubernetesApiServer({
      objects: buildAdrCluster(buildCertManagerObjects(tls.material)),
      token: 'token',
    });
    kong = await startKongAdminServer({
      port: 0,
      dataset: withTlsSandboxCertificates(buildAdrKongDataset(), tls.material),
    });
    kongInstance = {
      name: 'default',
      adminUrl: kong.url,
      authHeaderName: 'Kong-Admin-Token',
      timeoutMs: 2000,
      pageSize: 1000,
    };
    kongProvider = new KongSectionProvider({
      instances: [kongInstance],
      logger,
    });
    provider = createCertificatesSectionProvider({
      config: new ConfigReader({
        meshGateway: {
          certificates: {
            probe: {
              allowedHosts: ['*.parallel-ai.example.com'],
              caBundleFile: tls.caFile,
              connectTo: [
                {
                  host: '*.parallel-ai.example.com',
                  address: '127.0.0.1',
                  port: tls.port,
                },
              ],
            },
          },
        },
      }),
      logger,
      readers: [
        new KubernetesReader(
          {
            name: 'sandbox',
            url: kube.url,
            serviceAccountToken: 'token',
            skipTLSVerify: true,
          },
          2000,
        ),
      ],
      kongInstances: [kongInstance],
    });
  });
  afterAll(async () => {
    await Promise.all([tls.close(), kube.close(), kong.close()]);
    await rm(dir, { recursive: true, force: true });
  });

  it('ai-agent-service: the edge host is fine; agents.* still serves the certificate cert-manager already renewed', async () => {
    const result = await read(
      adrEntity('ai-agent-service', {
        'mesh-gateway.io/tls-hosts':
          'api.parallel-ai.example.com, agents.parallel-ai.example.com',
      }),
    );
    expect(result.errors).toBeUndefined();
    expect(result.status).toBe('ok');
    const data = result.data!;
    expect([
      data.certManager.status,
      data.kong.status,
      data.istioRoot.status,
      data.probes.status,
    ]).toEqual(['ok', 'ok', 'ok', 'ok']);

    expect(
      data.certificates.map(r => [
        r.commonName,
        r.health,
        r.daysLeft,
        r.sources.map(s => s.kind).join('+'),
      ]),
    ).toEqual([
      ['agents.parallel-ai.example.com', 'warning', 10, 'tls-probe+kong'],
      ['api.parallel-ai.example.com', 'ok', 70, 'tls-probe+kong+cert-manager'],
      ['agents.parallel-ai.example.com', 'ok', 87, 'cert-manager'],
      ['mesh-sandbox Root CA', 'ok', 3649, 'istio-root'],
    ]);
    expect(codes(result)).toEqual([
      'MG-CERT-003 tls/agents.parallel-ai.example.com:443',
      'MG-CERT-006 tls/agents.parallel-ai.example.com:443',
    ]);
    const rotation = result.findings.find(f => f.code === 'MG-CERT-006')!;
    expect(rotation.message).toMatch(
      /serves agents\.parallel-ai\.example\.com with a certificate valid until .* but cert-manager Certificate parallel-ai\/agents-parallel-ai-tls holds one valid until .* \(revision 4\)/,
    );

    expect(data.sharedRoot).toMatchObject({
      status: 'shared',
      istioRoots: ['CN=mesh-sandbox Root CA, O=parallel-ai'],
    });
    expect(data.summary).toMatchObject({
      total: 4,
      worst: 'warning',
      expired: 0,
      nextExpiry: { daysLeft: 10, label: 'agents.parallel-ai.example.com' },
    });

    const probe = data.probes.data!.find(
      p => p.host === 'api.parallel-ai.example.com',
    )!;
    expect(probe).toMatchObject({
      outcome: 'probed',
      trusted: true,
      hostnameMatches: true,
      protocol: 'TLSv1.3',
      sources: ['annotation'],
    });
    expect(probe.chain.map(c => c.commonName)).toEqual([
      'api.parallel-ai.example.com',
      'mesh-sandbox Edge Issuing CA',
      'mesh-sandbox Root CA',
    ]);
  });

  it('analytics-service: expired, renewal overdue, issuance failing', async () => {
    const result = await read(
      adrEntity('analytics-service', {
        'mesh-gateway.io/tls-hosts': 'analytics.parallel-ai.example.com',
      }),
    );
    expect(codes(result)).toEqual([
      'MG-CERT-001 tls/analytics.parallel-ai.example.com:443',
      'MG-CERT-005 cert-manager/sandbox/parallel-ai/analytics-parallel-ai-tls',
      'MG-CERT-011 cert-manager/sandbox/parallel-ai/analytics-parallel-ai-tls',
    ]);
    const [first] = result.data!.certificates;
    expect(first).toMatchObject({
      health: 'expired',
      commonName: 'analytics.parallel-ai.example.com',
      daysLeft: -6,
    });
    expect(first.sources.map(s => s.kind)).toEqual([
      'tls-probe',
      'kong',
      'cert-manager',
    ]);
    expect(
      result.findings.find(f => f.code === 'MG-CERT-001')!.message,
    ).toContain('(5 days ago)');
    expect(
      result.findings.find(f => f.code === 'MG-CERT-011')!.message,
    ).toContain('3 failed attempt(s)');
    expect(result.data!.summary.expired).toBe(1);
  });

  it('user-service: the host serves a certificate for another name; its Certificate is not issued yet', async () => {
    const result = await read(
      adrEntity('user-service', {
        'mesh-gateway.io/tls-hosts': 'users.parallel-ai.example.com',
      }),
    );
    expect(codes(result)).toEqual([
      'MG-CERT-004 cert-manager/sandbox/parallel-ai/users-parallel-ai-tls',
      'MG-CERT-007 tls/users.parallel-ai.example.com:443',
    ]);
    const served = result.data!.certificates.find(
      r => r.commonName === 'user-legacy.parallel-ai.example.com',
    )!;
    expect(served).toMatchObject({
      health: 'critical',
      reason: 'the certificate does not cover the host name',
    });
    const pending = result.data!.certificates.find(
      r => r.sources[0].kind === 'cert-manager' && r.notAfter === undefined,
    )!;
    expect(pending).toMatchObject({
      health: 'critical',
      dnsNames: ['users.parallel-ai.example.com'],
      issuer: 'ClusterIssuer parallel-ai-edge-ca',
    });
    expect(result.data!.kong.data!.certificates[0]).toMatchObject({
      hosts: ['users.parallel-ai.example.com'],
      uncoveredHosts: ['users.parallel-ai.example.com'],
      health: 'critical',
    });
  });

  it("never reads a Certificate's Secret: no request for secrets, its private key nowhere in the section or the logs", async () => {
    const secrets = buildCertManagerObjects(tls.material).filter(
      o => o.kind === 'Secret',
    );
    // The Secrets are there to be read: the sandbox serves them as a cluster would.
    expect(secrets.length).toBeGreaterThan(0);
    const keys = secrets.map(s => s.data!['tls.key']);
    const sentinels = keys.flatMap(base64 => [
      base64,
      ...Buffer.from(base64, 'base64')
        .toString('utf8')
        .split('\n')
        .filter(line => line.length >= 40 && !line.startsWith('-----')),
    ]);
    expect(sentinels.length).toBeGreaterThan(keys.length);

    const firstRequest = kube.requests.length;
    const results: SectionResult<CertificatesSection>[] = [];
    for (const [name, hosts] of [
      [
        'ai-agent-service',
        'api.parallel-ai.example.com, agents.parallel-ai.example.com',
      ],
      ['analytics-service', 'analytics.parallel-ai.example.com'],
      ['user-service', 'users.parallel-ai.example.com'],
    ]) {
      results.push(
        await read(adrEntity(name, { 'mesh-gateway.io/tls-hosts': hosts })),
      );
    }
    const requests = kube.requests.slice(firstRequest).map(r => r.path);
    expect(requests.some(p => p.startsWith('/apis/cert-manager.io/v1/'))).toBe(
      true,
    );
    expect(requests.filter(p => p.includes('/secrets'))).toEqual([]);
    // The Certificates name their Secrets; naming is all the section does.
    expect(
      results.flatMap(r => r.data!.certManager.data!.map(c => c.secretName)),
    ).toEqual(expect.arrayContaining(secrets.map(s => s.metadata.name)));

    const section = JSON.stringify(results);
    const logged = JSON.stringify(
      [logger.debug, logger.info, logger.warn, logger.error].flatMap(
        fn => (fn as jest.Mock).mock.calls,
      ),
    );
    for (const sentinel of sentinels) {
      expect(section).not.toContain(sentinel);
      expect(logged).not.toContain(sentinel);
    }
    expect(section).not.toContain('PRIVATE KEY');
  });

  it('does not probe a host outside the allow list, and says so', async () => {
    const before = tls.acceptedConnections();
    const result = await read(
      adrEntity('user-service', {
        'mesh-gateway.io/tls-hosts':
          'users.other.example.com, users.parallel-ai.example.com:8443',
      }),
    );
    expect(
      result.data!.probes.data!.map(p => [p.host, p.port, p.outcome, p.reason]),
    ).toEqual([
      [
        'users.other.example.com',
        443,
        'not-allowed',
        'not probed: not allowed',
      ],
      [
        'users.parallel-ai.example.com',
        8443,
        'not-allowed',
        'not probed: not allowed',
      ],
    ]);
    expect(tls.acceptedConnections()).toBe(before);
  });

  it('is not configured for an entity that names nothing to check', async () => {
    const result = await read({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'bare' },
      spec: {},
    });
    expect(result).toMatchObject({
      status: 'not-configured',
      missing: {
        annotations: [
          'backstage.io/kubernetes-id',
          'backstage.io/kubernetes-label-selector',
          'mesh-gateway.io/certificates',
          'mesh-gateway.io/kong-services',
          'mesh-gateway.io/kong-tags',
          'mesh-gateway.io/tls-hosts',
        ],
      },
    });
  });

  it('reports a bad annotation in the source it breaks and keeps the others', async () => {
    const result = await read(
      adrEntity('ai-agent-service', {
        'mesh-gateway.io/tls-hosts': 'http://127.0.0.1:1/',
        'mesh-gateway.io/certificates': 'a/b/c',
      }),
    );
    expect(result.status).toBe('ok');
    // The label selector still finds the entity's Certificates; the named ones are what is lost.
    expect(result.data!.certManager).toMatchObject({
      status: 'ok',
      errors: [
        {
          name: 'bad-annotation',
          message: expect.stringContaining('mesh-gateway.io/certificates'),
        },
      ],
    });
    expect(result.data!.certManager.data!.map(c => c.name)).toEqual([
      'agents-parallel-ai-tls',
    ]);
    expect(result.data!.probes.errors).toEqual([
      expect.objectContaining({
        name: 'bad-annotation',
        message: expect.stringContaining('mesh-gateway.io/tls-hosts'),
      }),
    ]);
    expect(result.data!.kong.status).toBe('ok');
    expect(result.data!.istioRoot.status).toBe('ok');
    expect(result.errors).toHaveLength(2);
  });

  it('keeps working when a cluster lacks cert-manager, and reports the Istio root of that cluster', async () => {
    // A cluster that serves everything but cert-manager's API.
    const noCertManager = http.createServer((req, res) => {
      if (req.url?.startsWith('/apis/cert-manager.io/')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            reason: 'NotFound',
            code: 404,
          }),
        );
        return;
      }
      const upstream = http.request(
        `${kube.url}${req.url}`,
        { headers: { authorization: 'Bearer token' } },
        answer => {
          res.writeHead(answer.statusCode ?? 500, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.end();
    });
    await new Promise<void>(resolve =>
      noCertManager.listen(0, '127.0.0.1', resolve),
    );
    try {
      const port = (noCertManager.address() as { port: number }).port;
      const bare = createCertificatesSectionProvider({
        config: new ConfigReader({}),
        logger,
        readers: [
          new KubernetesReader(
            {
              name: 'bare',
              url: `http://127.0.0.1:${port}`,
              skipTLSVerify: true,
            },
            2000,
          ),
        ],
        kongInstances: [],
      });
      const result = await read(adrEntity('ai-agent-service'), bare);
      expect(result.data!.certManager).toMatchObject({
        status: 'not-configured',
        reason: expect.stringContaining('cert-manager is not installed'),
      });
      expect(result.data!.kong).toMatchObject({
        status: 'not-configured',
        missing: { configKey: 'meshGateway.kong.instances' },
      });
      expect(result.data!.istioRoot.data![0]).toMatchObject({
        cluster: 'bare',
        namespace: 'parallel-ai',
        health: 'ok',
      });
    } finally {
      await new Promise(resolve => noCertManager.close(resolve));
    }
  });
});
