import {
  HTTP_METHODS,
  ServiceSpec,
} from '@internal/plugin-mesh-gateway-common';
import { ObjectMeta, WorkloadSelector } from './types';

/** Labels on every generated Kubernetes object. */
export function objectLabels(spec: ServiceSpec): Record<string, string> {
  return {
    'app.kubernetes.io/name': spec.name,
    'app.kubernetes.io/managed-by': 'mesh-gateway',
    'backstage.io/kubernetes-id': spec.name,
  };
}

export function objectMeta(
  spec: ServiceSpec,
  name: string,
  extra: Pick<ObjectMeta, 'annotations'> = {},
): ObjectMeta {
  return {
    name,
    namespace: spec.namespace,
    labels: objectLabels(spec),
    ...extra,
  };
}

/** The pods of the service: the `app` label Istio also uses as the canonical service name. */
export function workloadSelector(spec: ServiceSpec): WorkloadSelector {
  return { matchLabels: { app: spec.name } };
}

/**
 * The Kong tag on every entity of the service: `deck gateway dump/sync --select-tag` and the
 * `mesh-gateway.io/kong-tags` annotation select by it.
 */
export function kongTag(spec: ServiceSpec): string {
  return `${spec.namespace}.${spec.name}`;
}

/** The Kong route name of a spec route. */
export function kongRouteName(
  spec: ServiceSpec,
  route: ServiceSpec['routes'][number],
): string {
  return `${spec.name}-${route.name}`;
}

/** Every method any route accepts, in the order of HTTP_METHODS. */
export function allMethods(spec: ServiceSpec): string[] {
  const methods = new Set<string>(spec.routes.flatMap(route => route.methods));
  return HTTP_METHODS.filter(method => methods.has(method));
}

/** The cert-manager Certificate of the service, and its Secret. */
export function certificateName(spec: ServiceSpec): string {
  return `${spec.name}-tls`;
}

/**
 * The SLO availability the PrometheusRule, the dashboard and the catalog annotation all use: a
 * ratio with at most 6 decimals, because `mesh-gateway.io/slo-availability` is a percentage with
 * at most 4 (what the Mesh tab parses).
 */
export function sloAvailability(spec: ServiceSpec): number {
  return Number(spec.slo.availability.toFixed(6));
}
