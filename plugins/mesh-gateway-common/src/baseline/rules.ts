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
