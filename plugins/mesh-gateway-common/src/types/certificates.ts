/**
 * What the backend returns for certificate health: every certificate on the service's path
 * (cert-manager Certificates, Kong certificates serving its hosts, the Istio mesh root CA, and what
 * its public hosts really serve), with days left and a health each. Private keys never appear:
 * Kong's `key`/`key_alt` are dropped where Kong's answer is parsed, and no Secret is read.
 */

import type { SectionError } from './section';

/**
 * `expired`: past notAfter; `critical`: at most `criticalDays` left, cert-manager Ready=False, or
 * a served certificate clients reject; `warning`: at most `warningDays` left; `error`: the
 * certificate could not be read or checked.
 *
 * @public
 */
export type CertificateHealth =
  | 'ok'
  | 'warning'
  | 'critical'
  | 'expired'
  | 'error';

/** Where a certificate was seen. @public */
export type CertificateSourceKind =
  | 'cert-manager'
  | 'kong'
  | 'istio-root'
  | 'tls-probe';

/** Days before expiry at which a certificate turns `warning` and `critical`. @public */
export interface CertificateThresholds {
  warningDays: number;
  criticalDays: number;
}

/** An X.509 certificate as parsed by the backend (`node:crypto` X509Certificate). @public */
export interface CertificateDetails {
  /** Distinguished name, one `key=value` per line as Node prints it. */
  subject: string;
  commonName?: string;
  /** Subject alternative names as printed by OpenSSL, e.g. `DNS:api.example.com`. */
  subjectAltNames: string[];
  /** The DNS names among the SANs. */
  dnsNames: string[];
  issuer: string;
  issuerCommonName?: string;
  serialNumber: string;
  /** ISO timestamps. */
  notBefore: string;
  notAfter: string;
  /** SHA-256 fingerprint, colon-separated hex as OpenSSL prints it. */
  fingerprintSha256: string;
  isCA: boolean;
  /** Issued by itself (subject = issuer and its own key verifies it). */
  selfSigned: boolean;
  /** `rsa`, `ec`, `ed25519`, ... */
  keyType?: string;
}

/**
 * One source's part of the section. Each source is optional: a source that is not configured
 * for the entity or the backend says why, one that failed says what failed, and neither stops
 * the others.
 *
 * @public
 */
export interface CertificateSourceResult<T> {
  status: 'ok' | 'not-configured' | 'error';
  data?: T;
  /** Why the source is `not-configured`, in words. */
  reason?: string;
  missing?: { annotations?: string[]; configKey?: string };
  errors?: SectionError[];
}

/** A cert-manager.io/v1 Certificate; every status field may be absent (not issued yet). @public */
export interface CertManagerCertificateView {
  cluster: string;
  namespace: string;
  name: string;
  /** The Secret cert-manager writes the key pair to. Its name only: the Secret is never read. */
  secretName: string;
  issuerRef: { name: string; kind?: string; group?: string };
  commonName?: string;
  dnsNames: string[];
  ipAddresses: string[];
  /** Go durations as written in the spec, e.g. `2160h`. */
  duration?: string;
  renewBefore?: string;
  ready?: {
    status: 'True' | 'False' | 'Unknown';
    reason?: string;
    message?: string;
    lastTransitionTime?: string;
  };
  issuing?: {
    status: 'True' | 'False' | 'Unknown';
    reason?: string;
    message?: string;
  };
  notBefore?: string;
  notAfter?: string;
  renewalTime?: string;
  revision?: number;
  lastFailureTime?: string;
  failedIssuanceAttempts?: number;
  /** Whole days until notAfter (negative when expired); absent without notAfter. */
  daysLeft?: number;
  health: CertificateHealth;
}

/** A Kong certificate that serves one of the entity's hosts; `key`/`key_alt` never read. @public */
export interface KongCertificateView {
  instance: string;
  id: string;
  /** SNI names attached to the certificate. */
  snis: string[];
  /** The entity's hosts this certificate serves (through one of its SNIs). */
  hosts: string[];
  /** Those of `hosts` the certificate is not valid for (by the rules TLS clients apply). */
  uncoveredHosts: string[];
  tags?: string[] | null;
  /** The leaf, then any intermediates stored with it in `cert`. */
  chain: CertificateDetails[];
  /** The alternate certificate (`cert_alt`, e.g. ECDSA beside RSA), when there is one. */
  alternate?: CertificateDetails;
  daysLeft?: number;
  health: CertificateHealth;
  /** Why the PEM could not be read, when it could not. */
  error?: string;
}

/** A host of the entity's Kong routes, and the Kong SNI that serves it (if any). @public */
export interface KongHostCoverage {
  instance: string;
  host: string;
  /** The SNI name that matched (exact or wildcard); absent when Kong has none for the host. */
  sni?: string;
  certificateId?: string;
  /** The Kong route(s) naming the host. */
  routes: string[];
}

