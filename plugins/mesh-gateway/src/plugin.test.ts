import { meshGatewayApiRef } from './api';
import { meshGatewayPlugin } from './plugin';

describe('meshGatewayPlugin', () => {
  it('is the mesh-gateway plugin and provides the API client', () => {
    expect(meshGatewayPlugin.getId()).toBe('mesh-gateway');
    expect(
      [...meshGatewayPlugin.getApis()].map(factory => factory.api.id),
    ).toEqual([meshGatewayApiRef.id]);
  });
});
