import type { X509Certificate } from 'node:crypto';
import type {
  CertManagerCertificateView,
  KongCertificateView,
  TlsProbeView,
} from '@internal/plugin-mesh-gateway-common';
import {
  createCertificateAuthority,
  createServerCertificate,
  GeneratedCertificateAuthority,
} from '@internal/mesh-sandbox';
import { analyseCertificates, CertificatesAnalysisInput } from './analysis';
import { DAY_MS } from './health';
import { describeCertificate, parsePemBundle } from './x509';

const thresholds = { warningDays: 30, criticalDays: 7 };

describe('analyseCertificates', () => {
  const now = Date.now();
  const at = (days: number) => new Date(now + days * DAY_MS);
  let meshRoot: GeneratedCertificateAuthority;
  let meshIssuer: GeneratedCertificateAuthority;
  let otherRoot: GeneratedCertificateAuthority;

  beforeAll(async () => {
    meshRoot = await createCertificateAuthority({
      commonName: 'Mesh Root',
      notBefore: at(-10),
      notAfter: at(3650),
    });
    meshIssuer = await createCertificateAuthority({
      commonName: 'Mesh Edge CA',
      notBefore: at(-10),
      notAfter: at(1000),
      issuer: meshRoot,
    });
    otherRoot = await createCertificateAuthority({
      commonName: 'Public Root',
      notBefore: at(-10),
      notAfter: at(3650),
    });
  });

  const input = (
    overrides: Partial<CertificatesAnalysisInput>,
  ): CertificatesAnalysisInput => ({
    now,
    thresholds,
    certManager: [],
    kongCertificates: [],
    kongHosts: [],
    kongChains: new Map(),
    istioRoots: [],
    istioRootCertificates: parsePemBundle(meshRoot.certPem),
    probes: [],
    ...overrides,
  });

  async function kongCertificate(
    id: string,
    host: string,
    issuer: GeneratedCertificateAuthority,
    chainPem?: (leaf: { chainPem: string; certPem: string }) => string,
  ) {
    const leaf = await createServerCertificate({
      dnsNames: [host],
      notBefore: at(-1),
      notAfter: at(80),
      issuer,
    });
    const chain = parsePemBundle(chainPem ? chainPem(leaf) : leaf.chainPem);
    const view: KongCertificateView = {
      instance: 'default',
      id,
      snis: [host],
      hosts: [host],
      uncoveredHosts: [],
      chain: chain.map(describeCertificate),
      daysLeft: 80,
      health: 'ok',
    };
    return { view, chain };
  }

  function withKong(
    ...certificates: { view: KongCertificateView; chain: X509Certificate[] }[]
  ) {
    return {
      kongCertificates: certificates.map(c => c.view),
      kongChains: new Map(
        certificates.map(c => [`default/${c.view.id}`, c.chain]),
      ),
    };
  }

  it('finds edge and mesh sharing a root through the intermediate Kong holds', async () => {
    const result = analyseCertificates(
      input(withKong(await kongCertificate('a', 'a.example.com', meshIssuer))),
    );
    expect(result.sharedRoot).toMatchObject({
      status: 'shared',
      istioRoots: ['CN=Mesh Root'],
      edge: [{ source: 'kong', root: 'CN=Mesh Root', sharesIstioRoot: true }],
    });
    expect(result.findings).toEqual([]);
  });

  it('reports an edge certificate from another root, and a mix as partial', async () => {
    const foreign = await kongCertificate('b', 'b.example.com', otherRoot);
    const alone = analyseCertificates(input(withKong(foreign)));
    expect(alone.sharedRoot).toMatchObject({ status: 'unknown' });
    // With the foreign root itself in Kong's chain, its root is known.
    const rooted = await kongCertificate(
      'c',
      'c.example.com',
      otherRoot,
      leaf => leaf.chainPem + otherRoot.certPem,
    );
    const mixed = analyseCertificates(
      input(
        withKong(
          rooted,
          await kongCertificate('a', 'a.example.com', meshIssuer),
        ),
      ),
    );
    expect(mixed.sharedRoot.status).toBe('partial');
    expect(mixed.findings).toEqual([
      expect.objectContaining({
        code: 'MG-CERT-009',
        object: 'kong/default/certificates/c',
        severity: 'warning',
      }),
    ]);
    const only = analyseCertificates(input(withKong(rooted)));
    expect(only.sharedRoot.status).toBe('not-shared');
  });

  it('cannot judge a chain that stops at an intermediate it does not hold', async () => {
    const leafOnly = await kongCertificate(
      'd',
      'd.example.com',
      meshIssuer,
      leaf => leaf.certPem,
    );
    const result = analyseCertificates(input(withKong(leafOnly)));
    expect(result.sharedRoot).toMatchObject({
      status: 'unknown',
      edge: [{ root: 'CN=Mesh Edge CA', sharesIstioRoot: undefined }],
    });
  });

  it('says nothing about a shared root without the Istio root', async () => {
    const result = analyseCertificates({
      ...input(
        withKong(
          await kongCertificate(
            'a',
            'a.example.com',
            otherRoot,
            l => l.chainPem + otherRoot.certPem,
          ),
        ),
      ),
      istioRootCertificates: [],
    });
    expect(result.sharedRoot).toMatchObject({
      status: 'unknown',
      message: expect.stringContaining('No Istio root CA'),
    });
    expect(result.findings).toEqual([]);
  });

  const certManager = (
    overrides: Partial<CertManagerCertificateView>,
  ): CertManagerCertificateView => ({
    cluster: 'c1',
    namespace: 'ns',
    name: 'cert',
    secretName: 'cert',
    issuerRef: { name: 'issuer' },
    dnsNames: ['a.example.com'],
    ipAddresses: [],
    health: 'ok',
    ...overrides,
  });

  it('gives cert-manager an hour past renewalTime before reporting an overdue renewal', () => {
    const iso = (ms: number) => new Date(now + ms).toISOString();
    const recent = analyseCertificates(
      input({
        certManager: [
          certManager({
            renewalTime: iso(-30 * 60 * 1000),
            notAfter: iso(60 * DAY_MS),
          }),
        ],
        istioRootCertificates: [],
      }),
    );
    expect(recent.findings.map(f => f.code)).toEqual([]);
    const overdue = analyseCertificates(
      input({
        certManager: [
          certManager({
            renewalTime: iso(-2 * 60 * 60 * 1000),
            notAfter: iso(60 * DAY_MS),
          }),
        ],
        istioRootCertificates: [],
      }),
    );
    expect(overdue.findings.map(f => f.code)).toEqual(['MG-CERT-005']);
  });

  it('detects a rotation Kong has not picked up, without a live probe', async () => {
    const old = await kongCertificate('old', 'a.example.com', meshIssuer);
    const renewed = certManager({
      notAfter: new Date(now + 89 * DAY_MS).toISOString(),
      revision: 2,
      ready: { status: 'True', reason: 'Ready' },
    });
    const result = analyseCertificates(
      input({ ...withKong(old), certManager: [renewed] }),
    );
    expect(result.findings).toEqual([
      expect.objectContaining({
        code: 'MG-CERT-006',
        object: 'kong/default/certificates/old',
        message: expect.stringContaining('Kong default serves a.example.com'),
      }),
    ]);
    expect(result.rows).toHaveLength(2);
  });

  it('lists a failed probe as an error row with its finding, and leaves hosts it did not probe out of the rows', () => {
    const failed: TlsProbeView = {
      host: 'down.example.com',
      port: 443,
      sources: ['annotation'],
      outcome: 'failed',
      reason: 'down.example.com:443: connection refused (ECONNREFUSED)',
      errors: [],
      chain: [],
      health: 'error',
    };
    const notAllowed: TlsProbeView = {
      ...failed,
      host: 'elsewhere.example.com',
      outcome: 'not-allowed',
      reason: 'not probed: not allowed',
    };
    const result = analyseCertificates(
      input({
        probes: [
          { view: failed, chain: [] },
          { view: notAllowed, chain: [] },
        ],
        istioRootCertificates: [],
      }),
    );
    expect(result.rows).toEqual([
      expect.objectContaining({
        id: 'tls/down.example.com:443',
        health: 'error',
        reason: failed.reason,
      }),
    ]);
    expect(result.findings.map(f => f.code)).toEqual(['MG-CERT-012']);
    expect(result.summary).toMatchObject({
      total: 0,
      byHealth: { error: 1 },
      worst: 'error',
    });
  });
});
