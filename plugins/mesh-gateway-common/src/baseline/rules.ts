import type { Finding, FindingSeverity } from './findings';
import { MESH_BASELINE } from './baseline';

/** A baseline rule: what it checks and how to fix a breach. @public */
export interface BaselineRule {
  code: string;
  severity: FindingSeverity;
  title: string;
  fix: string;
  /** The current `istioctl analyze` message code of the same problem, when there is one. */
  istioctlCode?: string;
}

const k = MESH_BASELINE.kong;

/**
 * Every rule of the baseline, by stable code. Codes are never reused; a retired rule keeps its
 * code reserved.
 *
 * @public
 */
export const BASELINE_RULES = {
  'MG-KONG-001': {
    code: 'MG-KONG-001',
    severity: 'critical',
    title: 'No JWT authentication at the gateway',
    fix: `Enable the jwt plugin on the service or route (claims_to_verify: [${k.jwtClaimsToVerify.join(', ')}], key_claim_name: ${k.jwtKeyClaimName}).`,
  },
  'MG-KONG-002': {
    code: 'MG-KONG-002',
    severity: 'warning',
    title: 'JWT expiry is not verified',
    fix: 'Add "exp" to the jwt plugin\'s claims_to_verify (Kong accepts only exp and nbf there).',
  },
  'MG-KONG-003': {
    code: 'MG-KONG-003',
    severity: 'critical',
    title: 'JWT claim Kong cannot verify',
    fix: 'Keep only exp and nbf in claims_to_verify; enforce the audience with an Istio RequestAuthentication (audiences) instead.',
  },
  'MG-KONG-004': {
    code: 'MG-KONG-004',
    severity: 'warning',
    title: 'Requests are not marked as coming from the gateway',
    fix: `Add a request-transformer plugin with config.add.headers: ["${k.requestSourceHeader}:${k.requestSourceValue}"].`,
  },
  'MG-KONG-005': {
    code: 'MG-KONG-005',
    severity: 'warning',
    title: 'Route strips its path',
    fix: 'Set strip_path: false so the service receives the full /api/v1/... path.',
  },
  'MG-KONG-006': {
    code: 'MG-KONG-006',
    severity: 'warning',
    title: 'Service host is not the in-cluster Service',
    fix: 'Point the Kong service at <service>.<namespace>.svc.cluster.local (or an upstream whose targets are) so traffic enters the mesh.',
  },
  'MG-KONG-007': {
    code: 'MG-KONG-007',
    severity: 'info',
    title: 'Retries differ from the baseline',
    fix: `Set retries: ${k.retries} on the Kong service.`,
  },
  'MG-KONG-008': {
    code: 'MG-KONG-008',
    severity: 'warning',
    title: 'Timeouts differ from the baseline',
    fix: `Set connect_timeout, read_timeout and write_timeout to ${k.timeoutMs} ms on the Kong service.`,
  },
  'MG-KONG-009': {
    code: 'MG-KONG-009',
    severity: 'warning',
    title: 'No Prometheus metrics for the service',
    fix: 'Enable the prometheus plugin (globally or on the service) with status_code_metrics and latency_metrics on.',
  },
  'MG-KONG-010': {
    code: 'MG-KONG-010',
    severity: 'warning',
    title: 'No tracing at the gateway',
    fix: 'Enable the opentelemetry (or zipkin) plugin so traces start at Kong and propagate B3/W3C headers into the mesh.',
  },
  'MG-KONG-011': {
    code: 'MG-KONG-011',
    severity: 'warning',
    title: 'Route accepts plain HTTP',
    fix: 'Set protocols: [https] on the route (Kong then answers plain HTTP with https_redirect_status_code, e.g. 301).',
  },
  'MG-KONG-012': {
    code: 'MG-KONG-012',
    severity: 'critical',
    title: 'Upstream target is not healthy',
    fix: 'Check the target\'s pods and readiness; Kong will not send traffic to an UNHEALTHY or DNS_ERROR target.',
  },
  'MG-KONG-013': {
    code: 'MG-KONG-013',
    severity: 'info',
    title: 'Plugin is disabled',
    fix: 'Enable the plugin or remove it, so the configuration says what runs.',
  },
  'MG-KONG-014': {
    code: 'MG-KONG-014',
    severity: 'warning',
    title: 'Kong service is disabled',
    fix: 'Set enabled: true on the service, or remove the annotation if the service is retired.',
  },
  'MG-ISTIO-001': {
    code: 'MG-ISTIO-001',
    severity: 'critical',
    title: 'mTLS is not STRICT',
    fix: 'Apply a PeerAuthentication with mtls.mode: STRICT to the workload (or remove the weaker workload/port-level override).',
  },
  'MG-ISTIO-002': {
    code: 'MG-ISTIO-002',
    severity: 'critical',
    title: 'DestinationRule TLS contradicts STRICT mTLS',
    fix: 'Set trafficPolicy.tls.mode: ISTIO_MUTUAL (or remove the tls block) in the DestinationRule for this host.',
  },
  'MG-ISTIO-003': {
    code: 'MG-ISTIO-003',
    severity: 'critical',
    title: 'Any caller may reach the service',
    fix: `Add an ALLOW AuthorizationPolicy with one rule whose from.source.principals is ["${MESH_BASELINE.istio.gatewayPrincipal}"] plus the named peers, and whose to lists the allowed methods.`,
  },
  'MG-ISTIO-004': {
    code: 'MG-ISTIO-004',
    severity: 'critical',
    title: 'An ALLOW rule matches any source',
    fix: 'Put from and to in the same rule (rules are ORed: a rule with only "to" lets every caller in).',
  },
  'MG-ISTIO-005': {
    code: 'MG-ISTIO-005',
    severity: 'warning',
    title: 'The JWT audience is not checked in the mesh',
    fix: 'Add a RequestAuthentication with jwtRules (issuer, audiences, jwksUri) and require a request principal in the AuthorizationPolicy.',
  },
  'MG-ISTIO-006': {
    code: 'MG-ISTIO-006',
    severity: 'warning',
    title: 'No outlier detection',
    fix: 'Add trafficPolicy.outlierDetection (consecutive5xxErrors: 5, interval: 30s, baseEjectionTime: 30s, maxEjectionPercent: 50) to the DestinationRule.',
  },
  'MG-ISTIO-007': {
    code: 'MG-ISTIO-007',
    severity: 'warning',
    title: 'Retries overrun the route timeout',
    fix: 'Lower retries.perTryTimeout so that (attempts + 1) x perTryTimeout <= timeout (e.g. 7s for 3 attempts in 30s).',
  },
  'MG-ISTIO-008': {
    code: 'MG-ISTIO-008',
    severity: 'critical',
    title: 'Namespace is not injected',
    fix: 'Label the namespace istio-injection=enabled (or istio.io/rev=<revision>) and restart the workloads.',
    istioctlCode: 'IST0102',
  },
  'MG-ISTIO-009': {
    code: 'MG-ISTIO-009',
    severity: 'critical',
    title: 'Route to a subset no DestinationRule defines',
    fix: 'Define the subset in the DestinationRule for the host, or route to an existing subset.',
    istioctlCode: 'IST0101',
  },
  'MG-ISTIO-010': {
    code: 'MG-ISTIO-010',
    severity: 'warning',
    title: 'Subset selects no pods',
    fix: 'Fix the subset labels (e.g. version) so they match the pods of the workload.',
    istioctlCode: 'IST0173',
  },
  'MG-ISTIO-011': {
    code: 'MG-ISTIO-011',
    severity: 'warning',
    title: 'DestinationRule host has no Service',
    fix: 'Point the DestinationRule host at an existing Service (or a ServiceEntry host).',
    istioctlCode: 'IST0174',
  },
  'MG-ISTIO-012': {
    code: 'MG-ISTIO-012',
    severity: 'warning',
    title: 'Kong does not send traffic to this Service',
    fix: 'Set the Kong service host to <service>.<namespace>.svc.cluster.local and its port to a port of the Service.',
  },
  'MG-ISTIO-013': {
    code: 'MG-ISTIO-013',
    severity: 'info',
    title: 'No VirtualService for the host',
    fix: `Add a VirtualService for the host with timeout: ${MESH_BASELINE.istio.routeTimeoutSeconds}s and retries (attempts: ${MESH_BASELINE.istio.retryAttempts}).`,
  },
  'MG-ISTIO-014': {
    code: 'MG-ISTIO-014',
    severity: 'critical',
    title: 'Field Istio does not have',
    fix: 'Use the real field (outlierDetection/connectionPool instead of circuitBreaker, tcp.connectTimeout, tcp.tcpKeepalive, tracing customTags); the API server drops unknown fields silently.',
  },
  'MG-ISTIO-015': {
    code: 'MG-ISTIO-015',
    severity: 'info',
    title: 'Policy in dry-run',
    fix: 'Remove the istio.io/dry-run annotation once the policy is verified, so it is enforced.',
  },
  'MG-ISTIO-016': {
    code: 'MG-ISTIO-016',
    severity: 'warning',
    title: 'Allow-nothing policy: every request is denied',
    fix: 'Add rules to the ALLOW policy for the callers that need access, or delete it if denying everything is not intended.',
  },
  'MG-ISTIO-017': {
    code: 'MG-ISTIO-017',
    severity: 'info',
    title: 'Service port name has no protocol prefix',
    fix: 'Name the port <protocol>[-suffix] (http, http2, grpc, tcp, ...) or set appProtocol, so Istio does not guess the protocol.',
    istioctlCode: 'IST0118',
  },
  'MG-ISTIO-018': {
    code: 'MG-ISTIO-018',
    severity: 'warning',
    title: 'No connection pool limits',
    fix: 'Add trafficPolicy.connectionPool (tcp.maxConnections: 100, tcp.connectTimeout: 30s, http.http1MaxPendingRequests: 50, http.http2MaxRequests: 100).',
  },
  'MG-ISTIO-019': {
    code: 'MG-ISTIO-019',
    severity: 'info',
    title: 'Route without timeout or retries',
    fix: `Set timeout: ${MESH_BASELINE.istio.routeTimeoutSeconds}s and retries.attempts: ${MESH_BASELINE.istio.retryAttempts} on the http route.`,
  },
  'MG-ISTIO-020': {
    code: 'MG-ISTIO-020',
    severity: 'info',
    title: 'PeerAuthentication is ignored',
    fix: 'Move the selector policy out of the root namespace, or keep one policy per scope (the oldest one wins).',
  },
  'MG-ISTIO-021': {
    code: 'MG-ISTIO-021',
    severity: 'critical',
    title: 'Kong may not call the service',
    fix: `Add "${MESH_BASELINE.istio.gatewayPrincipal}" to from.source.principals of the ALLOW rule, or requests through Kong get 403 RBAC: access denied.`,
  },
  'MG-OPS-001': {
    code: 'MG-OPS-001',
    severity: 'warning',
    title: 'Kong backup runs the deprecated deck dump',
    fix: 'Run "deck gateway dump" (decK 1.28+): "deck dump" is deprecated and prints its warning into the dump it writes.',
  },
  'MG-TRACE-001': {
    code: 'MG-TRACE-001',
    severity: 'warning',
    title: 'No traces in the window',
    fix: `Check that the service exports spans (OTLP to the collector) and that sampling (${MESH_BASELINE.observability.tracingSampling}) leaves some; a quiet service needs a longer mesh-gateway.io/tracing-window.`,
  },
  'MG-TRACE-002': {
    code: 'MG-TRACE-002',
    severity: 'warning',
    title: 'The tracing backend does not know the service',
    fix: 'Set mesh-gateway.io/tracing-service to the service.name the service reports (as listed in the Jaeger UI).',
  },
  'MG-TRACE-003': {
    code: 'MG-TRACE-003',
    severity: 'critical',
    title: 'Error rate above the availability SLO',
    fix: `Fix the failing requests (see the failed traces); the SLO allows ${((1 - MESH_BASELINE.slo.availability) * 100).toFixed(2)}% errors (${MESH_BASELINE.slo.availability * 100}% availability, or the entity's mesh-gateway.io/slo-availability).`,
  },
  'MG-TRACE-004': {
    code: 'MG-TRACE-004',
    severity: 'warning',
    title: 'Latency above the end-to-end SLO',
    fix: `Bring P95 under the target (${MESH_BASELINE.slo.endToEndP95Ms} ms, or the entity's mesh-gateway.io/slo-p95-ms): start with the slowest operations and traces.`,
  },
  'MG-TRACE-005': {
    code: 'MG-TRACE-005',
    severity: 'warning',
    title: 'Time in Kong above the gateway SLO',
    fix: `Bring Kong's own P95 under the target (${MESH_BASELINE.slo.gatewayP95Ms} ms, or the entity's mesh-gateway.io/slo-gateway-p95-ms): look at slow plugins (kong.access.plugin.* spans), DNS (kong.dns) and rate-limiting's Redis calls.`,
  },
  'MG-TRACE-006': {
    code: 'MG-TRACE-006',
    severity: 'warning',
    title: 'Traffic bypasses Kong',
    fix: 'Route external callers through Kong and restrict direct callers with an Istio AuthorizationPolicy (from.source.principals).',
  },
  'MG-TRACE-007': {
    code: 'MG-TRACE-007',
    severity: 'warning',
    title: 'Trace context lost between Kong and the service',
    fix: 'Make Kong (opentelemetry plugin propagation), the sidecars and the service agree on the propagation format (B3 or W3C traceparent), and forward the headers the service receives.',
  },
  'MG-TRACE-008': {
    code: 'MG-TRACE-008',
    severity: 'info',
    title: 'No mesh hop in the traces',
    fix: 'Enable tracing in the mesh (Telemetry tracing provider) so the Envoy sidecars report spans, or check that the workload is injected.',
  },
  'MG-SLO-001': {
    code: 'MG-SLO-001',
    severity: 'critical',
    title: 'Availability below the SLO',
    fix: `Find where the 5xx come from (Kong's source label "kong" = the gateway itself, "service" = the upstream; Istio's response_flags) and fix it; the SLO allows ${((1 - MESH_BASELINE.slo.availability) * 100).toFixed(2)}% errors (${MESH_BASELINE.slo.availability * 100}% availability, or the entity's mesh-gateway.io/slo-availability).`,
  },
  'MG-SLO-002': {
    code: 'MG-SLO-002',
    severity: 'warning',
    title: 'Error budget burning fast',
    fix: 'Errors are rising now: look at the latest deployment, the upstream targets\' health and the failed traces before the budget is gone.',
  },
  'MG-SLO-003': {
    code: 'MG-SLO-003',
    severity: 'warning',
    title: 'Gateway latency above the SLO',
    fix: `Bring Kong's own P95 (kong_kong_latency_ms) under the target (${MESH_BASELINE.slo.gatewayP95Ms} ms, or the entity's mesh-gateway.io/slo-gateway-p95-ms): look at slow plugins, DNS, and rate-limiting's Redis calls.`,
  },
  'MG-SLO-004': {
    code: 'MG-SLO-004',
    severity: 'warning',
    title: 'End-to-end latency above the SLO',
    fix: `Bring the P95 of the whole request (kong_request_latency_ms) under the target (${MESH_BASELINE.slo.endToEndP95Ms} ms, or the entity's mesh-gateway.io/slo-p95-ms): compare Kong's upstream latency with the mesh's to see where the time goes.`,
  },
  'MG-SLO-005': {
    code: 'MG-SLO-005',
    severity: 'critical',
    title: 'Requests arrive without mutual TLS',
    fix: `Find the callers without a sidecar (Istio's source_workload "unknown") and move them into the mesh, then set the workload's PeerAuthentication to ${MESH_BASELINE.istio.mtlsMode}.`,
  },
  'MG-SLO-006': {
    code: 'MG-SLO-006',
    severity: 'warning',
    title: 'No Kong metrics for the service',
    fix: 'Enable the prometheus plugin (globally or on the service) with status_code_metrics: true and latency_metrics: true (both off by default since Kong 3.0), and check that Prometheus scrapes Kong\'s status port.',
  },
  'MG-SLO-007': {
    code: 'MG-SLO-007',
    severity: 'warning',
    title: 'Kong latency metrics are off',
    fix: 'Set latency_metrics: true on the prometheus plugin (off by default since Kong 3.0), so the gateway and end-to-end P95 can be measured.',
  },
  'MG-SLO-008': {
    code: 'MG-SLO-008',
    severity: 'warning',
    title: 'No Istio metrics for the service',
    fix: 'Check that the workload runs with an Istio sidecar (namespace label istio-injection: enabled), that Prometheus scrapes the sidecars, and that backstage.io/kubernetes-id names the Kubernetes Service.',
  },
  'MG-SLO-009': {
    code: 'MG-SLO-009',
    severity: 'info',
    title: 'No traffic in the window',
    fix: 'Nothing to judge the SLO on: choose a longer mesh-gateway.io/metrics-window, or check that requests reach the service.',
  },
  'MG-CERT-001': {
    code: 'MG-CERT-001',
    severity: 'critical',
    title: 'Certificate has expired',
    fix: 'Renew it now: kubectl describe certificate <name> shows why cert-manager did not (cmctl renew <name> forces a renewal); for a certificate uploaded to Kong, upload the renewed one. Then check that the host serves it.',
  },
  'MG-CERT-002': {
    code: 'MG-CERT-002',
    severity: 'critical',
    title: 'Certificate expires within the critical threshold',
    fix: `Renew it before it expires (cmctl renew <name>); with cert-manager renewing every ${MESH_BASELINE.certificates.rotationDays} days a certificate should never get this close: check the Certificate's renewBefore and its issuer.`,
  },
  'MG-CERT-003': {
    code: 'MG-CERT-003',
    severity: 'warning',
    title: 'Certificate expires within the warning threshold',
    fix: `Check that renewal is scheduled: cert-manager with duration ${MESH_BASELINE.certificates.durationDays * 24}h and renewal every ${MESH_BASELINE.certificates.rotationDays} days keeps more than ${MESH_BASELINE.certificates.warningDays} days left; a certificate managed by hand needs renewing now.`,
  },
  'MG-CERT-004': {
    code: 'MG-CERT-004',
    severity: 'critical',
    title: 'cert-manager Certificate is not Ready',
    fix: 'Run kubectl describe certificate <name>: the Ready condition\'s reason and the latest CertificateRequest say what blocks issuance (issuer not ready, DNS or HTTP challenge failing, Secret mismatch).',
  },
  'MG-CERT-005': {
    code: 'MG-CERT-005',
    severity: 'warning',
    title: 'Renewal time has passed without renewal',
    fix: 'cert-manager did not renew when it planned to: check the cert-manager controller logs and the Certificate\'s CertificateRequests, then cmctl renew <name>.',
  },
  'MG-CERT-006': {
    code: 'MG-CERT-006',
    severity: 'critical',
    title: 'Renewed certificate is not served',
    fix: 'cert-manager renewed the Secret but the endpoint still serves the previous certificate: sync the Secret into Kong (Kong Ingress Controller, or decK with the new cert) and reload whatever terminates TLS.',
  },
  'MG-CERT-007': {
    code: 'MG-CERT-007',
    severity: 'critical',
    title: 'Certificate does not cover the host name',
    fix: 'Serve a certificate whose subject alternative names include the host: add it to spec.dnsNames of the cert-manager Certificate (or use a wildcard) and attach it to the host\'s SNI in Kong.',
  },
  'MG-CERT-008': {
    code: 'MG-CERT-008',
    severity: 'warning',
    title: 'Route host has no certificate in Kong',
    fix: 'Add an SNI for the host (or a wildcard SNI) to the Kong certificate that covers it; without one Kong answers with its default self-signed certificate.',
  },
  'MG-CERT-009': {
    code: 'MG-CERT-009',
    severity: 'warning',
    title: 'Edge and mesh do not share a root CA',
    fix: 'Issue the edge certificate from the mesh root (a cert-manager CA issuer chained to the root in istio-ca-root-cert, or Istio\'s CA plugged into the same root), as the architecture requires one root for Kong and Istio.',
  },
  'MG-CERT-010': {
    code: 'MG-CERT-010',
    severity: 'critical',
    title: 'Clients do not trust the served certificate',
    fix: 'Serve the full chain (leaf and intermediates in Kong\'s cert) from a CA the clients trust; for an internal CA, give its root to the clients (and to meshGateway.certificates.probe.caBundleFile).',
  },
  'MG-CERT-011': {
    code: 'MG-CERT-011',
    severity: 'warning',
    title: 'Certificate issuance is failing',
    fix: 'Read the failed CertificateRequest (kubectl get certificaterequest -n <namespace>): the issuer\'s message says why. cert-manager retries after 1h x 2^(attempts-1).',
  },
  'MG-CERT-012': {
    code: 'MG-CERT-012',
    severity: 'warning',
    title: 'TLS endpoint could not be checked',
    fix: 'Check that the host resolves and answers TLS on the port from the backend\'s network, or remove it from mesh-gateway.io/tls-hosts.',
  },
  'MG-CERT-013': {
    code: 'MG-CERT-013',
    severity: 'critical',
    title: 'Certificate is not valid yet',
    fix: 'Check the clocks of the issuer and the clients: notBefore lies in the future, so clients reject the certificate until then.',
  },
} as const satisfies Record<string, BaselineRule>;

/** @public */
export type BaselineRuleCode = keyof typeof BASELINE_RULES;

/**
 * Builds a finding for a rule, with the rule's severity and fix.
 *
 * @public
 */
export function createFinding(
  code: BaselineRuleCode,
  object: string,
  message: string,
): Finding {
  const rule: BaselineRule = BASELINE_RULES[code];
  return {
    code: rule.code,
    severity: rule.severity,
    object,
    message,
    fix: rule.fix,
    ...(rule.istioctlCode ? { istioctlCode: rule.istioctlCode } : {}),
  };
}

const severityOrder: Record<FindingSeverity, number> = {
  critical: 0,
  warning: 1,
  info: 2,
};

/** Sorts findings most severe first, then by code and object. @public */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityOrder[a.severity] - severityOrder[b.severity] ||
      a.code.localeCompare(b.code) ||
      a.object.localeCompare(b.object),
  );
}
