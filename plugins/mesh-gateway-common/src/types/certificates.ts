/**
 * What the backend returns for certificate health.
 * Owned by the certificates work (issue 6); extend freely.
 */

/** @public */
export interface CertificatesSection {
  certificates: unknown[];
}
