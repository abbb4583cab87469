import type { ResourceType } from '../kubernetes/KubernetesReader';

const networking = (plural: string, kind: string): ResourceType => ({
  group: 'networking.istio.io',
  versions: ['v1', 'v1beta1'],
  plural,
  kind,
});
const security = (plural: string, kind: string): ResourceType => ({
  group: 'security.istio.io',
  versions: ['v1', 'v1beta1'],
  plural,
  kind,
});

/** The Istio resource types read for a workload, newest served version first. */
export const ISTIO_RESOURCE_TYPES = {
  virtualServices: networking('virtualservices', 'VirtualService'),
  destinationRules: networking('destinationrules', 'DestinationRule'),
  gateways: networking('gateways', 'Gateway'),
  serviceEntries: networking('serviceentries', 'ServiceEntry'),
  sidecars: networking('sidecars', 'Sidecar'),
  peerAuthentications: security('peerauthentications', 'PeerAuthentication'),
  authorizationPolicies: security('authorizationpolicies', 'AuthorizationPolicy'),
  requestAuthentications: security('requestauthentications', 'RequestAuthentication'),
  telemetries: { group: 'telemetry.istio.io', versions: ['v1', 'v1alpha1'], plural: 'telemetries', kind: 'Telemetry' },
} as const satisfies Record<string, ResourceType>;

export const CORE_RESOURCE_TYPES = {
  services: { group: '', versions: ['v1'], plural: 'services', kind: 'Service' },
  pods: { group: '', versions: ['v1'], plural: 'pods', kind: 'Pod' },
  /** Read for the documents' Kong backup job, which lives next to the service. */
  cronJobs: { group: 'batch', versions: ['v1'], plural: 'cronjobs', kind: 'CronJob' },
} as const satisfies Record<string, ResourceType>;
