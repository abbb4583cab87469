import type { EntityMeshOverview } from '@internal/plugin-mesh-gateway-common';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  kongSection,
  manyRoutesSection,
} from '../../__testUtils__/kongSection';
import {
  pending,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { rootRouteRef } from '../../routes';
import { EntityMeshGatewaySummaryCard } from './EntityMeshGatewaySummaryCard';

const overview = (kong = kongSection()): EntityMeshOverview => ({
  entityRef: 'component:parallel-ai/ai-agent-service',
  sections: { kong },
});

describe('EntityMeshGatewaySummaryCard', () => {
  it('shows progress while loading', async () => {
    const getOverview = jest.fn(() => pending<never>());
    await renderWithEntity(<EntityMeshGatewaySummaryCard />, { getOverview });

    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    expect(getOverview).toHaveBeenCalledWith(
      'component:parallel-ai/ai-agent-service',
    );
  });

  it('shows a failed request', async () => {
    await renderWithEntity(<EntityMeshGatewaySummaryCard />, {
      getOverview: jest.fn().mockRejectedValue(new Error('Failed to fetch')),
    });

    expect(await screen.findAllByText(/Failed to fetch/)).not.toHaveLength(0);
  });

  it('sums up the Kong section and links to the Mesh tab', async () => {
    await renderWithEntity(
      <EntityMeshGatewaySummaryCard />,
      {
        getOverview: jest.fn().mockResolvedValue(
          overview(
            kongSection({
              findings: [
                ...kongSection().findings,
                {
                  code: 'MG-KONG-011',
                  severity: 'warning',
                  object: 'kong/default/routes/ai-agent-route',
                  message: 'accepts http',
                  fix: 'Set protocols: [https]',
                },
              ],
            }),
          ),
        ),
      },
      {
        mountedRoutes: {
          '/catalog/parallel-ai/component/ai-agent-service/mesh': rootRouteRef,
        },
      },
    );

    expect(
      await screen.findByText('1 route on 1 service, 3 findings (1 critical)'),
    ).toBeInTheDocument();
    expect(screen.getByText('Kong:')).toBeInTheDocument();
    expect(screen.getByText('Open the Mesh tab').closest('a')).toHaveAttribute(
      'href',
      '/catalog/parallel-ai/component/ai-agent-service/mesh',
    );
  });

  it('counts routes over every service and says when there are no findings', async () => {
    await renderWithEntity(<EntityMeshGatewaySummaryCard />, {
      getOverview: jest
        .fn()
        .mockResolvedValue(overview(manyRoutesSection(1000))),
    });

    expect(
      await screen.findByText('1000 routes on 1 service, no findings'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Open the Mesh tab')).not.toBeInTheDocument();
  });

  it('says what to add when Kong is not configured', async () => {
    await renderWithEntity(<EntityMeshGatewaySummaryCard />, {
      getOverview: jest.fn().mockResolvedValue(
        overview(
          kongSection({
            status: 'not-configured',
            data: undefined,
            findings: [],
            missing: {
              annotations: [
                'mesh-gateway.io/kong-services',
                'mesh-gateway.io/kong-tags',
              ],
            },
          }),
        ),
      ),
    });

    expect(
      await screen.findByText(
        'not configured (add mesh-gateway.io/kong-services or mesh-gateway.io/kong-tags)',
      ),
    ).toBeInTheDocument();
  });

  it('gives every section the backend has a line of its own', async () => {
    await renderWithEntity(<EntityMeshGatewaySummaryCard />, {
      getOverview: jest.fn().mockResolvedValue({
        entityRef: 'component:parallel-ai/ai-agent-service',
        sections: {
          kong: kongSection(),
          istio: {
            section: 'istio',
            status: 'not-configured',
            missing: { annotations: ['backstage.io/kubernetes-id'] },
            findings: [],
            fetchedAt: '2026-11-22T10:00:00.000Z',
          },
        },
      }),
    });

    expect(await screen.findByText('Kong:')).toBeInTheDocument();
    expect(screen.getByText('Istio:')).toBeInTheDocument();
    expect(
      screen.getByText('not configured (add backstage.io/kubernetes-id)'),
    ).toBeInTheDocument();
  });

  it('gives the first reason when Kong could not be read, and partial failures', async () => {
    const getOverview = jest
      .fn()
      .mockResolvedValueOnce(
        overview(
          kongSection({
            status: 'error',
            data: undefined,
            findings: [],
            errors: [
              {
                name: 'timeout',
                instance: 'default',
                message: 'no answer within 5000 ms',
              },
            ],
          }),
        ),
      )
      .mockResolvedValueOnce(
        overview(
          kongSection({
            errors: [
              {
                name: 'timeout',
                instance: 'platform-ee',
                message: 'no answer',
              },
            ],
          }),
        ),
      );
    await renderWithEntity(<EntityMeshGatewaySummaryCard />, { getOverview });

    expect(
      await screen.findByText(
        'could not be read (default: no answer within 5000 ms)',
      ),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));

    expect(
      await screen.findByText(
        '1 route on 1 service, 2 findings (1 critical), 1 part could not be read',
      ),
    ).toBeInTheDocument();
  });
});
