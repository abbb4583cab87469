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

/**
 * key-set (`/key-sets`, kong/db/schema/entities/key_sets.lua): groups keys by purpose.
 *
 * @public
 */
export interface KongKeySet {
  id: string;
  created_at: number;
  updated_at: number;
  name: string | null;
  tags: string[] | null;
}

/** A key pair in PEM format (typedefs.pem); `private_key` is a secret. @public */
export interface KongKeyPem {
  private_key: string | null;
  public_key: string | null;
}

/**
 * keys entity (`/keys`, `/key-sets/{set}/keys`, kong/db/schema/entities/keys.lua): one asymmetric
 * key, either a JWK (a JSON string) or a PEM pair, never both. `jwk` and `pem.private_key` are
 * secrets (`encrypted`, `referenceable`).
 *
 * @public
 */
export interface KongKey {
  id: string;
  created_at: number;
  updated_at: number;
  set: KongForeignKey | null;
  name: string | null;
  kid: string;
  jwk: string | null;
  pem: KongKeyPem | null;
  tags: string[] | null;
}

/**
 * oauth2 credential (`/oauth2`, `/consumers/{consumer}/oauth2`, kong/plugins/oauth2/daos.lua).
 * `client_secret` is a secret; with `hash_secret` Kong stores (and serves) its PBKDF2 hash.
 *
 * @public
 */
export interface KongOAuth2Credential {
  id: string;
  created_at: number;
  consumer: KongForeignKey;
  name: string;
  client_id: string;
  client_secret: string;
  hash_secret: boolean;
  redirect_uris: string[] | null;
  tags: string[] | null;
  client_type: 'confidential' | 'public';
}

/**
 * oauth2 token (`/oauth2_tokens`, `/oauth2/{credential}/oauth2_tokens`,
 * `/services/{service}/oauth2_tokens`). `access_token` and `refresh_token` are secrets. The
 * entity has no `tags`; it is a TTL entity, so the Admin API adds `ttl` (seconds left, or null).
 * Authorization codes (`oauth2_authorization_codes`) are not here: Kong generates no Admin API
 * for them (`generate_admin_api = false`).
 *
 * @public
 */
export interface KongOAuth2Token {
  id: string;
  created_at: number;
  service: KongForeignKey | null;
  credential: KongForeignKey;
  token_type: 'bearer';
  expires_in: number;
  access_token: string;
  refresh_token: string | null;
  authenticated_userid: string | null;
  scope: string | null;
  ttl: number | null;
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
  /** The collections below were added later: datasets made before read as empty. */
  keySets?: KongKeySet[];
  keys?: KongKey[];
  oauth2Credentials?: KongOAuth2Credential[];
  oauth2Tokens?: KongOAuth2Token[];
}
