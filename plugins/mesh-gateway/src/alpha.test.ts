import plugin from './alpha';
import { rootRouteRef } from './routes';

describe('mesh-gateway plugin for the new frontend system', () => {
  it('provides the API, the Mesh tab and the summary card', () => {
    expect(plugin.id).toBe('mesh-gateway');
    expect(plugin.getExtension('api:mesh-gateway')).toBeDefined();
    expect(plugin.getExtension('entity-content:mesh-gateway')).toBeDefined();
    expect(
      plugin.getExtension('entity-card:mesh-gateway/summary'),
    ).toBeDefined();
    expect(plugin.routes.root).toBe(rootRouteRef);
  });
});
