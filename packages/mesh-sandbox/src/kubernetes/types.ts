/** A Kubernetes object as the API server returns it. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    managedFields?: unknown[];
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  data?: Record<string, string>;
  /** A Secret's type, e.g. `kubernetes.io/tls`. */
  type?: string;
}

/** A resource type the sandbox serves. */
export interface ServedResource {
  group: string;
  versions: string[];
  plural: string;
  kind: string;
  namespaced: boolean;
}

export const SERVED_RESOURCES: ServedResource[] = [
  { group: '', versions: ['v1'], plural: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: '', versions: ['v1'], plural: 'services', kind: 'Service', namespaced: true },
  { group: '', versions: ['v1'], plural: 'pods', kind: 'Pod', namespaced: true },
  { group: '', versions: ['v1'], plural: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { group: '', versions: ['v1'], plural: 'secrets', kind: 'Secret', namespaced: true },
  { group: 'apps', versions: ['v1'], plural: 'deployments', kind: 'Deployment', namespaced: true },
  { group: 'apps', versions: ['v1'], plural: 'replicasets', kind: 'ReplicaSet', namespaced: true },
  { group: 'batch', versions: ['v1'], plural: 'cronjobs', kind: 'CronJob', namespaced: true },
  { group: 'networking.istio.io', versions: ['v1', 'v1beta1'], plural: 'virtualservices', kind: 'VirtualService', namespaced: true },
  { group: 'networking.istio.io', versions: ['v1', 'v1beta1'], plural: 'destinationrules', kind: 'DestinationRule', namespaced: true },
  { group: 'networking.istio.io', versions: ['v1', 'v1beta1'], plural: 'gateways', kind: 'Gateway', namespaced: true },
  { group: 'networking.istio.io', versions: ['v1', 'v1beta1'], plural: 'serviceentries', kind: 'ServiceEntry', namespaced: true },
  { group: 'networking.istio.io', versions: ['v1', 'v1beta1'], plural: 'sidecars', kind: 'Sidecar', namespaced: true },
  { group: 'security.istio.io', versions: ['v1', 'v1beta1'], plural: 'peerauthentications', kind: 'PeerAuthentication', namespaced: true },
  { group: 'security.istio.io', versions: ['v1', 'v1beta1'], plural: 'authorizationpolicies', kind: 'AuthorizationPolicy', namespaced: true },
  { group: 'security.istio.io', versions: ['v1', 'v1beta1'], plural: 'requestauthentications', kind: 'RequestAuthentication', namespaced: true },
  { group: 'telemetry.istio.io', versions: ['v1', 'v1alpha1'], plural: 'telemetries', kind: 'Telemetry', namespaced: true },
  { group: 'cert-manager.io', versions: ['v1'], plural: 'certificates', kind: 'Certificate', namespaced: true },
];