/** @public */
export interface KongCertificatesData {
  certificates: KongCertificateView[];
  hosts: KongHostCoverage[];
}

/** The mesh trust anchor: `root-cert.pem` of the `istio-ca-root-cert` ConfigMap. @public */
export interface IstioRootCaView {
  cluster: string;
  namespace: string;
  configMap: string;
  /** During a root rotation the bundle holds more than one root. */
  certificates: CertificateDetails[];
  /** Of the root that expires first. */
  daysLeft?: number;
  health: CertificateHealth;
  error?: string;
}

/** Why a TLS check failed, by kind. @public */
export type TlsVerificationErrorKind =
  | 'expired'
  | 'not-yet-valid'
  | 'self-signed'
  | 'unknown-ca'
  | 'wrong-host'
  | 'other';

/** @public */
export interface TlsVerificationError {
  kind: TlsVerificationErrorKind;
  /** OpenSSL's or Node's code, e.g. `CERT_HAS_EXPIRED`, `ERR_TLS_CERT_ALTNAME_INVALID`. */
  code: string;
  message: string;
}

/** Where a probed host came from. @public */
export type TlsHostSource = 'kong-route' | 'annotation';

/**
 * The live check of one public host: a TLS handshake with SNI, made only when the host matches
 * `meshGateway.certificates.probe.allowedHosts`.
 *
 * @public
 */
export interface TlsProbeView {
  host: string;
  port: number;
  sources: TlsHostSource[];
  /**
   * `probed`: the handshake completed; `failed`: no handshake (refused, timeout, reset);
   * `not-allowed`: not probed, the host is outside the allow list (no connection made);
   * `skipped`: not probed for another reason (a wildcard host, too many hosts).
   */
  outcome: 'probed' | 'failed' | 'not-allowed' | 'skipped';
  /** Why it was not probed or failed, in words. */
  reason?: string;
  /** ISO timestamp of the handshake (results are cached). */
  checkedAt?: string;
  protocol?: string;
  cipher?: string;
  /** The client would accept the certificate: chain trusted, in date, matching the host. */
  trusted?: boolean;
  hostnameMatches?: boolean;
  errors: TlsVerificationError[];
  /** The certificate chain as the handshake saw it, leaf first. */
  chain: CertificateDetails[];
  daysLeft?: number;
  health: CertificateHealth;
}

/** Whether the edge (Kong) and the mesh (Istio) chain up to the same root CA. @public */
export interface SharedRootView {
  /**
   * `shared`: every edge certificate chains to an Istio root; `partial`: some do;
   * `not-shared`: none does; `unknown`: one side is missing or the chains are incomplete.
   */
  status: 'shared' | 'partial' | 'not-shared' | 'unknown';
  message: string;
  /** Subjects of the Istio roots. */
  istioRoots: string[];
  edge: {
    source: 'kong' | 'tls-probe';
    object: string;
    /** Subject of the top of the chain, or of the issuer it names. */
    root?: string;
    sharesIstioRoot?: boolean;
  }[];
}

/** Where a certificate row was seen, with the finding object it goes by. @public */
export interface CertificateRowSource {
  kind: CertificateSourceKind;
  /** Same string as `Finding.object` of the findings about it. */
  object: string;
  /** Short label, e.g. `kong/api.parallel-ai.example.com` or `cluster parallel-ai/api-tls`. */
  label: string;
}

/**
 * One certificate as the card lists it. A certificate seen in several places (Kong holds it and
 * the host serves it) is one row with several sources; a host that could not be checked is a row
 * of health `error` without certificate details.
 *
 * @public
 */
export interface CertificateRow {
  /** Stable key: the SHA-256 fingerprint, or the source object when there is no certificate. */
  id: string;
  sources: CertificateRowSource[];
  subject?: string;
  commonName?: string;
  dnsNames: string[];
  issuer?: string;
  notBefore?: string;
  notAfter?: string;
  daysLeft?: number;
  health: CertificateHealth;
  /** One line: why the health is what it is. */
  reason: string;
}

/** @public */
export interface CertificatesSummary {
  /** Rows that are certificates (hosts that could not be checked are not counted). */
  total: number;
  byHealth: Record<CertificateHealth, number>;
  /** The worst health of any row; null without rows. */
  worst: CertificateHealth | null;
  /** The certificate that expires next (not yet expired). */
  nextExpiry?: { notAfter: string; daysLeft: number; label: string };
  expired: number;
}

/** @public */
export interface CertificatesSection {
  thresholds: CertificateThresholds;
  /** Most urgent first: expired, critical, error, warning, ok; then fewest days left. */
  certificates: CertificateRow[];
  summary: CertificatesSummary;
  certManager: CertificateSourceResult<CertManagerCertificateView[]>;
  kong: CertificateSourceResult<KongCertificatesData>;
  istioRoot: CertificateSourceResult<IstioRootCaView[]>;
  probes: CertificateSourceResult<TlsProbeView[]>;
  sharedRoot: SharedRootView;
}
