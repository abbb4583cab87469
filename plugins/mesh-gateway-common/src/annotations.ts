/**
 * Annotations that tie a catalog entity to what the gateway and the mesh run for it.
 * They name *which* object, never *where* to connect: hosts and URLs come from app-config only.
 *
 * @public
 */
export const MESH_GATEWAY_ANNOTATIONS = {
  /**
   * Kong services of the entity, comma separated. Each item is `service` (on the default
   * instance) or `instance/service`, where `instance` is a name from `meshGateway.kong.instances`.
   */
  kongServices: 'mesh-gateway.io/kong-services',
  /** Kong tags that select the entity's services, comma separated (all tags must match). */
  kongTags: 'mesh-gateway.io/kong-tags',
  /** The Istio host of the service, when it differs from `<name>.<namespace>.svc.cluster.local`. */
  istioHost: 'mesh-gateway.io/istio-host',
  /** The service name in the tracing backend (defaults to the Kubernetes id or the entity name). */
  tracingService: 'mesh-gateway.io/tracing-service',
  /** The tracing instance (a name from `meshGateway.tracing.instances`); defaults to the first. */
  tracingInstance: 'mesh-gateway.io/tracing-instance',
  /** How far back the traces section looks: `30m`, `2h`, `1d` (1 minute to 7 days; default 1h). */
  tracingWindow: 'mesh-gateway.io/tracing-window',
} as const;

/** Annotations of the Kubernetes plugin that mesh-gateway reads as they are. @public */
export const KUBERNETES_ANNOTATIONS = {
  id: 'backstage.io/kubernetes-id',
  namespace: 'backstage.io/kubernetes-namespace',
  labelSelector: 'backstage.io/kubernetes-label-selector',
} as const;
