import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { REDACTED } from '@internal/plugin-mesh-gateway-common';
import { kongSection, serviceView } from '../../__testUtils__/kongSection';
import {
  pending,
  renderWithEntity,
} from '../../__testUtils__/renderWithEntity';
import { EntityKongPluginsCard, pluginRows } from './EntityKongPluginsCard';
import { redactedPaths } from './PluginConfigView';

describe('EntityKongPluginsCard', () => {
  it('shows progress while loading', async () => {
    await renderWithEntity(<EntityKongPluginsCard />, {
      getSection: () => pending(),
    });

    expect(screen.getByText('Kong plugins')).toBeInTheDocument();
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('shows a failed request', async () => {
    await renderWithEntity(<EntityKongPluginsCard />, {
      getSection: jest.fn().mockRejectedValue(new Error('Failed to fetch')),
    });

    expect(await screen.findAllByText(/Failed to fetch/)).not.toHaveLength(0);
  });

  it('asks for the annotation when Kong is not configured for the entity', async () => {
    await renderWithEntity(<EntityKongPluginsCard />, {
      getSection: jest.fn().mockResolvedValue(
        kongSection({
          status: 'not-configured',
          data: undefined,
          findings: [],
          missing: { annotations: ['mesh-gateway.io/kong-services'] },
        }),
      ),
    });

    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
  });

  it('says so when no plugin applies', async () => {
    await renderWithEntity(<EntityKongPluginsCard />, {
      getSection: jest.fn().mockResolvedValue(
        kongSection({
          data: { services: [serviceView({ plugins: [] })], nodes: [] },
        }),
      ),
    });

    expect(await screen.findByText('No Kong plugins')).toBeInTheDocument();
  });

  it('lists every plugin with scope, state and what it is attached to', async () => {
    await renderWithEntity(<EntityKongPluginsCard />, {
      getSection: jest.fn().mockResolvedValue(kongSection()),
    });

    expect(await screen.findByText('3 plugins')).toBeInTheDocument();
    const rowOf = (name: string) =>
      within(screen.getByText(name).closest('tr')!);

    expect(rowOf('jwt').getByText('service')).toBeInTheDocument();
    expect(rowOf('jwt').getByText('enabled')).toBeInTheDocument();
    expect(
      rowOf('jwt').getByText('service ai-agent-service'),
    ).toBeInTheDocument();

    expect(rowOf('rate-limiting').getByText('route')).toBeInTheDocument();
    expect(rowOf('rate-limiting').getByText('disabled')).toBeInTheDocument();
    expect(
      rowOf('rate-limiting').getByText('route ai-agent-route'),
    ).toBeInTheDocument();
    expect(rowOf('rate-limiting').getByText(/1 redacted/)).toBeInTheDocument();

    expect(rowOf('prometheus').getByText('global')).toBeInTheDocument();
    expect(
      rowOf('prometheus').getByText('every service and route'),
    ).toBeInTheDocument();
    expect(rowOf('prometheus').queryByText(/redacted/)).not.toBeInTheDocument();
  });

  it('shows a configuration on request, with redacted values marked', async () => {
    await renderWithEntity(<EntityKongPluginsCard />, {
      getSection: jest.fn().mockResolvedValue(kongSection()),
    });
    const row = (await screen.findByText('rate-limiting')).closest('tr')!;

    await userEvent.click(within(row).getByTitle('Show configuration'));

    expect(
      await screen.findByText(/Secret, not sent to the browser/),
    ).toBeInTheDocument();
    expect(screen.getByText('redis.password')).toBeInTheDocument();
    expect(await screen.findByText(`"${REDACTED}"`)).toBeInTheDocument();
    expect(screen.getByText('"minute"')).toBeInTheDocument();
  });
});

describe('pluginRows', () => {
  it('lists a plugin shared by two services once, and names consumers and consumer groups by id', () => {
    const shared = serviceView().plugins.find(p => p.scope === 'global')!;
    const rows = pluginRows({
      services: [
        serviceView(),
        serviceView({
          service: {
            ...serviceView().service,
            id: 'svc-analytics',
            name: 'analytics',
          },
          routes: [],
          plugins: [
            shared,
            {
              id: 'plugin-acl',
              name: 'acl',
              enabled: true,
              scope: 'consumer',
              consumer: 'consumer-1',
              config: {},
            },
            {
              id: 'plugin-group-key-auth',
              name: 'key-auth',
              enabled: true,
              scope: 'consumer-group',
              consumer_group: 'premium',
              config: {},
            },
          ],
        }),
      ],
      nodes: [],
    });

    expect(rows.map(row => [row.plugin.name, row.attachedTo])).toEqual([
      ['acl', 'consumer consumer-1'],
      ['jwt', 'service ai-agent-service'],
      ['key-auth', 'consumer group premium'],
      ['prometheus', 'every service and route'],
      ['rate-limiting', 'route ai-agent-route'],
    ]);
  });
});

describe('redactedPaths', () => {
  it('finds redacted values in nested objects and arrays', () => {
    expect(
      redactedPaths({
        client_secret: REDACTED,
        headers: { Authorization: REDACTED, 'X-Team': 'ai' },
        keys: ['public', REDACTED],
        port: 6379,
      }),
    ).toEqual(['client_secret', 'headers.Authorization', 'keys.[1]']);
  });
});
