import { ResponseError } from '@backstage/errors';
import { screen, within } from '@testing-library/react';
import { entityWithoutAnnotations } from '../../__testUtils__/kongSection';
import { pending, renderWithEntity } from '../../__testUtils__/renderWithEntity';
import { metricsSection, metricsSections } from './__testUtils__/metricsSection';
import { EntityGoldenSignalsCard } from './EntityGoldenSignalsCard';
import { metricsSectionSchema } from './metricsSectionSchema';

// jsdom lays nothing out: give the charts' ResponsiveContainer a size and a ResizeObserver.
const originalResizeObserver = global.ResizeObserver;
const originalRect = HTMLElement.prototype.getBoundingClientRect;
beforeAll(() => {
  global.ResizeObserver = class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
  HTMLElement.prototype.getBoundingClientRect = () =>
    ({ width: 400, height: 180, top: 0, left: 0, bottom: 180, right: 400, x: 0, y: 0, toJSON: () => ({}) }) as DOMRect;
});
afterAll(() => {
  global.ResizeObserver = originalResizeObserver;
  HTMLElement.prototype.getBoundingClientRect = originalRect;
});

const chart = (title: string) => screen.getByRole('figure', { name: title });

describe('EntityGoldenSignalsCard', () => {
  it('shows progress while the section loads, asking for the metrics section', async () => {
    const getSection = jest.fn(() => pending<never>());
    await renderWithEntity(<EntityGoldenSignalsCard />, { getSection });
    expect(screen.getByText('Golden signals')).toBeInTheDocument();
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    expect(getSection).toHaveBeenCalledWith('component:parallel-ai/ai-agent-service', 'metrics');
  });

  it('shows a failed request with the backend error', async () => {
    const error = await ResponseError.fromResponse(
      new Response(JSON.stringify({ error: { name: 'NotFoundError', message: 'No entity component:parallel-ai/ai-agent-service found' } }), {
        status: 404,
        headers: { 'content-type': 'application/json' },
      }),
    );
    await renderWithEntity(<EntityGoldenSignalsCard />, { getSection: jest.fn().mockRejectedValue(error) });
    expect(await screen.findAllByText(/No entity component:parallel-ai\/ai-agent-service found/)).not.toHaveLength(0);
  });

  it('asks for an annotation when the entity names no service, and names the config key without Prometheus', async () => {
    await renderWithEntity(
      <EntityGoldenSignalsCard />,
      {
        getSection: jest.fn().mockResolvedValue(
          metricsSection({
            status: 'not-configured',
            data: undefined,
            findings: [],
            missing: { annotations: ['mesh-gateway.io/kong-services', 'backstage.io/kubernetes-id'] },
          }),
        ),
      },
      { entity: entityWithoutAnnotations },
    );
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    expect(screen.getByText('backstage.io/kubernetes-id')).toBeInTheDocument();
  });

  it('names the missing config key when the backend has no Prometheus', async () => {
    await renderWithEntity(<EntityGoldenSignalsCard />, {
      getSection: jest.fn().mockResolvedValue(
        metricsSection({ status: 'not-configured', data: undefined, findings: [], missing: { configKey: 'meshGateway.prometheus.instances' } }),
      ),
    });
    expect(await screen.findByText('Prometheus is not configured')).toBeInTheDocument();
    expect(screen.getByText(/meshGateway\.prometheus\.instances/)).toBeInTheDocument();
  });

  it('lists the errors of a section Prometheus refused, with their type', async () => {
    await renderWithEntity(<EntityGoldenSignalsCard />, {
      getSection: jest.fn().mockResolvedValue(
        metricsSection({
          status: 'error',
          data: undefined,
          findings: [],
          errors: [{ name: 'prometheus-bad_data', instance: 'sandbox', message: 'sandbox /api/v1/query: bad_data: parse error' }],
        }),
      ),
    });
    expect(await screen.findByText(/Prometheus could not be read/)).toBeInTheDocument();
    expect(screen.getByText(/parse error/)).toBeInTheDocument();
    expect(screen.getByText('(prometheus-bad_data)')).toBeInTheDocument();
  });

  it('charts rate, errors and latency with the SLO lines, and shows the breached objectives and the spent budget', async () => {
    await renderWithEntity(<EntityGoldenSignalsCard />, { getSection: jest.fn().mockResolvedValue(metricsSections['analytics-service']) });

    expect(await screen.findByText('Availability 99.256% / 99.950%')).toBeInTheDocument();
    expect(screen.getByText('Gateway P95 9.1 ms / 50 ms')).toBeInTheDocument();
    expect(screen.getByText('End-to-end P95 74 ms / 100 ms')).toBeInTheDocument();
    expect(screen.getByText('mTLS 100.00% of requests')).toBeInTheDocument();
    expect(screen.getByText(/Error budget left:/).textContent).toBe(
      'Error budget left: 0% of the 1 h budget (5xx share 0.744% of 0.050% allowed, burn rate 14.9×; last 5 min 45.0×)',
    );
    expect(screen.getByRole('progressbar', { name: 'Error budget left' })).toHaveAttribute('aria-valuenow', '0');

    // Three charts, each with its lines drawn and a legend; the latency chart has both SLO lines.
    const rate = chart('Requests per second');
    expect(rate.querySelectorAll('.recharts-line-curve')).toHaveLength(2);
    expect(within(rate).getByText('Gateway')).toBeInTheDocument();
    expect(within(rate).getByText('Mesh')).toBeInTheDocument();
    expect(chart('5xx per second').querySelectorAll('.recharts-line-curve')).toHaveLength(2);
    const latency = chart('Latency at the gateway');
    expect(latency.querySelectorAll('.recharts-line-curve')).toHaveLength(4);
    expect(within(latency).getByText('P95 SLO 100 ms')).toBeInTheDocument();
    expect(within(latency).getByText('Kong P95 SLO 50 ms')).toBeInTheDocument();
    expect(within(latency).getByText("Kong's own P95")).toBeInTheDocument();
    for (const path of latency.querySelectorAll('.recharts-line-curve')) {
      expect(path.getAttribute('d')).toMatch(/^M[\d.]+,[\d.]+/);
    }

    const table = screen.getByRole('table', { name: 'Golden signals' });
    const gatewayRow = within(table).getByRole('row', { name: /Gateway \(Kong\)/ });
    expect(within(gatewayRow).getAllByRole('cell').map(c => c.textContent)).toEqual(['Gateway (Kong)', '10.6', '0.74%', '39 ms', '74 ms', '87 ms']);

    expect(screen.getByText('MG-SLO-001')).toBeInTheDocument();
    expect(screen.getByText('MG-SLO-002')).toBeInTheDocument();
  });

  it('flags plain-text traffic in the mesh and keeps met objectives green', async () => {
    await renderWithEntity(<EntityGoldenSignalsCard />, { getSection: jest.fn().mockResolvedValue(metricsSections['user-service']) });
    expect(await screen.findByText('mTLS 96.08% of requests')).toBeInTheDocument();
    expect(screen.getByText('MG-SLO-005')).toBeInTheDocument();
    expect(screen.getByText(/Error budget left:/).textContent).toContain('Error budget left: 94%');
  });

  it('charts the mesh alone for a service without Kong metrics, and says when there is no series at all', async () => {
    const analytics = metricsSections['analytics-service'];
    const meshOnly = metricsSection({
      data: {
        ...analytics.data!,
        gateway: { ...analytics.data!.gateway!, metricsVersion: null, traffic: null, requestLatency: null, kongLatency: null, upstreamLatency: null, series: null },
      },
    });
    const { unmount } = await renderWithEntity(<EntityGoldenSignalsCard />, { getSection: jest.fn().mockResolvedValue(meshOnly) });
    const latency = await screen.findByRole('figure', { name: 'Latency in the mesh' });
    expect(latency.querySelectorAll('.recharts-line-curve')).toHaveLength(3);
    expect(within(chart('Requests per second')).queryByText('Gateway')).not.toBeInTheDocument();
    expect(screen.getByText('no series in Prometheus')).toBeInTheDocument();
    unmount();

    const nothing = metricsSection({
      data: { ...meshOnly.data!, mesh: { ...analytics.data!.mesh!, found: false, traffic: null, latency: null, mtls: null, series: null } },
      findings: [
        { code: 'MG-SLO-006', severity: 'warning', object: 'prometheus/sandbox/kong/analytics-service', message: 'no Kong series', fix: 'enable the plugin' },
      ],
    });
    await renderWithEntity(<EntityGoldenSignalsCard />, { getSection: jest.fn().mockResolvedValue(nothing) });
    expect(await screen.findByText('No Kong or Istio series for this service')).toBeInTheDocument();
    expect(screen.queryByRole('figure')).not.toBeInTheDocument();
    expect(screen.getByText('MG-SLO-006')).toBeInTheDocument();
  });
});

describe('metricsSectionSchema', () => {
  it('accepts what the backend sends, and refuses series of unequal length', () => {
    for (const section of Object.values(metricsSections)) {
      expect(metricsSectionSchema.safeParse(section.data).success).toBe(true);
    }
    const data = metricsSections['user-service'].data!;
    const broken = { ...data, mesh: { ...data.mesh!, series: { ...data.mesh!.series!, p95Ms: [1] } } };
    expect(metricsSectionSchema.safeParse(broken).error?.issues[0].message).toBe('every series has one value per timestamp');
  });
});
