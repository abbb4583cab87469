import type { Entity } from '@backstage/catalog-model';
import { isMeshGatewayAvailable } from './isMeshGatewayAvailable';

const withAnnotations = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'ai-agent-service', annotations },
});

describe('isMeshGatewayAvailable', () => {
  it.each([
    'mesh-gateway.io/kong-services',
    'mesh-gateway.io/kong-tags',
    'mesh-gateway.io/istio-host',
    'mesh-gateway.io/tracing-service',
    'backstage.io/kubernetes-id',
  ])('is true with %s', annotation => {
    expect(
      isMeshGatewayAvailable(withAnnotations({ [annotation]: 'ai-agent' })),
    ).toBe(true);
  });

  it('is false without annotations, with unrelated ones, or with blank values', () => {
    expect(isMeshGatewayAvailable(withAnnotations())).toBe(false);
    expect(
      isMeshGatewayAvailable(
        withAnnotations({
          'backstage.io/source-location': 'url:https://example.com/repo',
          'backstage.io/kubernetes-namespace': 'parallel-ai',
        }),
      ),
    ).toBe(false);
    expect(
      isMeshGatewayAvailable(
        withAnnotations({ 'mesh-gateway.io/kong-services': '  ' }),
      ),
    ).toBe(false);
  });
});
