import {
  CertificateDetails,
  CertificatesSection,
  createFinding,
  SectionResult,
} from '@internal/plugin-mesh-gateway-common';

export const fetchedAt = '2026-11-23T12:00:00.000Z';

const details = (
  overrides: Partial<CertificateDetails>,
): CertificateDetails => ({
  subject: 'CN=api.parallel-ai.example.com\nO=parallel-ai',
  commonName: 'api.parallel-ai.example.com',
  subjectAltNames: ['DNS:api.parallel-ai.example.com'],
  dnsNames: ['api.parallel-ai.example.com'],
  issuer: 'CN=mesh-sandbox Edge Issuing CA\nO=parallel-ai',
  issuerCommonName: 'mesh-sandbox Edge Issuing CA',
  serialNumber: '4A1B',
  notBefore: '2026-11-03T12:00:00.000Z',
  notAfter: '2027-02-02T00:00:00.000Z',
  fingerprintSha256: 'AA:BB',
  isCA: false,
  selfSigned: false,
  keyType: 'ec',
  ...overrides,
});

/** The ai-agent-service of the sandbox: one healthy edge certificate, one not rotated, the mesh root. */
export function certificatesData(
  overrides: Partial<CertificatesSection> = {},
): CertificatesSection {
  const api = details({});
  const agents = details({
    subject: 'CN=agents.parallel-ai.example.com\nO=parallel-ai',
    commonName: 'agents.parallel-ai.example.com',
    subjectAltNames: ['DNS:agents.parallel-ai.example.com'],
    dnsNames: ['agents.parallel-ai.example.com'],
    notAfter: '2026-12-03T00:00:00.000Z',
    fingerprintSha256: 'CC:DD',
  });
  return {
    thresholds: { warningDays: 30, criticalDays: 7 },
    certificates: [
      {
        id: 'AA:BB',
        sources: [
          {
            kind: 'tls-probe',
            object: 'tls/api.parallel-ai.example.com:443',
            label: 'api.parallel-ai.example.com:443',
          },
          {
            kind: 'kong',
            object: 'kong/default/certificates/1',
            label: 'default/api.parallel-ai.example.com',
          },
          {
            kind: 'cert-manager',
            object: 'cert-manager/sandbox/kong/api-parallel-ai-tls',
            label: 'sandbox kong/api-parallel-ai-tls',
          },
        ],
        subject: api.subject,
        commonName: api.commonName,
        dnsNames: api.dnsNames,
        issuer: api.issuer,
        notBefore: api.notBefore,
        notAfter: api.notAfter,
        daysLeft: 70,
        health: 'ok',
        reason: '70 days left',
      },
      {
        id: 'CC:DD',
        sources: [
          {
            kind: 'tls-probe',
            object: 'tls/agents.parallel-ai.example.com:443',
            label: 'agents.parallel-ai.example.com:443',
          },
          {
            kind: 'kong',
            object: 'kong/default/certificates/2',
            label: 'default/agents.parallel-ai.example.com',
          },
        ],
        subject: agents.subject,
        commonName: agents.commonName,
        dnsNames: agents.dnsNames,
        issuer: agents.issuer,
        notBefore: agents.notBefore,
        notAfter: agents.notAfter,
        daysLeft: 10,
        health: 'warning',
        reason: 'expires in 10 days (warning at 30)',
      },
      {
        id: 'cert-manager/sandbox/parallel-ai/users-parallel-ai-tls',
        sources: [
          {
            kind: 'cert-manager',
            object: 'cert-manager/sandbox/parallel-ai/users-parallel-ai-tls',
            label: 'sandbox parallel-ai/users-parallel-ai-tls',
          },
        ],
        commonName: 'users.parallel-ai.example.com',
        dnsNames: ['users.parallel-ai.example.com'],
        issuer: 'ClusterIssuer parallel-ai-edge-ca',
        health: 'critical',
        reason: 'cert-manager: Ready=False (DoesNotExist)',
      },
    ],
    summary: {
      total: 3,
      byHealth: { ok: 1, warning: 1, critical: 1, expired: 0, error: 0 },
      worst: 'critical',
      nextExpiry: {
        notAfter: agents.notAfter,
        daysLeft: 10,
        label: 'agents.parallel-ai.example.com',
      },
      expired: 0,
    },
    certManager: { status: 'ok', data: [] },
    kong: { status: 'ok', data: { certificates: [], hosts: [] } },
    istioRoot: {
      status: 'not-configured',
      reason:
        'no istio-ca-root-cert ConfigMap in namespace parallel-ai: Istio is not installed or the namespace is outside the mesh',
    },
    probes: {
      status: 'ok',
      data: [
        {
          host: 'api.parallel-ai.example.com',
          port: 443,
          sources: ['annotation'],
          outcome: 'probed',
          protocol: 'TLSv1.3',
          cipher: 'TLS_AES_256_GCM_SHA384',
          trusted: true,
          hostnameMatches: true,
          errors: [],
          chain: [api],
          daysLeft: 70,
          health: 'ok',
        },
        {
          host: 'agents.parallel-ai.example.com',
          port: 443,
          sources: ['annotation'],
          outcome: 'probed',
          protocol: 'TLSv1.3',
          cipher: 'TLS_AES_256_GCM_SHA384',
          trusted: true,
          hostnameMatches: true,
          errors: [],
          chain: [agents],
          daysLeft: 10,
          health: 'warning',
        },
        {
          host: 'internal.example.org',
          port: 443,
          sources: ['annotation'],
          outcome: 'not-allowed',
          reason: 'not probed: not allowed',
          errors: [],
          chain: [],
          health: 'error',
        },
      ],
    },
    sharedRoot: {
      status: 'shared',
      message:
        'Every edge certificate chains to the mesh root CN=mesh-sandbox Root CA.',
      istioRoots: ['CN=mesh-sandbox Root CA'],
      edge: [],
    },
    ...overrides,
  };
}

export function certificatesSection(
  overrides: Partial<SectionResult<CertificatesSection>> = {},
): SectionResult<CertificatesSection> {
  return {
    section: 'certificates',
    status: 'ok',
    data: certificatesData(),
    findings: [
      createFinding(
        'MG-CERT-003',
        'tls/agents.parallel-ai.example.com:443',
        'The certificate for agents.parallel-ai.example.com expires on 2026-12-03: 10 days left (warning at 30).',
      ),
      createFinding(
        'MG-CERT-006',
        'tls/agents.parallel-ai.example.com:443',
        'agents.parallel-ai.example.com:443 serves agents.parallel-ai.example.com with a certificate valid until 2026-12-03, but cert-manager Certificate parallel-ai/agents-parallel-ai-tls holds one valid until 2027-02-19 (revision 4).',
      ),
      createFinding(
        'MG-CERT-004',
        'cert-manager/sandbox/parallel-ai/users-parallel-ai-tls',
        'Certificate parallel-ai/users-parallel-ai-tls is not Ready (DoesNotExist: Issuing certificate as Secret does not exist).',
      ),
      createFinding(
        'MG-CERT-008',
        'kong/default/routes/public',
        "Kong instance default has no SNI for www.parallel-ai.example.com (route public): clients get Kong's default certificate.",
      ),
    ],
    fetchedAt,
    ...overrides,
  };
}
