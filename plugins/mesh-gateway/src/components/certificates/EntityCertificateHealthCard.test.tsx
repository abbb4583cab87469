import { ResponseError } from '@backstage/errors';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { entityWithoutAnnotations } from '../../__testUtils__/kongSection';
import {
  pending,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { certificatesSectionSchema } from './certificatesSectionSchema';
import { CertificatesSummaryLine } from './CertificatesSummaryLine';
import { EntityCertificateHealthCard } from './EntityCertificateHealthCard';
import { describeCertificates } from './summary';
import { certificatesData, certificatesSection } from './testData';

describe('EntityCertificateHealthCard', () => {
  it('shows progress while the section loads, asking for the certificates section', async () => {
    const getSection = jest.fn(() => pending<never>());
    await renderWithEntity(<EntityCertificateHealthCard />, { getSection });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    expect(getSection).toHaveBeenCalledWith(
      'component:parallel-ai/ai-agent-service',
      'certificates',
    );
  });

  it('shows a failed request', async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotFoundError',
            message: 'No entity component:parallel-ai/ai-agent-service found',
          },
          request: { method: 'GET', url: '/x' },
          response: { statusCode: 404 },
        }),
        { status: 404, headers: { 'content-type': 'application/json' } },
      ),
    );
    await renderWithEntity(<EntityCertificateHealthCard />, {
      getSection: jest.fn().mockRejectedValue(error),
    });
    expect(
      await screen.findAllByText(
        /No entity component:parallel-ai\/ai-agent-service found/,
      ),
    ).not.toHaveLength(0);
  });

  it('asks for an annotation when the entity names nothing to check', async () => {
    await renderWithEntity(
      <EntityCertificateHealthCard />,
      {
        getSection: jest
          .fn()
          .mockResolvedValue(
            certificatesSection({
              status: 'not-configured',
              data: undefined,
              findings: [],
              missing: {
                annotations: [
                  'backstage.io/kubernetes-id',
                  'mesh-gateway.io/tls-hosts',
                ],
              },
            }),
          ),
      },
      { entity: entityWithoutAnnotations },
    );
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText('mesh-gateway.io/tls-hosts', { exact: false }).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByText('mesh-gateway.io/certificates'),
    ).toBeInTheDocument();
  });

  it('shows the upstream errors when every source failed', async () => {
    await renderWithEntity(<EntityCertificateHealthCard />, {
      getSection: jest
        .fn()
        .mockResolvedValue(
          certificatesSection({
            status: 'error',
            data: undefined,
            findings: [],
            errors: [
              {
                name: 'timeout',
                instance: 'sandbox',
                message:
                  'sandbox: list certificates got no answer within 5000 ms',
              },
            ],
          }),
        ),
    });
    expect(
      await screen.findByText(/^\w+: Certificates could not be read$/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/got no answer within 5000 ms/),
    ).toBeInTheDocument();
  });

  it('says when no source holds a certificate', async () => {
    const empty = certificatesData({
      certificates: [],
      summary: {
        total: 0,
        byHealth: { ok: 0, warning: 0, critical: 0, expired: 0, error: 0 },
        worst: null,
        expired: 0,
      },
    });
    await renderWithEntity(<EntityCertificateHealthCard />, {
      getSection: jest
        .fn()
        .mockResolvedValue(certificatesSection({ data: empty, findings: [] })),
    });
    expect(
      await screen.findByText('No certificates found'),
    ).toBeInTheDocument();
    expect(screen.getByText('no certificates found')).toBeInTheDocument();
  });

  it('lists one row per certificate, most urgent first, with source, names, issuer, expiry and days left', async () => {
    await renderWithEntity(<EntityCertificateHealthCard />, {
      getSection: jest.fn().mockResolvedValue(certificatesSection()),
    });
    const table = await screen.findByRole('table', { name: 'Certificates' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    const cells = rows.map(row =>
      within(row)
        .getAllByRole('cell')
        .map(cell => cell.textContent),
    );

    // critical (not issued), then warning (10 days), then ok (70 days)
    expect(cells.map(c => c[0])).toEqual(['critical', 'warning', 'ok']);
    expect(cells[0][1]).toContain('users.parallel-ai.example.com');
    expect(cells[0][4]).toBe('not issued');
    expect(cells[0][5]).toBe('—');
    expect(cells[1]).toEqual([
      'warning',
      expect.stringContaining('agents.parallel-ai.example.com'),
      'Live TLS agents.parallel-ai.example.com:443Kong default/agents.parallel-ai.example.com',
      'mesh-sandbox Edge Issuing CA',
      '2026-12-03',
      '10',
    ]);
    expect(cells[2][2]).toContain(
      'cert-manager sandbox kong/api-parallel-ai-tls',
    );
    expect(cells[2][5]).toBe('70');
  });

  it('puts each finding and its fix on the row it is about, and the rest below', async () => {
    await renderWithEntity(<EntityCertificateHealthCard />, {
      getSection: jest.fn().mockResolvedValue(certificatesSection()),
    });
    const table = await screen.findByRole('table', { name: 'Certificates' });
    const [notIssued, agents, api] = within(table).getAllByRole('row').slice(1);
    expect(within(agents).getByText('MG-CERT-006')).toBeInTheDocument();
    expect(within(agents).getByText('MG-CERT-003')).toBeInTheDocument();
    expect(
      within(agents).getByText(/Fix: cert-manager renewed the Secret/),
    ).toBeInTheDocument();
    expect(within(notIssued).getByText('MG-CERT-004')).toBeInTheDocument();
    expect(within(api).queryByText(/MG-CERT/)).toBeNull();

    const other = screen.getByRole('list', { name: 'Findings' });
    expect(within(other).getByText('MG-CERT-008')).toBeInTheDocument();
    expect(within(other).queryByText('MG-CERT-006')).toBeNull();
  });

  it('shows the live checks, hosts not probed, the shared root and each source', async () => {
    await renderWithEntity(<EntityCertificateHealthCard />, {
      getSection: jest.fn().mockResolvedValue(certificatesSection()),
    });
    const probes = await screen.findByRole('list', { name: 'Live TLS checks' });
    expect(
      within(probes).getAllByText(
        /TLSv1.3 · TLS_AES_256_GCM_SHA384 · trusted, host name matches/,
      ),
    ).toHaveLength(2);
    expect(
      within(probes).getByText(/not probed: not allowed/),
    ).toBeInTheDocument();
    expect(screen.getByText('shared')).toBeInTheDocument();
    const sources = screen.getByRole('list', { name: 'Sources' });
    expect(
      within(sources).getByText(
        /Istio root CA: not checked \(no istio-ca-root-cert ConfigMap/,
      ),
    ).toBeInTheDocument();
    expect(
      within(sources).getByText('Live TLS: 2 hosts checked'),
    ).toBeInTheDocument();
  });

  it('reads the section again on refresh', async () => {
    const getSection = jest.fn().mockResolvedValue(certificatesSection());
    await renderWithEntity(<EntityCertificateHealthCard />, { getSection });
    await screen.findByRole('table', { name: 'Certificates' });
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(getSection).toHaveBeenCalledTimes(2);
  });
});

describe('certificates summary', () => {
  it('says how many certificates there are and when the next one expires', () => {
    expect(describeCertificates(certificatesData())).toBe(
      '3 certificates, next expiry in 10 days',
    );
    const withExpired = certificatesData();
    withExpired.summary = {
      ...withExpired.summary,
      total: 1,
      expired: 1,
      nextExpiry: undefined,
    };
    expect(describeCertificates(withExpired)).toBe('1 certificate, 1 expired');
    withExpired.summary = {
      ...withExpired.summary,
      total: 2,
      nextExpiry: { notAfter: '', daysLeft: 0, label: 'x' },
    };
    expect(describeCertificates(withExpired)).toBe(
      '2 certificates, 1 expired, next expiry today',
    );
  });

  it('renders as one line with the worst health', async () => {
    await renderWithEntity(
      <CertificatesSummaryLine data={certificatesData()} />,
      {},
    );
    expect(
      await screen.findByText('3 certificates, next expiry in 10 days'),
    ).toBeInTheDocument();
    expect(screen.getByText('critical')).toBeInTheDocument();
  });
});

describe('certificatesSectionSchema', () => {
  it('accepts what the backend sends and drops what it does not know', () => {
    const data = certificatesData();
    expect(certificatesSectionSchema.parse(data)).toEqual(data);
    const withExtra = {
      ...data,
      certificates: [{ ...data.certificates[0], key: 'secret' }],
    };
    expect(
      certificatesSectionSchema.parse(withExtra).certificates[0],
    ).not.toHaveProperty('key');
  });

  it('refuses a section of another shape', () => {
    expect(
      certificatesSectionSchema.safeParse({
        ...certificatesData(),
        certificates: [{ id: 'x', health: 'fine' }],
      }).success,
    ).toBe(false);
  });
});

/**
 * sandboxSections.json is what the backend answered for the three ADR services against the whole
 * sandbox (TLS endpoints, Kong, cert-manager, the Istio root), saved from a run of
 * CertificatesSectionProvider: the frontend must read it as it is.
 */
describe('the backend sections of the sandbox', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sections: Record<string, any> = require('./sandboxSections.json');

  it.each(Object.keys(sections))('%s passes the schema unchanged', name => {
    expect(certificatesSectionSchema.parse(sections[name].data)).toEqual(
      sections[name].data,
    );
  });

  it('shows the expired certificate of analytics-service first, with its findings on its row', async () => {
    await renderWithEntity(<EntityCertificateHealthCard />, {
      getSection: jest.fn().mockResolvedValue(sections['analytics-service']),
    });
    const table = await screen.findByRole('table', { name: 'Certificates' });
    const [first] = within(table).getAllByRole('row').slice(1);
    expect(within(first).getByText('expired')).toBeInTheDocument();
    expect(
      within(first).getByText('analytics.parallel-ai.example.com'),
    ).toBeInTheDocument();
    for (const code of ['MG-CERT-001', 'MG-CERT-005', 'MG-CERT-011']) {
      expect(within(first).getByText(code)).toBeInTheDocument();
    }
    expect(
      screen.getByText('3 certificates, 1 expired, next expiry in 70 days'),
    ).toBeInTheDocument();
  });
});
