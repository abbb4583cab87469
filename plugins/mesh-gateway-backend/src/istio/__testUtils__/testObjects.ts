import type { KubernetesObjectView } from '@internal/plugin-mesh-gateway-common';
import type { IstioInventory } from '../inventory';

/** Builders for Istio objects in analysis tests. */
export function istioObject(
  kind: string,
  namespace: string,
  name: string,
  spec: Record<string, unknown> = {},
  metadata: Partial<KubernetesObjectView['metadata']> = {},
): KubernetesObjectView {
  const groups: Record<string, string> = {
    PeerAuthentication: 'security.istio.io',
    AuthorizationPolicy: 'security.istio.io',
    RequestAuthentication: 'security.istio.io',
    Telemetry: 'telemetry.istio.io',
  };
  const group = groups[kind] ?? 'networking.istio.io';
  return {
    apiVersion: `${group}/v1`,
    kind,
    metadata: { name, namespace, creationTimestamp: '2026-01-01T00:00:00Z', ...metadata },
    spec,
  };
}

export function inventory(change: Partial<IstioInventory> = {}): IstioInventory {
  return {
    namespace: 'parallel-ai',
    rootNamespace: 'istio-system',
    host: 'user-service.parallel-ai.svc.cluster.local',
    workloadLabels: { app: 'user-service' },
    serviceHosts: ['user-service.parallel-ai.svc.cluster.local'],
    namespaceObject: {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'parallel-ai', labels: { 'istio-injection': 'enabled' } },
    },
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'user-service', namespace: 'parallel-ai' },
      spec: { selector: { app: 'user-service' }, ports: [{ name: 'http', port: 8080, targetPort: 8080 }] },
    },
    peerAuthentications: [],
    authorizationPolicies: [],
    requestAuthentications: [],
    virtualServices: [],
    destinationRules: [],
    serviceEntries: [],
    telemetries: [],
    ...change,
  };
}
