/**
 * What the backend returns for traces (Jaeger v1 `/api` or Jaeger v2 `/api/v3`).
 * Owned by the traces work (issue 5); extend freely.
 */

/** @public */
export interface TracesSection {
  /** Tracing instance name from `meshGateway.tracing.instances`. */
  instance: string;
  /** Service name in the tracing backend. */
  service: string;
  window: { start: string; end: string };
}
