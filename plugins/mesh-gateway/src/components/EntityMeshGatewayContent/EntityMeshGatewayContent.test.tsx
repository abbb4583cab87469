import { screen } from '@testing-library/react';
import { istioSection } from '../../__testUtils__/istioSection';
import { kongSection } from '../../__testUtils__/kongSection';
import { renderWithEntity } from '../../__testUtils__/renderWithEntity';
import { EntityMeshGatewayContent } from './EntityMeshGatewayContent';

describe('EntityMeshGatewayContent', () => {
  it('shows the Kong routes and plugins cards of the entity', async () => {
    const getSection = jest.fn().mockResolvedValue(kongSection());
    await renderWithEntity(<EntityMeshGatewayContent />, { getSection });

    expect(screen.getByText('Kong routes')).toBeInTheDocument();
    expect(screen.getByText('Kong plugins')).toBeInTheDocument();
    expect(await screen.findByText('1 route')).toBeInTheDocument();
    expect(await screen.findByText('3 plugins')).toBeInTheDocument();
    expect(getSection).toHaveBeenCalledWith(
      'component:parallel-ai/ai-agent-service',
      'kong',
    );
  });

  it('shows the Istio policies card of the entity', async () => {
    const getSection = jest
      .fn()
      .mockImplementation(async (_entityRef: string, section: string) =>
        section === 'istio' ? istioSection('ai-agent-service') : kongSection(),
      );
    await renderWithEntity(<EntityMeshGatewayContent />, { getSection });

    expect(screen.getByText('Istio policies')).toBeInTheDocument();
    expect(
      await screen.findByRole('heading', {
        name: 'ai-agent-service.parallel-ai.svc.cluster.local',
      }),
    ).toBeInTheDocument();
    expect(getSection).toHaveBeenCalledWith(
      'component:parallel-ai/ai-agent-service',
      'istio',
    );
  });
});
