import type { KubernetesObjectView } from '@internal/plugin-mesh-gateway-common';

/** Everything the Istio analysis reads about one workload, as listed from the cluster. */
export interface IstioInventory {
  namespace: string;
  rootNamespace: string;
  /** FQDN of the service in the mesh. */
  host: string;
  /** Labels of the entity's pods (the Service selector, or the kubernetes-id label). */
  workloadLabels: Record<string, string>;
  /** Label sets of the pods that exist, when they could be listed (for subset checks). */
  podLabels?: Record<string, string>[];
  namespaceObject?: KubernetesObjectView;
  service?: KubernetesObjectView;
  /** Hosts of every Service in the namespace (for DestinationRule host checks). */
  serviceHosts: string[];
  peerAuthentications: KubernetesObjectView[];
  authorizationPolicies: KubernetesObjectView[];
  requestAuthentications: KubernetesObjectView[];
  virtualServices: KubernetesObjectView[];
  destinationRules: KubernetesObjectView[];
  serviceEntries: KubernetesObjectView[];
  telemetries: KubernetesObjectView[];
  /** CronJobs of the workload's namespace (the Kong backup job among them). */
  cronJobs?: KubernetesObjectView[];
}

export function objectName(object: KubernetesObjectView): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}

export function objectRef(object: KubernetesObjectView): string {
  return `istio/${object.kind}/${objectName(object)}`;
}

/** `selector.matchLabels` of a policy; undefined or empty means no selector. */
export function matchLabelsOf(object: KubernetesObjectView): Record<string, string> | undefined {
  const selector = object.spec?.selector as { matchLabels?: Record<string, string> } | undefined;
  const labels = selector?.matchLabels;
  return labels && Object.keys(labels).length > 0 ? labels : undefined;
}

export function selectorMatches(
  matchLabels: Record<string, string>,
  labels: Record<string, string>,
): boolean {
  return Object.entries(matchLabels).every(([key, value]) => labels[key] === value);
}

/** Oldest first, then by name: Istio's tie-break within a scope. */
export function byAge(a: KubernetesObjectView, b: KubernetesObjectView): number {
  const at = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
  const bt = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
  return at - bt || objectName(a).localeCompare(objectName(b));
}

/**
 * Resolves a host as Istio does for a config in `namespace`: short names are relative to the
 * config's namespace, `name.ns` gets the cluster suffix.
 */
export function resolveHost(host: string, namespace: string): string {
  if (host.includes('*')) return host;
  const parts = host.split('.');
  if (parts.length === 1) return `${host}.${namespace}.svc.cluster.local`;
  if (parts.length === 2) return `${host}.svc.cluster.local`;
  if (host.endsWith('.svc')) return `${host}.cluster.local`;
  return host;
}

export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

/** Parses an Istio/protobuf duration ("30s", "1.5s", "500ms", "1m", "1h") into milliseconds. */
export function durationMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim());
  if (!match) return undefined;
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * factor;
}

export function isDryRun(object: KubernetesObjectView): boolean {
  return object.metadata.annotations?.['istio.io/dry-run'] === 'true';
}
