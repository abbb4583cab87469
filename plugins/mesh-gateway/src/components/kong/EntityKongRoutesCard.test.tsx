import { ResponseError } from '@backstage/errors';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  entity,
  entityWithoutAnnotations,
  kongSection,
  manyRoutesSection,
  route,
  serviceView,
} from '../../__testUtils__/kongSection';
import {
  pending,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { EntityKongRoutesCard } from './EntityKongRoutesCard';

describe('EntityKongRoutesCard', () => {
  it('shows progress while the section loads, asking for the entity', async () => {
    const getSection = jest.fn(() => pending<never>());
    await renderWithEntity(<EntityKongRoutesCard />, { getSection });

    expect(screen.getByText('Kong routes')).toBeInTheDocument();
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    expect(getSection).toHaveBeenCalledWith(
      'component:parallel-ai/ai-agent-service',
      'kong',
    );
  });

  it('shows a failed request with the backend error', async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotFoundError',
            message: 'No entity component:parallel-ai/ai-agent-service found',
          },
          request: {
            method: 'GET',
            url: '/v1/entities/parallel-ai/component/ai-agent-service/kong',
          },
          response: { statusCode: 404 },
        }),
        { status: 404, headers: { 'content-type': 'application/json' } },
      ),
    );
    await renderWithEntity(<EntityKongRoutesCard />, {
      getSection: jest.fn().mockRejectedValue(error),
    });

    expect(
      await screen.findAllByText(
        /No entity component:parallel-ai\/ai-agent-service found/,
      ),
    ).not.toHaveLength(0);
  });

  it('asks for the kong-services annotation when the section is not configured', async () => {
    await renderWithEntity(
      <EntityKongRoutesCard />,
      {
        getSection: jest.fn().mockResolvedValue(
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
      },
      { entity: entityWithoutAnnotations },
    );

    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    expect(
      screen.getAllByText('mesh-gateway.io/kong-services', { exact: false })
        .length,
    ).toBeGreaterThan(0);
    expect(screen.getByText('mesh-gateway.io/kong-tags')).toBeInTheDocument();
  });

  it('names the missing config key when the backend has no Kong instance', async () => {
    await renderWithEntity(<EntityKongRoutesCard />, {
      getSection: jest.fn().mockResolvedValue(
        kongSection({
          status: 'not-configured',
          data: undefined,
          findings: [],
          missing: { configKey: 'meshGateway.kong.instances' },
        }),
      ),
    });

    expect(
      await screen.findByText('Kong is not configured'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/meshGateway\.kong\.instances/),
    ).toBeInTheDocument();
  });

  it('lists the errors of a section that failed upstream, with their instance', async () => {
    await renderWithEntity(<EntityKongRoutesCard />, {
      getSection: jest.fn().mockResolvedValue(
        kongSection({
          status: 'error',
          data: undefined,
          findings: [],
          errors: [
            {
              name: 'timeout',
              instance: 'default',
              message: 'Kong did not answer within 5000 ms',
            },
            {
              name: 'unreachable',
              instance: 'platform-ee',
              message: 'connect ECONNREFUSED',
            },
          ],
        }),
      ),
    });

    expect(
      await screen.findByText(/^\w+: Kong could not be read$/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Kong did not answer within 5000 ms/),
    ).toBeInTheDocument();
    expect(screen.getByText(/connect ECONNREFUSED/)).toBeInTheDocument();
    expect(screen.getByText('platform-ee:')).toBeInTheDocument();
  });

  it('says which services and tags were looked for when Kong has none of them', async () => {
    await renderWithEntity(
      <EntityKongRoutesCard />,
      {
        getSection: jest
          .fn()
          .mockResolvedValue(
            kongSection({ data: { services: [], nodes: [] }, findings: [] }),
          ),
      },
      {
        entity: {
          ...entity,
          metadata: {
            ...entity.metadata,
            annotations: {
              'mesh-gateway.io/kong-services': 'platform-ee/ai-agent-service',
              'mesh-gateway.io/kong-tags': 'team:ai',
            },
          },
        },
      },
    );

    expect(
      await screen.findByText('No Kong services found'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /none of the services platform-ee\/ai-agent-service and services tagged team:ai/,
      ),
    ).toBeInTheDocument();
  });

  it('shows services, routes, plugins, upstream health and findings', async () => {
    await renderWithEntity(<EntityKongRoutesCard />, {
      getSection: jest.fn().mockResolvedValue(kongSection()),
    });

    const service = await screen.findByRole('region', {
      name: 'Kong service ai-agent-service',
    });
    const s = within(service);
    expect(
      s.getByText(
        'http://ai-agent-service.parallel-ai.svc.cluster.local:8080 · retries 3 · timeouts connect 30 s, read 30 s, write 30 s',
      ),
    ).toBeInTheDocument();
    expect(s.getByText('Open in Kong Manager').closest('a')).toHaveAttribute(
      'href',
      'https://kong-manager.example/default/services/svc-ai-agent',
    );

    const row = s.getByText('ai-agent-route').closest('tr')!;
    const r = within(row);
    expect(r.getByText('GET')).toBeInTheDocument();
    expect(r.getByText('POST')).toBeInTheDocument();
    expect(r.getByText('/api/v1/ai-agent')).toBeInTheDocument();
    expect(r.getByText('api.parallel-ai.example')).toBeInTheDocument();
    expect(r.getByText('https')).toBeInTheDocument();
    expect(r.getByText('false')).toBeInTheDocument();
    expect(r.getByTitle('jwt: attached to the service')).toBeInTheDocument();
    expect(
      r.getByTitle('prometheus: global, runs for every route'),
    ).toBeInTheDocument();
    expect(
      r.getByTitle('rate-limiting: attached to this route, disabled'),
    ).toHaveStyle('text-decoration: line-through');
    expect(r.getByText(/Depending on the caller: acl/)).toBeInTheDocument();

    expect(s.getByText('10.0.0.11:8080 HEALTHY')).toBeInTheDocument();
    expect(s.getByText('10.0.0.12:8080 UNHEALTHY')).toBeInTheDocument();

    const findings = screen.getByRole('list', { name: 'Findings' });
    const codes = within(findings)
      .getAllByText(/^MG-KONG-\d{3}$/)
      .map(element => element.textContent);
    expect(codes).toEqual(['MG-KONG-012', 'MG-KONG-013']);
    expect(
      within(findings).getByText('Target 10.0.0.12:8080 is UNHEALTHY'),
    ).toBeInTheDocument();
    expect(
      within(findings).getByText(/^Fix: Check the target's pods/),
    ).toBeInTheDocument();
  });

  it('shows a target health tooltip and the partial errors above the data', async () => {
    await renderWithEntity(<EntityKongRoutesCard />, {
      getSection: jest.fn().mockResolvedValue(
        kongSection({
          errors: [
            {
              name: 'timeout',
              instance: 'platform-ee',
              message: 'Kong did not answer',
            },
          ],
        }),
      ),
    });

    expect(
      await screen.findByText(/Part of Kong could not be read/),
    ).toBeInTheDocument();
    expect(
      screen.getByTitle(
        '10.0.0.12:8080, weight 100: unhealthy: Kong sends it no traffic',
      ),
    ).toBeInTheDocument();
  });

  it('marks a route without methods, hosts or plugins as matching anything', async () => {
    await renderWithEntity(<EntityKongRoutesCard />, {
      getSection: jest.fn().mockResolvedValue(
        kongSection({
          data: {
            services: [
              serviceView({
                managerUrl: undefined,
                upstream: undefined,
                routes: [
                  route({
                    methods: null,
                    hosts: null,
                    plugins: [],
                    consumerPlugins: [],
                  }),
                ],
              }),
            ],
            nodes: [{ instance: 'default', error: 'connect ECONNREFUSED' }],
          },
          findings: [],
        }),
      ),
    });

    const row = (await screen.findByText('ai-agent-route')).closest('tr')!;
    expect(within(row).getAllByText('any')).toHaveLength(2);
    expect(within(row).getByText('none')).toBeInTheDocument();
    expect(screen.queryByText('Open in Kong Manager')).not.toBeInTheDocument();
    expect(
      screen.getByText(/default: node status could not be read/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No findings: everything checked meets the baseline.'),
    ).toBeInTheDocument();
  });

  it('renders one page of twenty rows for a service with 1,000 routes, and searches all', async () => {
    await renderWithEntity(<EntityKongRoutesCard />, {
      getSection: jest.fn().mockResolvedValue(manyRoutesSection(1000)),
    });

    expect(await screen.findByText('1000 routes')).toBeInTheDocument();
    expect(screen.getAllByText(/^route-\d+$/)).toHaveLength(20);
    expect(screen.getByText('route-19')).toBeInTheDocument();
    expect(screen.queryByText('route-20')).not.toBeInTheDocument();

    await userEvent.type(screen.getByPlaceholderText('Filter'), 'r987');
    await waitFor(() =>
      expect(screen.getAllByText(/^route-\d+$/)).toHaveLength(1),
    );
    expect(screen.getByText('route-987')).toBeInTheDocument();
  });

  it('reads the section again on refresh', async () => {
    const getSection = jest
      .fn()
      .mockResolvedValueOnce(kongSection())
      .mockResolvedValueOnce(
        kongSection({
          data: {
            services: [
              serviceView({ routes: [route({ name: 'ai-agent-route-v2' })] }),
            ],
            nodes: [],
          },
        }),
      );
    await renderWithEntity(<EntityKongRoutesCard />, { getSection });
    expect(await screen.findByText('ai-agent-route')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));

    expect(await screen.findByText('ai-agent-route-v2')).toBeInTheDocument();
    expect(getSection).toHaveBeenCalledTimes(2);
  });
});
