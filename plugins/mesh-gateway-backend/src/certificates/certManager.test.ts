import {
  buildAdrCluster,
  buildCertManagerObjects,
  createTlsSandboxMaterial,
  KubeObject,
  KubernetesApiServer,
  startKubernetesApiServer,
  TlsSandboxMaterial,
} from '@internal/mesh-sandbox';
import { KubernetesReader } from '../kubernetes/KubernetesReader';
import {
  loadCertManagerCertificates,
  parseCertManagerCertificate,
} from './certManager';

const thresholds = { warningDays: 30, criticalDays: 7 };
const now = Date.parse('2026-11-23T12:00:00Z');

const certificate = (
  name: string,
  extra: Partial<KubeObject> = {},
): KubeObject => ({
  apiVersion: 'cert-manager.io/v1',
  kind: 'Certificate',
  metadata: {
    name,
    namespace: 'parallel-ai',
    labels: { 'backstage.io/kubernetes-id': 'user-service' },
  },
  spec: {
    secretName: `${name}-tls`,
    dnsNames: [`${name}.example.com`],
    issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' },
  },
  ...extra,
});

describe('parseCertManagerCertificate', () => {
  const parse = (object: KubeObject) =>
    parseCertManagerCertificate(object as any, 'sandbox', thresholds, now);

  it('reads a Certificate that has no status at all (just created)', () => {
    expect(parse(certificate('fresh'))).toEqual({
      cluster: 'sandbox',
      namespace: 'parallel-ai',
      name: 'fresh',
      secretName: 'fresh-tls',
      issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' },
      commonName: undefined,
      dnsNames: ['fresh.example.com'],
      ipAddresses: [],
      duration: undefined,
      renewBefore: undefined,
      ready: undefined,
      issuing: undefined,
      notBefore: undefined,
      notAfter: undefined,
      renewalTime: undefined,
      revision: undefined,
      lastFailureTime: undefined,
      failedIssuanceAttempts: undefined,
      daysLeft: undefined,
      health: 'warning',
    });
  });

  it('reads each status field alone', () => {
    expect(
      parse(
        certificate('ready-only', {
          status: {
            conditions: [
              { type: 'Ready', status: 'False', reason: 'DoesNotExist' },
            ],
          },
        }),
      ),
    ).toMatchObject({
      ready: { status: 'False', reason: 'DoesNotExist' },
      notAfter: undefined,
      health: 'critical',
    });
    expect(
      parse(
        certificate('dates-only', {
          status: { notAfter: '2027-01-22T12:00:00Z' },
        }),
      ),
    ).toMatchObject({
      ready: undefined,
      notAfter: '2027-01-22T12:00:00.000Z',
      daysLeft: 60,
      health: 'ok',
    });
    expect(
      parse(
        certificate('failing', {
          status: {
            failedIssuanceAttempts: 2,
            lastFailureTime: '2026-11-23T06:00:00Z',
          },
        }),
      ),
    ).toMatchObject({
      failedIssuanceAttempts: 2,
      lastFailureTime: '2026-11-23T06:00:00.000Z',
    });
  });

  it('names the field that does not fit', () => {
    expect(() =>
      parse(certificate('bad-date', { status: { notAfter: 'soon' } })),
    ).toThrow(
      'Certificate parallel-ai/bad-date: unexpected shape at "status.notAfter" (not an RFC 3339 time)',
    );
    expect(() =>
      parse({ ...certificate('no-issuer'), spec: { secretName: 'x' } }),
    ).toThrow('"spec.issuerRef"');
  });
});

describe('loadCertManagerCertificates against the sandbox Kubernetes API', () => {
  let material: TlsSandboxMaterial;
  let server: KubernetesApiServer;
  let reader: KubernetesReader;

  beforeAll(async () => {
    material = await createTlsSandboxMaterial();
    server = await startKubernetesApiServer({
      objects: buildAdrCluster([
        ...buildCertManagerObjects(material),
        certificate('fresh'),
        certificate('broken', { status: { revision: 'two' } }),
      ]),
      token: 'token',
    });
    reader = new KubernetesReader(
      {
        name: 'sandbox',
        url: server.url,
        serviceAccountToken: 'token',
        skipTLSVerify: true,
      },
      2000,
    );
  });
  afterAll(() => server.close());

  it('lists by label selector and by name, statuses included, keeping the ones that parse', async () => {
    const result = await loadCertManagerCertificates(
      reader,
      {
        namespace: 'parallel-ai',
        labelSelector: 'backstage.io/kubernetes-id=user-service',
        names: [{ namespace: 'kong', name: 'api-parallel-ai-tls' }],
      },
      thresholds,
      Date.now(),
    );
    expect(result.notInstalled).toBe(false);
    expect(
      result.certificates.map(c => `${c.namespace}/${c.name}`).sort(),
    ).toEqual([
      'kong/api-parallel-ai-tls',
      'parallel-ai/fresh',
      'parallel-ai/users-parallel-ai-tls',
    ]);
    const api = result.certificates.find(
      c => c.name === 'api-parallel-ai-tls',
    )!;
    expect(api).toMatchObject({
      ready: { status: 'True', reason: 'Ready' },
      revision: 3,
      health: 'ok',
      secretName: 'api-parallel-ai-tls',
    });
    expect(api.notAfter).toBe(material.hosts[0].served.notAfter.toISOString());
    const users = result.certificates.find(
      c => c.name === 'users-parallel-ai-tls',
    )!;
    expect(users).toMatchObject({
      ready: { status: 'False', reason: 'DoesNotExist' },
      issuing: { status: 'True' },
      health: 'critical',
    });
    expect(users.notAfter).toBeUndefined();
    expect(result.errors).toEqual([
      expect.objectContaining({
        name: 'bad-response',
        message: expect.stringContaining(
          'parallel-ai/broken: unexpected shape at "status.revision"',
        ),
      }),
    ]);
  });

  it('says which named Certificate does not exist', async () => {
    const result = await loadCertManagerCertificates(
      reader,
      {
        namespace: 'parallel-ai',
        names: [{ namespace: 'kong', name: 'nope' }],
      },
      thresholds,
      Date.now(),
    );
    expect(result.errors).toEqual([
      expect.objectContaining({
        name: 'not-found',
        message: 'sandbox: Certificate kong/nope does not exist',
      }),
    ]);
  });

  it('names the RBAC rule when certificates may not be listed', async () => {
    const forbidden = await startKubernetesApiServer({
      objects: buildAdrCluster(),
      forbidden: ['certificates.cert-manager.io'],
    });
    try {
      const result = await loadCertManagerCertificates(
        new KubernetesReader(
          { name: 'locked', url: forbidden.url, skipTLSVerify: true },
          2000,
        ),
        { namespace: 'parallel-ai', labelSelector: 'app=x', names: [] },
        thresholds,
        Date.now(),
      );
      expect(result.errors[0]).toMatchObject({
        name: 'forbidden',
        message: expect.stringContaining(
          'apiGroups: ["cert-manager.io"], resources: ["certificates"]',
        ),
      });
    } finally {
      await forbidden.close();
    }
  });
});
