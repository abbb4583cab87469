/**
 * Kong 3.9 entities exactly as the Admin API returns them (PostgreSQL mode): every field is
 * present, unset ones are `null`, timestamps are epoch seconds, foreign keys are `{ id }`.
 */

/** @public */
export interface KongForeignKey {
  id: string;
}

/** @public */
export interface KongService {
  id: string;
  created_at: number;
  updated_at: number;
  name: string | null;
  retries: number;
  protocol: string;
  host: string;
  port: number;
  path: string | null;
  connect_timeout: number;
  write_timeout: number;
  read_timeout: number;
  tags: string[] | null;
  client_certificate: KongForeignKey | null;
  tls_verify: boolean | null;
  tls_verify_depth: number | null;
  ca_certificates: string[] | null;
  enabled: boolean;
}

/** @public */
export interface KongRoute {
  id: string;
  created_at: number;
  updated_at: number;
  name: string | null;
  protocols: string[];
  methods: string[] | null;
  hosts: string[] | null;
  paths: string[] | null;
  headers: Record<string, string[]> | null;
  https_redirect_status_code: number;
  regex_priority: number;
  strip_path: boolean;
  path_handling: string;
  preserve_host: boolean;
  request_buffering: boolean;
  response_buffering: boolean;
  snis: string[] | null;
  sources: { ip?: string; port?: number }[] | null;
  destinations: { ip?: string; port?: number }[] | null;
  tags: string[] | null;
  service: KongForeignKey | null;
}

/** @public */
export interface KongPlugin {
  id: string;
  name: string;
  instance_name: string | null;
  created_at: number;
  updated_at: number;
  route: KongForeignKey | null;
  service: KongForeignKey | null;
  consumer: KongForeignKey | null;
  config: Record<string, unknown>;
  protocols: string[];
  enabled: boolean;
  tags: string[] | null;
  ordering: Record<string, unknown> | null;
}

/** @public */
export interface KongUpstream {
  id: string;
  created_at: number;
  updated_at: number;
  name: string;
  algorithm: string;
  hash_on: string;
  hash_fallback: string;
  hash_on_header: string | null;
  hash_fallback_header: string | null;
  hash_on_cookie: string | null;
  hash_on_cookie_path: string;
  hash_on_query_arg: string | null;
  hash_fallback_query_arg: string | null;
  hash_on_uri_capture: string | null;
  hash_fallback_uri_capture: string | null;
  slots: number;
  healthchecks: KongHealthchecks;
  tags: string[] | null;
  host_header: string | null;
  client_certificate: KongForeignKey | null;
  use_srv_name: boolean;
}

/** @public */
export interface KongHealthchecks {
  active: {
    type: string;
    timeout: number;
    concurrency: number;
    http_path: string;
    https_verify_certificate: boolean;
    https_sni: string | null;
    headers: Record<string, string[]> | null;
    healthy: { interval: number; successes: number; http_statuses: number[] };
    unhealthy: {
      interval: number;
      http_failures: number;
      tcp_failures: number;
      timeouts: number;
      http_statuses: number[];
    };
  };
  passive: {
    type: string;
    healthy: { successes: number; http_statuses: number[] };
    unhealthy: {
      http_failures: number;
      tcp_failures: number;
      timeouts: number;
      http_statuses: number[];
    };
  };
  threshold: number;
}

/** @public */
export type KongTargetHealth =
  | 'HEALTHY'
  | 'UNHEALTHY'
  | 'DNS_ERROR'
  | 'HEALTHCHECKS_OFF';

/** Targets carry millisecond-precision timestamps (`1700000000.123`). @public */
export interface KongTarget {
  id: string;
  created_at: number;
  updated_at: number;
  upstream: KongForeignKey;
  target: string;
  weight: number;
  tags: string[] | null;
}

/**
 * A target as the sandbox stores it: the Kong entity plus what the balancer would know about it,
 * served only by `/upstreams/{upstream}/health`.
 *
 * @public
 */
export interface KongSandboxTarget extends KongTarget {
  /** The target's health as `/health` reports it; derived from the upstream's healthchecks when absent. */
  health?: KongTargetHealth;
  /** The resolved addresses (`ip:port`); the target itself when absent. */
  addresses?: string[];
}

/** @public */
export interface KongConsumer {
  id: string;
  created_at: number;
  updated_at: number;
  username: string | null;
  custom_id: string | null;
  tags: string[] | null;
}

/** key-auth credential (`/consumers/{consumer}/key-auth`, `/key-auths`). @public */
export interface KongKeyAuthCredential {
  id: string;
  created_at: number;
  consumer: KongForeignKey;
  key: string;
  ttl: number | null;
  tags: string[] | null;
}

/** jwt credential (`/consumers/{consumer}/jwt`, `/jwts`). @public */
export interface KongJwtSecret {
  id: string;
  created_at: number;
  consumer: KongForeignKey;
  key: string;
  secret: string;
  rsa_public_key: string | null;
  algorithm: string;
  tags: string[] | null;
}

/** basic-auth credential; `password` is stored (and served) as Kong's salted SHA-1 hash. @public */
export interface KongBasicAuthCredential {
  id: string;
  created_at: number;
  consumer: KongForeignKey;
  username: string;
  password: string;
  tags: string[] | null;
}

/** hmac-auth credential (`/consumers/{consumer}/hmac-auth`, `/hmac-auths`). @public */
export interface KongHmacAuthCredential {
  id: string;
  created_at: number;
  consumer: KongForeignKey;
  username: string;
  secret: string;
  tags: string[] | null;
}

/** @public */
export interface KongAcl {
  id: string;
  created_at: number;
  consumer: KongForeignKey;
  group: string;
  tags: string[] | null;
}

/** A certificate as stored; the API adds `snis` (names) when serving it. @public */
export interface KongCertificate {
  id: string;
  created_at: number;
  updated_at: number;
  cert: string;
  key: string;
  cert_alt: string | null;
  key_alt: string | null;
  tags: string[] | null;
}

/** @public */
export interface KongSni {
  id: string;
  created_at: number;
  updated_at: number;
  name: string;
  certificate: KongForeignKey;
  tags: string[] | null;
}

/** @public */
export interface KongCaCertificate {
  id: string;
  created_at: number;
  updated_at: number;
  cert: string;
  cert_digest: string;
  tags: string[] | null;
}

/** @public */
export interface KongVault {
  id: string;
  created_at: number;
  updated_at: number;
  name: string;
  prefix: string;
  description: string | null;
  config: Record<string, unknown>;
  tags: string[] | null;
}

/** What `/` and `/status` report about the node. @public */
export interface KongNodeInfo {
  version: string;
  edition: 'community' | 'enterprise';
  nodeId: string;
  hostname: string;
  /** `off` is DB-less: `/status` then reports `configuration_hash` instead of `database`. */
  database: 'postgres' | 'off';
  configurationHash?: string;
}

/**
 * Everything one Kong workspace holds, as plain arrays in any order.
 *
 * @public
 */
export interface KongDataset {
  node: KongNodeInfo;
  services: KongService[];
  routes: KongRoute[];
  plugins: KongPlugin[];
  upstreams: KongUpstream[];
  targets: KongSandboxTarget[];
  consumers: KongConsumer[];
  keyAuthCredentials: KongKeyAuthCredential[];
  jwtSecrets: KongJwtSecret[];
  basicAuthCredentials: KongBasicAuthCredential[];
  hmacAuthCredentials: KongHmacAuthCredential[];
  acls: KongAcl[];
  certificates: KongCertificate[];
  snis: KongSni[];
  caCertificates: KongCaCertificate[];
  vaults: KongVault[];
}
