/** @public */
export type FindingSeverity = 'critical' | 'warning' | 'info';

/**
 * Something live configuration does that breaks the baseline, with how to fix it.
 *
 * @public
 */
export interface Finding {
  /** Stable code of the rule, e.g. `MG-KONG-001`. */
  code: string;
  severity: FindingSeverity;
  /** The object it is about, e.g. `kong/default/routes/ai-agent-route`. */
  object: string;
  message: string;
  /** One line: what to change. */
  fix: string;
  /** The matching `istioctl analyze` message code, where one exists. */
  istioctlCode?: string;
}
