import { renderInTestApp } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createFinding, Finding } from '@internal/plugin-mesh-gateway-common';
import { FindingsList } from './FindingsList';

const findings: Finding[] = [
  createFinding(
    'MG-KONG-007',
    'kong/default/services/ai-agent-service',
    'retries is 5',
  ),
  createFinding(
    'MG-KONG-001',
    'kong/default/routes/ai-agent-route',
    'No jwt plugin runs',
  ),
  createFinding(
    'MG-KONG-005',
    'kong/default/routes/ai-agent-route',
    'strip_path is true',
  ),
];

describe('FindingsList', () => {
  it('shows findings most severe first with severity, code, object, message and fix', async () => {
    await renderInTestApp(<FindingsList findings={findings} />);

    const items = within(
      screen.getByRole('list', { name: 'Findings' }),
    ).getAllByRole('listitem');
    expect(
      items.map(item => within(item).getByText(/^MG-/).textContent),
    ).toEqual(['MG-KONG-001', 'MG-KONG-005', 'MG-KONG-007']);
    const first = within(items[0]);
    expect(first.getByText('critical')).toBeInTheDocument();
    expect(
      first.getByText('kong/default/routes/ai-agent-route'),
    ).toBeInTheDocument();
    expect(first.getByText('No jwt plugin runs')).toBeInTheDocument();
    expect(first.getByText(/^Fix: Enable the jwt plugin/)).toBeInTheDocument();
    expect(within(items[2]).getByText('info')).toBeInTheDocument();
  });

  it('shows the first findings and the rest on request', async () => {
    const many = Array.from({ length: 25 }, (_, i) =>
      createFinding(
        'MG-KONG-005',
        `kong/default/routes/r${String(i).padStart(2, '0')}`,
        'strips',
      ),
    );
    await renderInTestApp(<FindingsList findings={many} initiallyShown={10} />);

    expect(screen.getAllByRole('listitem')).toHaveLength(10);
    await userEvent.click(
      screen.getByRole('button', { name: 'Show all 25 findings' }),
    );
    expect(screen.getAllByRole('listitem')).toHaveLength(25);
  });

  it('says when there is nothing to fix', async () => {
    await renderInTestApp(<FindingsList findings={[]} />);

    expect(
      screen.getByText('No findings: everything checked meets the baseline.'),
    ).toBeInTheDocument();
  });
});
