import { screen, within } from '@testing-library/react';
import { entityWithoutAnnotations } from '../../__testUtils__/kongSection';
import {
  pending,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { tracesData, tracesSection } from '../traces/testData';
import { EntityServiceGraphCard } from './EntityServiceGraphCard';

describe('EntityServiceGraphCard', () => {
  beforeAll(() => {
    // jsdom lays nothing out; the graph measures its nodes and labels with getBBox.
    Object.defineProperty(window.SVGElement.prototype, 'getBBox', {
      configurable: true,
      value: () => ({ x: 0, y: 0, width: 120, height: 16 }),
    });
  });

  it('shows progress while the section loads, asking for the traces section', async () => {
    const getSection = jest.fn(() => pending<never>());
    await renderWithEntity(<EntityServiceGraphCard />, { getSection });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    expect(getSection).toHaveBeenCalledWith(
      'component:parallel-ai/ai-agent-service',
      'traces',
    );
  });

  it("draws the services with the entity's own highlighted and the edges labelled with call counts", async () => {
    await renderWithEntity(<EntityServiceGraphCard />, {
      getSection: jest.fn().mockResolvedValue(tracesSection()),
    });
    const figure = await screen.findByRole('figure', {
      name: 'Service graph of ai-agent-service',
    });
    const own = await within(figure).findByTestId(
      'service-node-ai-agent-service',
    );
    expect(own).toHaveAttribute('data-focus', 'true');
    expect(
      within(figure).getByTestId('service-node-kong-gateway'),
    ).toHaveAttribute('data-kind', 'gateway');
    expect(
      within(figure).getByTestId('service-node-user-service'),
    ).toHaveAttribute('data-focus', 'false');
    expect(within(figure).getAllByTestId(/^service-node-/)).toHaveLength(4);
    expect(within(figure).getAllByText('92 calls')).toHaveLength(2);
    expect(within(figure).getByText('1 call')).toBeInTheDocument();
    expect(within(figure).getAllByTestId('edge')).toHaveLength(3);
    expect(
      screen.getByText(/Calls in the last 1 h, from Jaeger's dependencies/),
    ).toBeInTheDocument();
  });

  it('says so when the service has no calls in the window', async () => {
    await renderWithEntity(<EntityServiceGraphCard />, {
      getSection: jest
        .fn()
        .mockResolvedValue(
          tracesSection({
            data: tracesData({
              dependencies: {
                source: 'trace-spans',
                nodes: [
                  { id: 'ai-agent-service', kind: 'service', focus: true },
                ],
                edges: [],
              },
            }),
          }),
        ),
    });
    expect(
      await screen.findByText('No calls in the window'),
    ).toBeInTheDocument();
  });

  it('explains a graph that could not be read next to the error', async () => {
    await renderWithEntity(<EntityServiceGraphCard />, {
      getSection: jest.fn().mockResolvedValue(
        tracesSection({
          data: tracesData({ dependencies: undefined }),
          errors: [
            {
              name: 'upstream-status',
              instance: 'default',
              message: 'default /api/dependencies: HTTP 500 (no error message)',
            },
          ],
        }),
      ),
    });
    expect(
      await screen.findByText('The service graph could not be read'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/default \/api\/dependencies: HTTP 500/),
    ).toBeInTheDocument();
  });

  it('asks for the tracing annotation when not configured, and names the config key without instances', async () => {
    const { unmount } = await renderWithEntity(
      <EntityServiceGraphCard />,
      {
        getSection: jest
          .fn()
          .mockResolvedValue(
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
    unmount();
    await renderWithEntity(<EntityServiceGraphCard />, {
      getSection: jest
        .fn()
        .mockResolvedValue(
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
  });

  it('lists the errors of a section that failed', async () => {
    await renderWithEntity(<EntityServiceGraphCard />, {
      getSection: jest
        .fn()
        .mockResolvedValue(
          tracesSection({
            status: 'error',
            data: undefined,
            findings: [],
            errors: [
              {
                name: 'unreachable',
                instance: 'default',
                message:
                  'default /api/traces: connection failed (ECONNREFUSED)',
              },
            ],
          }),
        ),
    });
    expect(await screen.findByText(/ECONNREFUSED/)).toBeInTheDocument();
  });
});
