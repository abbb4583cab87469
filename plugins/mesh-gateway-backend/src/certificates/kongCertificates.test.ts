import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import type {
  KongSection,
  SectionResult,
} from '@internal/plugin-mesh-gateway-common';
import {
  ADR_EDGE_HOST,
  ADR_KONG_SECRETS,
  buildAdrKongDataset,
  KongAdminServer,
  KongDatasetBuilder,
  loadDeckDump,
  startKongAdminServer,
} from '@internal/mesh-sandbox';
import { parse } from 'yaml';
import { readContract } from '../__testUtils__/contracts';
import type { KongInstanceConfig } from '../kong/config';
import { KongSectionProvider } from '../kong/KongSectionProvider';
import { CertificatesSectionProvider } from './CertificatesSectionProvider';
import { readCertificatesConfig } from './config';
import { kongCertificateSchema } from './kongCertificates';

const DECK_FIXTURE = 'deck/example-dump-format-3.0-with-credentials.yaml';

const instance = (adminUrl: string): KongInstanceConfig => ({
  name: 'default',
  adminUrl,
  authHeaderName: 'Kong-Admin-Token',
  timeoutMs: 2000,
  pageSize: 1000,
});

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'test', annotations },
  spec: {},
});

/** The lines of a PEM block's body: any of them appearing anywhere means the block leaked. */
const pemLines = (pem: string) =>
  pem
    .split('\n')
    .filter(line => line.length >= 40 && !line.startsWith('-----'));

async function certificatesOf(
  kong: KongAdminServer,
  annotations: Record<string, string>,
) {
  const logger = mockServices.logger.mock();
  const kongProvider = new KongSectionProvider({
    instances: [instance(kong.url)],
    logger,
    instanceListTtlMs: 0,
  });
  const subject = entity(annotations);
  const kongSection = await kongProvider.getSection(subject);
  const provider = new CertificatesSectionProvider({
    config: readCertificatesConfig(new ConfigReader({})),
    readers: [],
    kongInstances: [instance(kong.url)],
    logger,
    kongListTtlMs: 0,
  });
  const result = await provider.getSection(subject, {
    getSection: async () => kongSection as SectionResult<any>,
  });
  const logged = JSON.stringify(
    [logger.debug, logger.info, logger.warn, logger.error].flatMap(
      fn => (fn as jest.Mock).mock.calls,
    ),
  );
  return {
    result,
    kongSection: kongSection as SectionResult<KongSection>,
    logged,
  };
}

describe('Kong certificates of the decK fixture (Kong 3.8 dump with a private key)', () => {
  const deck = parse(readContract(DECK_FIXTURE));
  const privateKey: string = deck.certificates[0].key;
  let kong: KongAdminServer;

  beforeAll(async () => {
    kong = await startKongAdminServer({
      port: 0,
      dataset: loadDeckDump(readContract(DECK_FIXTURE)),
    });
  });
  afterAll(() => kong.close());

  it('serves the key, so that the tests below can fail', async () => {
    const response = await fetchJson(
      `${kong.url}/certificates/${deck.certificates[0].id}`,
    );
    expect(response.key).toBe(privateKey);
  });

  it('drops key and key_alt at parse time', async () => {
    const raw = await fetchJson(
      `${kong.url}/certificates/${deck.certificates[0].id}`,
    );
    const parsed = kongCertificateSchema.parse({ ...raw, key_alt: privateKey });
    expect(Object.keys(parsed).sort()).toEqual([
      'cert',
      'cert_alt',
      'id',
      'snis',
      'tags',
    ]);
    expect(JSON.stringify(parsed)).not.toContain('PRIVATE KEY');
  });

  it('parses the PEM: subject, SANs, issuer, validity, fingerprint; the key never surfaces', async () => {
    const { result, logged } = await certificatesOf(kong, {
      'mesh-gateway.io/kong-services': 'svc1',
      'mesh-gateway.io/tls-hosts': 'demo1.example.com',
    });
    expect(result.status).toBe('ok');
    const [certificate] = result.data!.kong.data!.certificates;
    expect(certificate).toMatchObject({
      instance: 'default',
      id: '13c562a1-191c-4464-9b18-e5222b46035b',
      snis: ['demo1.example.com', 'demo2.example.com', 'demo3.example.com'],
      hosts: ['demo1.example.com'],
      uncoveredHosts: [],
      health: 'expired',
    });
    expect(certificate.chain).toHaveLength(1);
    expect(certificate.chain[0]).toMatchObject({
      subject: 'CN=*.example.com\nO=konghq.org',
      commonName: '*.example.com',
      issuer: 'CN=*.example.com\nO=konghq.org',
      notBefore: '2018-12-31T20:19:01.000Z',
      notAfter: '2019-12-31T20:19:01.000Z',
      selfSigned: true,
      keyType: 'rsa',
    });
    expect(certificate.chain[0].fingerprintSha256).toMatch(
      /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/,
    );
    expect(result.findings).toContainEqual(
      expect.objectContaining({
        code: 'MG-CERT-001',
        object: `kong/default/certificates/${certificate.id}`,
      }),
    );
    expect(result.data!.certificates[0]).toMatchObject({
      health: 'expired',
      commonName: '*.example.com',
    });

    const everything = JSON.stringify(result);
    expect(everything).not.toContain('PRIVATE KEY');
    for (const line of pemLines(privateKey)) {
      expect(everything).not.toContain(line);
      expect(logged).not.toContain(line);
    }
  });
});

