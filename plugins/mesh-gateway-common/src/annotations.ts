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
  /** The Prometheus instance (a name from `meshGateway.prometheus.instances`); defaults to the first. */
  prometheusInstance: 'mesh-gateway.io/prometheus-instance',
  /** How far back the golden signals look: `30m`, `2h`, `1d` (1 minute to 7 days; default 1h). */
  metricsWindow: 'mesh-gateway.io/metrics-window',
  /** Availability objective in percent, e.g. `99.9` (default: the baseline's 99.95). */
  sloAvailability: 'mesh-gateway.io/slo-availability',
  /** End-to-end P95 objective in milliseconds (default: the baseline's 100). */
  sloP95Ms: 'mesh-gateway.io/slo-p95-ms',
  /** Gateway (Kong's own time) P95 objective in milliseconds (default: the baseline's 50). */
  sloGatewayP95Ms: 'mesh-gateway.io/slo-gateway-p95-ms',
  /**
   * cert-manager Certificates of the entity, comma separated: `name` (in the entity's namespace)
   * or `namespace/name`. Read besides those labelled with the entity's Kubernetes selector.
   */
  certificates: 'mesh-gateway.io/certificates',
  /**
   * Public hosts whose served certificate is checked live, comma separated: `host` or
   * `host:port` (default 443). Only hosts that match `meshGateway.certificates.probe.allowedHosts`
   * are connected to; where to connect is never taken from here.
   */
  tlsHosts: 'mesh-gateway.io/tls-hosts',
} as const;

/** Annotations of the Kubernetes plugin that mesh-gateway reads as they are. @public */
export const KUBERNETES_ANNOTATIONS = {
  id: 'backstage.io/kubernetes-id',
  namespace: 'backstage.io/kubernetes-namespace',
  labelSelector: 'backstage.io/kubernetes-label-selector',
} as const;
