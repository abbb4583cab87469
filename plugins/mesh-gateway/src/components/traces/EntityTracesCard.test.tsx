import { ResponseError } from '@backstage/errors';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { entityWithoutAnnotations } from '../../__testUtils__/kongSection';
import {
  pending,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { EntityTracesCard } from './EntityTracesCard';
import { traceSummary, tracesData, tracesSection } from './testData';
import { tracesSectionSchema } from './tracesSectionSchema';

describe('EntityTracesCard', () => {
  it('shows progress while the section loads, asking for the traces section', async () => {
    const getSection = jest.fn(() => pending<never>());
    await renderWithEntity(<EntityTracesCard />, { getSection });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    expect(getSection).toHaveBeenCalledWith(
      'component:parallel-ai/ai-agent-service',
      'traces',
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
        {
          status: 404,
          headers: { 'content-type': 'application/json' },
        },
      ),
    );
    await renderWithEntity(<EntityTracesCard />, {
      getSection: jest.fn().mockRejectedValue(error),
    });
    expect(
      await screen.findAllByText(
        /No entity component:parallel-ai\/ai-agent-service found/,
      ),
    ).not.toHaveLength(0);
  });

  it('asks for the tracing annotation when the service is unknown to the tracing backend', async () => {
    await renderWithEntity(
      <EntityTracesCard />,
      {
        getSection: jest.fn().mockResolvedValue(
          tracesSection({
            status: 'not-configured',
            data: undefined,
            findings: [],
            missing: { annotations: ['mesh-gateway.io/tracing-service'] },
          }),
        ),
      },
      { entity: entityWithoutAnnotations },
    );
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText('mesh-gateway.io/tracing-service', { exact: false })
        .length,
    ).toBeGreaterThan(0);
  });

  it('names the config key when the backend has no tracing instance', async () => {
    await renderWithEntity(<EntityTracesCard />, {
      getSection: jest.fn().mockResolvedValue(
        tracesSection({
          status: 'not-configured',
          data: undefined,
          findings: [],
          missing: { configKey: 'meshGateway.tracing.instances' },
        }),
      ),
    });
    expect(
      await screen.findByText('Traces is not configured'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/meshGateway\.tracing\.instances/),
    ).toBeInTheDocument();
  });

  it('lists upstream errors, and partial ones above the data', async () => {
    const { unmount } = await renderWithEntity(<EntityTracesCard />, {
      getSection: jest.fn().mockResolvedValue(
        tracesSection({
          status: 'error',
          data: undefined,
          findings: [],
          errors: [
            {
              name: 'timeout',
              instance: 'default',
              message: 'default /api/v3/traces: no answer within 10000 ms',
            },
          ],
        }),
      ),
    });
    expect(
      await screen.findByText(/^\w+: Traces could not be read$/),
    ).toBeInTheDocument();
    expect(screen.getByText(/no answer within 10000 ms/)).toBeInTheDocument();
    unmount();

    await renderWithEntity(<EntityTracesCard />, {
      getSection: jest.fn().mockResolvedValue(
        tracesSection({
          errors: [
            {
              name: 'upstream-status',
              instance: 'default',
              message: 'default /api/dependencies: HTTP 500',
            },
          ],
        }),
      ),
    });
    expect(
      await screen.findByText(/Part of Traces could not be read/),
    ).toBeInTheDocument();
    expect(screen.getByText('Latency P95')).toBeInTheDocument();
  });

  it('says so when the window has no traces, and still lists the findings', async () => {
    await renderWithEntity(<EntityTracesCard />, {
      getSection: jest.fn().mockResolvedValue(
        tracesSection({
          data: tracesData({
            traceCount: 0,
            spanCount: 0,
            requestCount: 0,
            errorCount: 0,
            errorRate: null,
            errorTraceCount: 0,
            latency: null,
            slowestOperations: [],
            slowestTraces: [],
            failedTraces: [],
            hops: null,
            gatewayCoverage: {
              traces: 0,
              throughGateway: 0,
              contextLost: 0,
              bypassed: 0,
              ratio: null,
              target: 0.95,
            },
          }),
          findings: [],
        }),
      ),
    });
    expect(
      await screen.findByText('No traces in the last 1 h'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Latency P95')).not.toBeInTheDocument();
    expect(
      screen.getByText('No findings: everything checked meets the baseline.'),
    ).toBeInTheDocument();
  });

  it("measures latency, errors, Kong coverage and Kong's time against the SLO", async () => {
    await renderWithEntity(<EntityTracesCard />, {
      getSection: jest.fn().mockResolvedValue(tracesSection()),
    });
    expect(
      await screen.findByText(/ai-agent-service/, { selector: 'strong' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /in default \(Jaeger \/api\/v3\), last 1 h: 92 traces, 1840 spans\./,
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Open in Jaeger').closest('a')).toHaveAttribute(
      'href',
      expect.stringContaining(
        'https://jaeger.parallel-ai.example.com/search?service=ai-agent-service',
      ),
    );
    expect(
      screen.getByText(/Service name from backstage.io\/kubernetes-id/),
    ).toBeInTheDocument();

    const latency = within(screen.getByRole('group', { name: 'Latency P95' }));
    // The objective is end to end: the tile shows the whole request at Kong, which it judges.
    expect(latency.getByText('139.8 ms')).toBeInTheDocument();
    expect(
      latency.getByText(
        'Whole request at Kong; at the service P95 131.4 ms, P50 78.2 ms · P99 1.27 s over 92 requests',
      ),
    ).toBeInTheDocument();
    expect(
      latency.getByText('Misses: < 100 ms end to end'),
    ).toBeInTheDocument();

    const errors = within(screen.getByRole('group', { name: 'Error rate' }));
    expect(errors.getByText('2.2%')).toBeInTheDocument();
    expect(
      errors.getByText('Misses: ≤ 0.05% (99.95% available)'),
    ).toBeInTheDocument();

    const kong = within(screen.getByRole('group', { name: 'Through Kong' }));
    expect(kong.getByText('97.8%')).toBeInTheDocument();
    expect(
      kong.getByText(
        '90 of 92 traces · 1 lost the trace context · 1 around Kong',
      ),
    ).toBeInTheDocument();
    expect(kong.getByText('Target: ≥ 95.0% of traces')).toBeInTheDocument();

    const gateway = within(
      screen.getByRole('group', { name: "Kong's own time P95" }),
    );
    expect(gateway.getByText('11.2 ms')).toBeInTheDocument();
    expect(gateway.getByText('Target: < 50 ms')).toBeInTheDocument();
  });

  it('draws the per-hop medians as a stacked bar', async () => {
    await renderWithEntity(<EntityTracesCard />, {
      getSection: jest.fn().mockResolvedValue(tracesSection()),
    });
    const bar = await screen.findByRole('img', {
      name: 'Median time per hop: Kong 6.40 ms, Mesh hop 1.80 ms, Service 74.9 ms',
    });
    expect(within(bar).getByTestId('hop-gateway')).toHaveStyle(
      'flex-grow: 6.4',
    );
    expect(within(bar).getByTestId('hop-mesh')).toHaveStyle('flex-grow: 1.8');
    expect(within(bar).getByTestId('hop-service')).toHaveStyle(
      'flex-grow: 74.9',
    );
    expect(
      screen.getByText(/Medians of 90 requests through Kong/),
    ).toBeInTheDocument();
  });

  it('lists slowest and failed traces with links into Jaeger, and never links anything but web addresses', async () => {
    await renderWithEntity(<EntityTracesCard />, {
      getSection: jest.fn().mockResolvedValue(tracesSection()),
    });
    const slowest = within(
      await screen.findByRole('table', { name: 'Slowest traces' }),
    );
    const link = slowest.getByText('0559bca');
    expect(link.closest('a')).toHaveAttribute(
      'href',
      'https://jaeger.parallel-ai.example.com/trace/0559bca636a1365094b13651caed189f',
    );
    // A 64-bit id shows as Jaeger shows it; without a UI URL it is no link.
    expect(slowest.getByText('0559bc8').closest('a')).toBeNull();
    expect(slowest.getByText('1.28 s')).toBeInTheDocument();
    expect(
      slowest.getByText('POST /api/v1/ai-agent/chat (1.27 s)'),
    ).toBeInTheDocument();

    const failed = within(screen.getByRole('table', { name: 'Failed traces' }));
    expect(failed.getByText('user-service answered 500')).toBeInTheDocument();
    expect(failed.getByText('0559bc9').closest('a')).toBeNull();
    expect(document.querySelector('a[href^="javascript"]')).toBeNull();

    const operations = within(
      screen.getByRole('table', { name: 'Slowest operations' }),
    );
    expect(
      operations.getByText('POST /api/v1/ai-agent/chat'),
    ).toBeInTheDocument();
  });

  it('shows the findings and that the numbers are from a capped search', async () => {
    await renderWithEntity(<EntityTracesCard />, {
      getSection: jest.fn().mockResolvedValue(
        tracesSection({
          data: tracesData({ truncated: true, limit: 92, failedTraces: [] }),
        }),
      ),
    });
    const findings = within(
      await screen.findByRole('list', { name: 'Findings' }),
    );
    expect(
      findings.getAllByText(/^MG-TRACE-\d{3}$/).map(e => e.textContent),
    ).toEqual(['MG-TRACE-003', 'MG-TRACE-004']);
    expect(
      screen.getByText(/returned its limit of 92 traces/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No failed trace in the last 1 h.'),
    ).toBeInTheDocument();
  });

  it('reads the section again on refresh', async () => {
    const getSection = jest
      .fn()
      .mockResolvedValueOnce(tracesSection())
      .mockResolvedValueOnce(
        tracesSection({ data: tracesData({ traceCount: 93 }) }),
      );
    await renderWithEntity(<EntityTracesCard />, { getSection });
    expect(await screen.findByText(/last 1 h: 92 traces/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByText(/last 1 h: 93 traces/)).toBeInTheDocument();
  });
});

describe('tracesSectionSchema', () => {
  it('accepts what the backend sends and refuses links that are not web addresses', () => {
    const data = tracesData();
    expect(
      tracesSectionSchema.safeParse({ ...data, failedTraces: [traceSummary()] })
        .success,
    ).toBe(true);
    const parsed = tracesSectionSchema.safeParse(data);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0].path).toEqual(['failedTraces', 0, 'url']);
    expect(
      tracesSectionSchema.safeParse({ ...data, kind: 'zipkin' }).success,
    ).toBe(false);
  });

  it("reads an answer without SLO targets (an older backend's, or cached) as the baseline's", () => {
    const { slo: _slo, ...older } = tracesData();
    const parsed = tracesSectionSchema.parse({ ...older, failedTraces: [traceSummary()] });
    expect(parsed.slo).toEqual({
      availability: { value: 0.9995, source: 'baseline' },
      gatewayP95Ms: { value: 50, source: 'baseline' },
      endToEndP95Ms: { value: 100, source: 'baseline' },
    });
  });
});