describe('Kong certificates of the ADR dataset', () => {
  let kong: KongAdminServer;
  beforeAll(async () => {
    kong = await startKongAdminServer({
      port: 0,
      dataset: buildAdrKongDataset(),
    });
  });
  afterAll(() => kong.close());

  it('finds the edge certificate through its SNI, without its private key anywhere', async () => {
    const { result, logged } = await certificatesOf(kong, {
      'mesh-gateway.io/kong-services': 'ai-agent-service',
      'mesh-gateway.io/tls-hosts': ADR_EDGE_HOST,
    });
    const [certificate] = result.data!.kong.data!.certificates;
    expect(certificate).toMatchObject({
      snis: [ADR_EDGE_HOST],
      hosts: [ADR_EDGE_HOST],
      health: 'ok',
    });
    expect(certificate.chain[0].dnsNames).toEqual([ADR_EDGE_HOST]);
    const everything = JSON.stringify(result);
    for (const line of pemLines(ADR_KONG_SECRETS.certificatePrivateKey)) {
      expect(everything).not.toContain(line);
      expect(logged).not.toContain(line);
    }
  });
});

describe('Kong route hosts without a certificate', () => {
  let kong: KongAdminServer;
  beforeAll(async () => {
    const builder = KongDatasetBuilder.from(buildAdrKongDataset());
    builder.addRoute({
      name: 'public-agents',
      service: { name: 'ai-agent-service' },
      hosts: ['agents.parallel-ai.example.com', '*.parallel-ai.example.com'],
      paths: ['/api/v1/ai-agent'],
      protocols: ['https'],
    });
    builder.addRoute({
      name: 'plain-only',
      service: { name: 'ai-agent-service' },
      hosts: ['plain.parallel-ai.example.com'],
      paths: ['/plain'],
      protocols: ['http'],
    });
    kong = await startKongAdminServer({ port: 0, dataset: builder.build() });
  });
  afterAll(() => kong.close());

  it('reports a TLS route host with no SNI, and leaves plain-HTTP routes alone', async () => {
    const { result } = await certificatesOf(kong, {
      'mesh-gateway.io/kong-services': 'ai-agent-service',
    });
    expect(result.data!.kong.data!.hosts).toEqual([
      {
        instance: 'default',
        host: '*.parallel-ai.example.com',
        routes: ['public-agents'],
      },
      {
        instance: 'default',
        host: 'agents.parallel-ai.example.com',
        routes: ['public-agents'],
      },
    ]);
    const missing = result.findings.filter(f => f.code === 'MG-CERT-008');
    expect(missing.map(f => f.object)).toEqual([
      'kong/default/routes/public-agents',
      'kong/default/routes/public-agents',
    ]);
    expect(missing[0].message).toContain(
      "clients get Kong's default certificate",
    );
    // The wildcard host is listed but never probed.
    expect(result.data!.probes.data).toContainEqual(
      expect.objectContaining({
        host: '*.parallel-ai.example.com',
        outcome: 'skipped',
      }),
    );
  });
});

async function fetchJson(url: string): Promise<any> {
  return (await fetch(url)).json();
}
