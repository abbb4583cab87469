/**
 * What the backend returns for golden signals from Prometheus.
 * Owned by the metrics work (issue 5); extend freely.
 */

/** @public */
export interface MetricsSection {
  /** Prometheus instance name from `meshGateway.prometheus.instances`. */
  instance: string;
  window: { start: string; end: string };
}
