import { createHash, pbkdf2Sync, X509Certificate } from 'node:crypto';
import { isUuid, uuidV5 } from './ids';
import { completePluginConfig, defaultPluginProtocols } from './pluginSchemas';
import type {
  KongAcl,
  KongBasicAuthCredential,
  KongCaCertificate,
  KongCertificate,
  KongConsumer,
  KongDataset,
  KongForeignKey,
  KongHealthchecks,
  KongHmacAuthCredential,
  KongJwtSecret,
  KongKey,
  KongKeyAuthCredential,
  KongKeySet,
  KongNodeInfo,
  KongOAuth2Credential,
  KongOAuth2Token,
  KongPlugin,
  KongRoute,
  KongSandboxTarget,
  KongService,
  KongSni,
  KongTargetHealth,
  KongUpstream,
  KongVault,
} from './types';

/** 2025-01-01T00:00:00Z: the default `created_at` of every entity, so that answers are stable. */
export const SANDBOX_EPOCH = 1735689600;

/**
 * Points at another entity: its id, its name (username for consumers), or `{ id }` / `{ name }`
 * as decK writes it.
 *
 * @public
 */
export type KongRef =
  | string
  | { id?: string; name?: string; username?: string };

/** @public */
export interface KongServiceInput {
  id?: string;
  name: string;
  /** Sets protocol, host, port and path at once, as Kong's write-only `url` field does. */
  url?: string;
  host?: string;
  port?: number;
  protocol?: string;
  path?: string | null;
  retries?: number;
  connect_timeout?: number;
  read_timeout?: number;
  write_timeout?: number;
  enabled?: boolean;
  tags?: string[] | null;
  client_certificate?: KongRef | null;
  tls_verify?: boolean | null;
  tls_verify_depth?: number | null;
  ca_certificates?: string[] | null;
  created_at?: number;
}

/** @public */
export interface KongRouteInput {
  id?: string;
  name?: string | null;
  service: KongRef | null;
  protocols?: string[];
  methods?: string[] | null;
  hosts?: string[] | null;
  paths?: string[] | null;
  headers?: Record<string, string[]> | null;
  https_redirect_status_code?: number;
  regex_priority?: number;
  strip_path?: boolean;
  path_handling?: string;
  preserve_host?: boolean;
  request_buffering?: boolean;
  response_buffering?: boolean;
  snis?: string[] | null;
  sources?: { ip?: string; port?: number }[] | null;
  destinations?: { ip?: string; port?: number }[] | null;
  tags?: string[] | null;
  created_at?: number;
}

/** @public */
export interface KongPluginInput {
  id?: string;
  name: string;
  instance_name?: string | null;
  service?: KongRef | null;
  route?: KongRef | null;
  consumer?: KongRef | null;
  /** Merged over the plugin schema's defaults. */
  config?: Record<string, unknown>;
  protocols?: string[];
  enabled?: boolean;
  tags?: string[] | null;
  ordering?: Record<string, unknown> | null;
  created_at?: number;
}

/** @public */
export interface KongUpstreamInput {
  id?: string;
  name: string;
  algorithm?: string;
  hash_on?: string;
  hash_fallback?: string;
  hash_on_header?: string | null;
  hash_fallback_header?: string | null;
  hash_on_cookie?: string | null;
  hash_on_cookie_path?: string;
  hash_on_query_arg?: string | null;
  hash_fallback_query_arg?: string | null;
  hash_on_uri_capture?: string | null;
  hash_fallback_uri_capture?: string | null;
  slots?: number;
  /** Deep-merged over Kong's defaults (all checks off). */
  healthchecks?: DeepPartial<KongHealthchecks>;
  tags?: string[] | null;
  host_header?: string | null;
  client_certificate?: KongRef | null;
  use_srv_name?: boolean;
  created_at?: number;
}

/** @public */
export interface KongTargetInput {
  id?: string;
  upstream: KongRef;
  target: string;
  weight?: number;
  tags?: string[] | null;
  health?: KongTargetHealth;
  addresses?: string[];
  created_at?: number;
}

/** @public */
export interface KongConsumerInput {
  id?: string;
  username?: string | null;
  custom_id?: string | null;
  tags?: string[] | null;
  created_at?: number;
}

/** @public */
export interface KongCredentialInputBase {
  id?: string;
  consumer: KongRef;
  tags?: string[] | null;
  created_at?: number;
}

/** @public */
export interface KongCertificateInput {
  id?: string;
  cert: string;
  key: string;
  cert_alt?: string | null;
  key_alt?: string | null;
  tags?: string[] | null;
  /** SNIs to create for this certificate. */
  snis?: (string | { id?: string; name: string; tags?: string[] | null })[];
  created_at?: number;
}

/** @public */
export interface KongVaultInput {
  id?: string;
  name: string;
  prefix: string;
  description?: string | null;
  config?: Record<string, unknown>;
  tags?: string[] | null;
  created_at?: number;
}

/** @public */
export interface KongKeySetInput {
  id?: string;
  name?: string | null;
  tags?: string[] | null;
  created_at?: number;
}

/** A key: exactly one of `jwk` (a JSON string whose `kid` is the key's `kid`) and `pem`. @public */
export interface KongKeyInput {
  id?: string;
  name?: string | null;
  /** The key set: its id or name. */
  set?: KongRef | null;
  kid: string;
  jwk?: string | null;
  pem?: { private_key?: string | null; public_key?: string | null } | null;
  tags?: string[] | null;
  created_at?: number;
}

/** @public */
export interface KongOAuth2CredentialInput extends KongCredentialInputBase {
  name: string;
  /** Generated when absent, as Kong's `auto` fields are. */
  client_id?: string;
  /** Generated when absent; stored as Kong's PBKDF2 hash when `hash_secret` is set. */
  client_secret?: string;
  hash_secret?: boolean;
  redirect_uris?: string[] | null;
  client_type?: 'confidential' | 'public';
}

/** @public */
export interface KongOAuth2TokenInput {
  id?: string;
  /** The oauth2 credential: its id or `client_id`. */
  credential: KongRef;
  service?: KongRef | null;
  /** Generated when absent, as Kong's `auto` fields are. */
  access_token?: string;
  refresh_token?: string | null;
  token_type?: 'bearer';
  /** Seconds; the oauth2 plugin's default `token_expiration` (7200) when absent. */
  expires_in?: number;
  authenticated_userid?: string | null;
  scope?: string | null;
  /** Seconds until Kong deletes the row, as `/oauth2_tokens` reports it; null when none. */
  ttl?: number | null;
  created_at?: number;
}

/** @public */
export type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends (infer U)[]
    ? U[]
    : T[K] extends object | null
      ? DeepPartial<NonNullable<T[K]>> | Extract<T[K], null>
      : T[K];
};

/** @public */
export interface KongDatasetBuilderOptions {
  /** Different seeds derive different ids for the same names (two Kong clusters). */
  idSeed?: string;
  /** `created_at`/`updated_at` of every entity that does not set its own (epoch seconds). */
  createdAt?: number;
  node?: Partial<KongNodeInfo>;
}

function defaultHealthchecks(): KongHealthchecks {
  return {
    active: {
      type: 'http',
      timeout: 1,
      concurrency: 10,
      http_path: '/',
      https_verify_certificate: true,
      https_sni: null,
      headers: null,
      healthy: { interval: 0, successes: 0, http_statuses: [200, 302] },
      unhealthy: {
        interval: 0,
        http_failures: 0,
        tcp_failures: 0,
        timeouts: 0,
        http_statuses: [429, 404, 500, 501, 502, 503, 504, 505],
      },
    },
    passive: {
      type: 'http',
      healthy: {
        successes: 0,
        http_statuses: [
          200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303,
          304, 305, 306, 307, 308,
        ],
      },
      unhealthy: {
        http_failures: 0,
        tcp_failures: 0,
        timeouts: 0,
        http_statuses: [429, 500, 503],
      },
    },
    threshold: 0,
  };
}

function deepMerge<T>(base: T, patch: unknown): T {
  if (patch === undefined) return base;
  if (
    patch === null ||
    typeof patch !== 'object' ||
    Array.isArray(patch) ||
    base === null ||
    typeof base !== 'object' ||
    Array.isArray(base)
  ) {
    return patch as T;
  }
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch as Record<string, unknown>)) {
    out[key] = deepMerge(out[key], value);
  }
  return out as T;
}

/** Whether the upstream's health checker runs (any active or passive check configured). */
export function upstreamHealthchecksEnabled(upstream: KongUpstream): boolean {
  const { active, passive } = upstream.healthchecks;
  return (
    active.healthy.interval > 0 ||
    active.unhealthy.interval > 0 ||
    passive.healthy.successes > 0 ||
    passive.unhealthy.http_failures > 0 ||
    passive.unhealthy.tcp_failures > 0 ||
    passive.unhealthy.timeouts > 0
  );
}

function defaultNode(seed: string): KongNodeInfo {
  return {
    version: '3.9.1',
    edition: 'community',
    nodeId: uuidV5(`${seed}:node`),
    hostname: 'kong-sandbox',
    database: 'postgres',
  };
}

function tagsOrNull(tags: string[] | null | undefined): string[] | null {
  return tags && tags.length > 0 ? [...tags] : null;
}

/** The PHC string of kong/plugins/oauth2/secret.lua (unpadded standard base64). */
function pbkdf2Phc(secret: string, salt: Buffer): string {
  const saltBytes = salt.subarray(0, 16);
  const hash = pbkdf2Sync(secret, saltBytes, 10000, 32, 'sha512');
  const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');
  return `$pbkdf2-sha512$i=10000,l=32$${b64(saltBytes)}$${b64(hash)}`;
}

function parseServiceUrl(url: string) {
  const parsed = new URL(url);
  const protocol = parsed.protocol.replace(/:$/, '');
  const defaultPort = protocol === 'https' ? 443 : 80;
  return {
    protocol,
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : defaultPort,
    path: parsed.pathname && parsed.pathname !== '/' ? parsed.pathname : null,
  };
}

/**
 * Builds a {@link KongDataset} the way Kong stores entities: defaults filled in, foreign keys
 * resolved by id or name, uniqueness checked (names, plugin name per scope, SNI names), ids
 * derived from names (UUID v5) unless given.
 *
 * @public
 */
export class KongDatasetBuilder {
  private readonly seed: string;
  private readonly createdAt: number;
  private readonly node: KongNodeInfo;
  private readonly data: Required<Omit<KongDataset, 'node'>> = {
    services: [],
    routes: [],
    plugins: [],
    upstreams: [],
    targets: [],
    consumers: [],
    keyAuthCredentials: [],
    jwtSecrets: [],
    basicAuthCredentials: [],
    hmacAuthCredentials: [],
    acls: [],
    certificates: [],
    snis: [],
    caCertificates: [],
    vaults: [],
    keySets: [],
    keys: [],
    oauth2Credentials: [],
    oauth2Tokens: [],
  };
  private readonly ids = new Set<string>();
  private readonly byName = {
    services: new Map<string, KongService>(),
    routes: new Map<string, KongRoute>(),
    upstreams: new Map<string, KongUpstream>(),
    consumers: new Map<string, KongConsumer>(),
    snis: new Map<string, KongSni>(),
    vaults: new Map<string, KongVault>(),
    keySets: new Map<string, KongKeySet>(),
    keys: new Map<string, KongKey>(),
    /** By `client_id`, the endpoint key. */
    oauth2Credentials: new Map<string, KongOAuth2Credential>(),
  };
  private readonly byId = new Map<
    string,
    { kind: string; entity: { id: string } }
  >();
  private readonly pluginScopes = new Set<string>();
  private readonly keyAuthKeys = new Set<string>();
  /** `kid|set id` of every key (Kong's unique cache key). */
  private readonly keyCacheKeys = new Set<string>();
  /** Access and refresh tokens in use (both unique in Kong). */
  private readonly oauth2TokenValues = new Set<string>();
  private anonymousRoutes = 0;
  private generated = 0;

  constructor(options: KongDatasetBuilderOptions = {}) {
    this.seed = options.idSeed ?? 'kong';
    this.createdAt = options.createdAt ?? SANDBOX_EPOCH;
    this.node = { ...defaultNode(this.seed), ...options.node };
  }

  /** A builder holding everything of an existing dataset, to add more to it. */
  static from(
    dataset: KongDataset,
    options: KongDatasetBuilderOptions = {},
  ): KongDatasetBuilder {
    const builder = new KongDatasetBuilder({
      ...options,
      node: { ...dataset.node, ...options.node },
    });
    const d = builder.data;
    for (const s of dataset.services)
      builder.register('services', s, s.name, d.services);
    for (const r of dataset.routes)
      builder.register('routes', r, r.name, d.routes);
    for (const u of dataset.upstreams)
      builder.register('upstreams', u, u.name, d.upstreams);
    for (const c of dataset.consumers)
      builder.register('consumers', c, c.username, d.consumers);
    for (const s of dataset.snis) builder.register('snis', s, s.name, d.snis);
    for (const v of dataset.vaults)
      builder.register('vaults', v, v.prefix, d.vaults);
    for (const p of dataset.plugins) {
      builder.pluginScopes.add(KongDatasetBuilder.pluginScopeKey(p));
      builder.register('plugins', p, null, d.plugins);
    }
    for (const k of dataset.keyAuthCredentials) builder.keyAuthKeys.add(k.key);
    for (const s of dataset.keySets ?? [])
      builder.register('keySets', s, s.name, d.keySets);
    for (const k of dataset.keys ?? []) {
      builder.keyCacheKeys.add(`${k.kid}|${k.set?.id ?? ''}`);
      builder.register('keys', k, k.name, d.keys);
    }
    for (const c of dataset.oauth2Credentials ?? [])
      builder.register(
        'oauth2Credentials',
        c,
        c.client_id,
        d.oauth2Credentials,
      );
    for (const t of dataset.oauth2Tokens ?? []) {
      builder.oauth2TokenValues.add(t.access_token);
      if (t.refresh_token) builder.oauth2TokenValues.add(t.refresh_token);
    }
    builder.anonymousRoutes = dataset.routes.length;
    const rest: [string, { id: string }[], { id: string }[]][] = [
      ['targets', dataset.targets, d.targets],
      ['keyAuthCredentials', dataset.keyAuthCredentials, d.keyAuthCredentials],
      ['jwtSecrets', dataset.jwtSecrets, d.jwtSecrets],
      [
        'basicAuthCredentials',
        dataset.basicAuthCredentials,
        d.basicAuthCredentials,
      ],
      [
        'hmacAuthCredentials',
        dataset.hmacAuthCredentials,
        d.hmacAuthCredentials,
      ],
      ['acls', dataset.acls, d.acls],
      ['certificates', dataset.certificates, d.certificates],
      ['caCertificates', dataset.caCertificates, d.caCertificates],
      ['oauth2Tokens', dataset.oauth2Tokens ?? [], d.oauth2Tokens],
    ];
    for (const [kind, source, target] of rest) {
      for (const entity of source) builder.register(kind, entity, null, target);
    }
    return builder;
  }

  private static pluginScopeKey(
    p: Pick<
      KongPlugin,
      'name' | 'route' | 'service' | 'consumer' | 'instance_name'
    >,
  ) {
    return [
      p.name,
      p.route?.id ?? '',
      p.service?.id ?? '',
      p.consumer?.id ?? '',
    ].join('|');
  }

  private register<T extends { id: string }>(
    kind: string,
    entity: T,
    name: string | null | undefined,
    list: T[],
  ): T {
    if (!isUuid(entity.id)) {
      throw new Error(`${kind}: id '${entity.id}' is not a UUID`);
    }
    if (this.ids.has(entity.id)) {
      throw new Error(
        `${kind}: UNIQUE violation detected on '{id="${entity.id}"}'`,
      );
    }
    const names = (
      this.byName as unknown as Record<string, Map<string, T> | undefined>
    )[kind];
    if (names && name !== null && name !== undefined) {
      if (names.has(name)) {
        throw new Error(
          `${kind}: UNIQUE violation detected on '{name="${name}"}'`,
        );
      }
      names.set(name, entity);
    }
    this.ids.add(entity.id);
    this.byId.set(entity.id, { kind, entity });
    list.push(entity);
    return entity;
  }

  private id(kind: string, key: string, given?: string): string {
    return given ?? uuidV5(`${this.seed}:${kind}:${key}`);
  }

  private resolve(
    kind:
      | 'services'
      | 'routes'
      | 'upstreams'
      | 'consumers'
      | 'keySets'
      | 'oauth2Credentials',
    ref: KongRef,
    what: string,
  ): KongForeignKey {
    const key =
      typeof ref === 'string' ? ref : (ref.id ?? ref.name ?? ref.username);
    if (!key) {
      throw new Error(`${what}: empty reference to ${kind}`);
    }
    const byId = this.byId.get(key);
    if (byId && byId.kind === kind) {
      return { id: byId.entity.id };
    }
    const named = (this.byName[kind] as Map<string, { id: string }>).get(key);
    if (named) {
      return { id: named.id };
    }
    throw new Error(
      `${what}: the foreign key '${key}' does not reference an existing '${kind}' entity.`,
    );
  }

  private resolveCertificate(ref: KongRef, what: string): KongForeignKey {
    const key = typeof ref === 'string' ? ref : (ref.id ?? ref.name);
    const found = key ? this.byId.get(key) : undefined;
    if (found?.kind === 'certificates') {
      return { id: found.entity.id };
    }
    const bySni = key ? this.byName.snis.get(key) : undefined;
    if (bySni) {
      return { ...bySni.certificate };
    }
    throw new Error(
      `${what}: the foreign key '${key}' does not reference an existing 'certificates' entity.`,
    );
  }

  /**
   * What Kong's `auto` string fields get (kong/tools/rand.lua `random_string`: 32 alphanumeric
   * characters), derived from the seed so that datasets stay stable.
   */
  private autoString(kind: string): string {
    return createHash('sha512')
      .update(`${this.seed}:${kind}:${this.generated++}`)
      .digest('base64')
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 32);
  }

  private stamp(given?: number): { created_at: number; updated_at: number } {
    const at = given ?? this.createdAt;
    return { created_at: at, updated_at: at };
  }

  findService(ref: KongRef): KongService | undefined {
    try {
      const { id } = this.resolve('services', ref, 'find');
      return this.data.services.find(s => s.id === id);
    } catch {
      return undefined;
    }
  }

  addService(input: KongServiceInput): KongService {
    const fromUrl = input.url ? parseServiceUrl(input.url) : undefined;
    const protocol = input.protocol ?? fromUrl?.protocol ?? 'http';
    const host = input.host ?? fromUrl?.host;
    if (!host) {
      throw new Error(
        `service '${input.name}': schema violation (host: required field missing)`,
      );
    }
    const service: KongService = {
      id: this.id('service', input.name, input.id),
      ...this.stamp(input.created_at),
      name: input.name,
      retries: input.retries ?? 5,
      protocol,
      host,
      port:
        input.port ??
        fromUrl?.port ??
        (protocol === 'https' || protocol === 'grpcs' ? 443 : 80),
      path: input.path !== undefined ? input.path : (fromUrl?.path ?? null),
      connect_timeout: input.connect_timeout ?? 60000,
      write_timeout: input.write_timeout ?? 60000,
      read_timeout: input.read_timeout ?? 60000,
      tags: tagsOrNull(input.tags),
      client_certificate: input.client_certificate
        ? this.resolveCertificate(
            input.client_certificate,
            `service '${input.name}'`,
          )
        : null,
      tls_verify: input.tls_verify ?? null,
      tls_verify_depth: input.tls_verify_depth ?? null,
      ca_certificates: input.ca_certificates ?? null,
      enabled: input.enabled ?? true,
    };
    return this.register('services', service, service.name, this.data.services);
  }

  addRoute(input: KongRouteInput): KongRoute {
    const what = `route '${input.name ?? '(unnamed)'}'`;
    const service =
      input.service === null
        ? null
        : this.resolve('services', input.service, what);
    const key =
      input.name ?? `${service?.id ?? 'none'}#${this.anonymousRoutes++}`;
    const route: KongRoute = {
      id: this.id('route', key, input.id),
      ...this.stamp(input.created_at),
      name: input.name ?? null,
      protocols: input.protocols ?? ['http', 'https'],
      methods: input.methods ?? null,
      hosts: input.hosts ?? null,
      paths: input.paths ?? null,
      headers: input.headers ?? null,
      https_redirect_status_code: input.https_redirect_status_code ?? 426,
      regex_priority: input.regex_priority ?? 0,
      strip_path: input.strip_path ?? true,
      path_handling: input.path_handling ?? 'v0',
      preserve_host: input.preserve_host ?? false,
      request_buffering: input.request_buffering ?? true,
      response_buffering: input.response_buffering ?? true,
      snis: input.snis ?? null,
      sources: input.sources ?? null,
      destinations: input.destinations ?? null,
      tags: tagsOrNull(input.tags),
      service,
    };
    return this.register('routes', route, route.name, this.data.routes);
  }

  addPlugin(input: KongPluginInput): KongPlugin {
    const what = `plugin '${input.name}'`;
    const service = input.service
      ? this.resolve('services', input.service, what)
      : null;
    const route = input.route
      ? this.resolve('routes', input.route, what)
      : null;
    const consumer = input.consumer
      ? this.resolve('consumers', input.consumer, what)
      : null;
    const scope = {
      name: input.name,
      service,
      route,
      consumer,
      instance_name: input.instance_name ?? null,
    };
    const scopeKey = KongDatasetBuilder.pluginScopeKey(scope);
    if (this.pluginScopes.has(scopeKey)) {
      throw new Error(
        `${what}: UNIQUE violation detected on '{consumer=${consumer ? `{id="${consumer.id}"}` : 'null'},name="${input.name}",route=${route ? `{id="${route.id}"}` : 'null'},service=${service ? `{id="${service.id}"}` : 'null'}}'`,
      );
    }
    this.pluginScopes.add(scopeKey);
    const plugin: KongPlugin = {
      id: this.id('plugin', scopeKey, input.id),
      name: input.name,
      instance_name: input.instance_name ?? null,
      ...this.stamp(input.created_at),
      route,
      service,
      consumer,
      config: completePluginConfig(input.name, input.config),
      protocols: input.protocols ?? defaultPluginProtocols(input.name),
      enabled: input.enabled ?? true,
      tags: tagsOrNull(input.tags),
      ordering: input.ordering ?? null,
    };
    return this.register('plugins', plugin, null, this.data.plugins);
  }

  addUpstream(input: KongUpstreamInput): KongUpstream {
    const upstream: KongUpstream = {
      id: this.id('upstream', input.name, input.id),
      ...this.stamp(input.created_at),
      name: input.name,
      algorithm: input.algorithm ?? 'round-robin',
      hash_on: input.hash_on ?? 'none',
      hash_fallback: input.hash_fallback ?? 'none',
      hash_on_header: input.hash_on_header ?? null,
      hash_fallback_header: input.hash_fallback_header ?? null,
      hash_on_cookie: input.hash_on_cookie ?? null,
      hash_on_cookie_path: input.hash_on_cookie_path ?? '/',
      hash_on_query_arg: input.hash_on_query_arg ?? null,
      hash_fallback_query_arg: input.hash_fallback_query_arg ?? null,
      hash_on_uri_capture: input.hash_on_uri_capture ?? null,
      hash_fallback_uri_capture: input.hash_fallback_uri_capture ?? null,
      slots: input.slots ?? 10000,
      healthchecks: deepMerge(defaultHealthchecks(), input.healthchecks),
      tags: tagsOrNull(input.tags),
      host_header: input.host_header ?? null,
      client_certificate: input.client_certificate
        ? this.resolveCertificate(
            input.client_certificate,
            `upstream '${input.name}'`,
          )
        : null,
      use_srv_name: input.use_srv_name ?? false,
    };
    return this.register(
      'upstreams',
      upstream,
      upstream.name,
      this.data.upstreams,
    );
  }

  addTarget(input: KongTargetInput): KongSandboxTarget {
    const upstream = this.resolve(
      'upstreams',
      input.upstream,
      `target '${input.target}'`,
    );
    // Kong stores targets as host:port, port 8000 when none is given (kong/db/dao/targets.lua).
    const target = /:\d+$/.test(input.target)
      ? input.target
      : `${input.target}:8000`;
    const count = this.data.targets.length;
    const at = input.created_at ?? this.createdAt + ((count % 999) + 1) / 1000;
    const entity: KongSandboxTarget = {
      id: this.id('target', `${upstream.id}|${target}`, input.id),
      created_at: at,
      updated_at: at,
      upstream,
      target,
      weight: input.weight ?? 100,
      tags: tagsOrNull(input.tags),
      ...(input.health ? { health: input.health } : {}),
      ...(input.addresses ? { addresses: [...input.addresses] } : {}),
    };
    return this.register('targets', entity, null, this.data.targets);
  }

  addConsumer(input: KongConsumerInput): KongConsumer {
    const key = input.username ?? input.custom_id;
    if (!key) {
      throw new Error(
        `consumer: at least one of these fields must be non-empty: 'custom_id', 'username'`,
      );
    }
    const consumer: KongConsumer = {
      id: this.id('consumer', key, input.id),
      ...this.stamp(input.created_at),
      username: input.username ?? null,
      custom_id: input.custom_id ?? null,
      tags: tagsOrNull(input.tags),
    };
    return this.register(
      'consumers',
      consumer,
      consumer.username,
      this.data.consumers,
    );
  }

  addKeyAuth(
    input: KongCredentialInputBase & { key: string; ttl?: number | null },
  ): KongKeyAuthCredential {
    const consumer = this.resolve(
      'consumers',
      input.consumer,
      'key-auth credential',
    );
    if (this.keyAuthKeys.has(input.key)) {
      throw new Error(
        `key-auth credential: UNIQUE violation detected on '{key="<key>"}'`,
      );
    }
    this.keyAuthKeys.add(input.key);
    const credential: KongKeyAuthCredential = {
      id: this.id(
        'keyauth_credentials',
        `${consumer.id}|${input.key}`,
        input.id,
      ),
      created_at: input.created_at ?? this.createdAt,
      consumer,
      key: input.key,
      ttl: input.ttl ?? null,
      tags: tagsOrNull(input.tags),
    };
    return this.register(
      'keyAuthCredentials',
      credential,
      null,
      this.data.keyAuthCredentials,
    );
  }

  addJwtSecret(
    input: KongCredentialInputBase & {
      key: string;
      secret: string;
      algorithm?: string;
      rsa_public_key?: string | null;
    },
  ): KongJwtSecret {
    const consumer = this.resolve(
      'consumers',
      input.consumer,
      'jwt credential',
    );
    const credential: KongJwtSecret = {
      id: this.id('jwt_secrets', `${consumer.id}|${input.key}`, input.id),
      created_at: input.created_at ?? this.createdAt,
      consumer,
      key: input.key,
      secret: input.secret,
      rsa_public_key: input.rsa_public_key ?? null,
      algorithm: input.algorithm ?? 'HS256',
      tags: tagsOrNull(input.tags),
    };
    return this.register('jwtSecrets', credential, null, this.data.jwtSecrets);
  }

  /**
   * Stores the password as Kong does (kong/plugins/basic-auth/crypto.lua: SHA-1 of password + consumer id),
   * unless `hashed` says it already is.
   */
  addBasicAuth(
    input: KongCredentialInputBase & {
      username: string;
      password: string;
      hashed?: boolean;
    },
  ): KongBasicAuthCredential {
    const consumer = this.resolve(
      'consumers',
      input.consumer,
      'basic-auth credential',
    );
    const credential: KongBasicAuthCredential = {
      id: this.id(
        'basicauth_credentials',
        `${consumer.id}|${input.username}`,
        input.id,
      ),
      created_at: input.created_at ?? this.createdAt,
      consumer,
      username: input.username,
      password: input.hashed
        ? input.password
        : createHash('sha1')
            .update(input.password + consumer.id)
            .digest('hex'),
      tags: tagsOrNull(input.tags),
    };
    return this.register(
      'basicAuthCredentials',
      credential,
      null,
      this.data.basicAuthCredentials,
    );
  }

  addHmacAuth(
    input: KongCredentialInputBase & { username: string; secret: string },
  ): KongHmacAuthCredential {
    const consumer = this.resolve(
      'consumers',
      input.consumer,
      'hmac-auth credential',
    );
    const credential: KongHmacAuthCredential = {
      id: this.id(
        'hmacauth_credentials',
        `${consumer.id}|${input.username}`,
        input.id,
      ),
      created_at: input.created_at ?? this.createdAt,
      consumer,
      username: input.username,
      secret: input.secret,
      tags: tagsOrNull(input.tags),
    };
    return this.register(
      'hmacAuthCredentials',
      credential,
      null,
      this.data.hmacAuthCredentials,
    );
  }

  addAcl(input: KongCredentialInputBase & { group: string }): KongAcl {
    const consumer = this.resolve('consumers', input.consumer, 'acl');
    const acl: KongAcl = {
      id: this.id('acls', `${consumer.id}|${input.group}`, input.id),
      created_at: input.created_at ?? this.createdAt,
      consumer,
      group: input.group,
      tags: tagsOrNull(input.tags),
    };
    return this.register('acls', acl, null, this.data.acls);
  }

  addCertificate(input: KongCertificateInput): KongCertificate {
    const firstSni = input.snis?.[0];
    const key =
      input.id ??
      (typeof firstSni === 'string' ? firstSni : firstSni?.name) ??
      input.cert;
    const certificate: KongCertificate = {
      id: this.id('certificate', key, input.id),
      ...this.stamp(input.created_at),
      cert: input.cert,
      key: input.key,
      cert_alt: input.cert_alt ?? null,
      key_alt: input.key_alt ?? null,
      tags: tagsOrNull(input.tags),
    };
    this.register('certificates', certificate, null, this.data.certificates);
    for (const sni of input.snis ?? []) {
      const sniInput = typeof sni === 'string' ? { name: sni } : sni;
      this.addSni({ ...sniInput, certificate: { id: certificate.id } });
    }
    return certificate;
  }

  addSni(input: {
    id?: string;
    name: string;
    certificate: KongRef;
    tags?: string[] | null;
    created_at?: number;
  }): KongSni {
    const sni: KongSni = {
      id: this.id('sni', input.name, input.id),
      ...this.stamp(input.created_at),
      name: input.name,
      certificate: this.resolveCertificate(
        input.certificate,
        `sni '${input.name}'`,
      ),
      tags: tagsOrNull(input.tags),
    };
    return this.register('snis', sni, sni.name, this.data.snis);
  }

  addCaCertificate(input: {
    id?: string;
    cert: string;
    tags?: string[] | null;
    created_at?: number;
  }): KongCaCertificate {
    let digest: string;
    try {
      digest = new X509Certificate(input.cert).fingerprint256
        .replace(/:/g, '')
        .toLowerCase();
    } catch {
      digest = createHash('sha256').update(input.cert).digest('hex');
    }
    const ca: KongCaCertificate = {
      id: this.id('ca_certificate', digest, input.id),
      ...this.stamp(input.created_at),
      cert: input.cert,
      cert_digest: digest,
      tags: tagsOrNull(input.tags),
    };
    return this.register('caCertificates', ca, null, this.data.caCertificates);
  }

  addVault(input: KongVaultInput): KongVault {
    const vault: KongVault = {
      id: this.id('vault', input.prefix, input.id),
      ...this.stamp(input.created_at),
      name: input.name,
      prefix: input.prefix,
      description: input.description ?? null,
      config: structuredClone(input.config ?? {}),
      tags: tagsOrNull(input.tags),
    };
    return this.register('vaults', vault, vault.prefix, this.data.vaults);
  }

  addKeySet(input: KongKeySetInput = {}): KongKeySet {
    const keySet: KongKeySet = {
      id: this.id(
        'key_set',
        input.name ?? `#${this.data.keySets.length}`,
        input.id,
      ),
      ...this.stamp(input.created_at),
      name: input.name ?? null,
      tags: tagsOrNull(input.tags),
    };
    return this.register('keySets', keySet, keySet.name, this.data.keySets);
  }

  /** Checks what kong/db/schema/entities/keys.lua checks; never puts key material into an error. */
  addKey(input: KongKeyInput): KongKey {
    const what = `key '${input.name ?? input.kid}'`;
    const jwk = input.jwk ?? null;
    const pem = input.pem
      ? {
          private_key: input.pem.private_key ?? null,
          public_key: input.pem.public_key ?? null,
        }
      : null;
    if (jwk === null && pem === null) {
      throw new Error(
        `${what}: at least one of these fields must be non-empty: 'jwk', 'pem'`,
      );
    }
    if (jwk !== null && pem !== null) {
      throw new Error(
        `${what}: only one or none of these fields must be set: 'jwk', 'pem'`,
      );
    }
    if (jwk !== null && !/^\{vault:\/\/[^}]+\}$/.test(jwk.trim())) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(jwk);
      } catch {
        throw new Error(`${what}: could not json decode jwk string`);
      }
      if ((parsed as { kid?: unknown } | null)?.kid !== input.kid) {
        throw new Error(`${what}: kid in jwk.kid must be equal to keys.kid`);
      }
    }
    if (pem && pem.private_key === null && pem.public_key === null) {
      throw new Error(
        `${what}: need to supply a PEM formatted public and/or private key.`,
      );
    }
    const set = input.set ? this.resolve('keySets', input.set, what) : null;
    const cacheKey = `${input.kid}|${set?.id ?? ''}`;
    if (this.keyCacheKeys.has(cacheKey)) {
      throw new Error(
        `${what}: UNIQUE violation detected on '{kid="${input.kid}",set=${set ? `{id="${set.id}"}` : 'null'}}'`,
      );
    }
    const key: KongKey = {
      id: this.id('key', input.name ?? cacheKey, input.id),
      ...this.stamp(input.created_at),
      set,
      name: input.name ?? null,
      kid: input.kid,
      jwk,
      pem,
      tags: tagsOrNull(input.tags),
    };
    this.register('keys', key, key.name, this.data.keys);
    this.keyCacheKeys.add(cacheKey);
    return key;
  }

  /**
   * With `hash_secret`, the secret is stored as the oauth2 plugin does
   * (kong/plugins/oauth2/secret.lua: `$pbkdf2-sha512$i=10000,l=32$<salt>$<hash>`).
   */
  addOAuth2Credential(input: KongOAuth2CredentialInput): KongOAuth2Credential {
    const consumer = this.resolve(
      'consumers',
      input.consumer,
      'oauth2 credential',
    );
    const clientId = input.client_id ?? this.autoString('oauth2_client_id');
    if (this.byName.oauth2Credentials.has(clientId)) {
      throw new Error(
        `oauth2 credential: UNIQUE violation detected on '{client_id="${clientId}"}'`,
      );
    }
    const id = this.id('oauth2_credentials', clientId, input.id);
    const clientSecret =
      input.client_secret ?? this.autoString('oauth2_client_secret');
    const hashSecret = input.hash_secret ?? false;
    const credential: KongOAuth2Credential = {
      id,
      created_at: input.created_at ?? this.createdAt,
      consumer,
      name: input.name,
      client_id: clientId,
      client_secret: hashSecret
        ? pbkdf2Phc(clientSecret, createHash('sha256').update(id).digest())
        : clientSecret,
      hash_secret: hashSecret,
      redirect_uris: input.redirect_uris ?? null,
      tags: tagsOrNull(input.tags),
      client_type: input.client_type ?? 'confidential',
    };
    return this.register(
      'oauth2Credentials',
      credential,
      clientId,
      this.data.oauth2Credentials,
    );
  }

  addOAuth2Token(input: KongOAuth2TokenInput): KongOAuth2Token {
    const what = 'oauth2 token';
    const credential = this.resolve(
      'oauth2Credentials',
      input.credential,
      what,
    );
    const service = input.service
      ? this.resolve('services', input.service, what)
      : null;
    const accessToken = input.access_token ?? this.autoString('access_token');
    const refreshToken = input.refresh_token ?? null;
    // The values are secrets: the errors name the field only.
    for (const [field, value] of [
      ['access_token', accessToken],
      ['refresh_token', refreshToken],
    ] as const) {
      if (value !== null && this.oauth2TokenValues.has(value)) {
        throw new Error(
          `${what}: UNIQUE violation detected on '{${field}="<${field}>"}'`,
        );
      }
    }
    const token: KongOAuth2Token = {
      id: this.id('oauth2_tokens', accessToken, input.id),
      created_at: input.created_at ?? this.createdAt,
      service,
      credential,
      token_type: input.token_type ?? 'bearer',
      expires_in: input.expires_in ?? 7200,
      access_token: accessToken,
      refresh_token: refreshToken,
      authenticated_userid: input.authenticated_userid ?? null,
      scope: input.scope ?? null,
      ttl: input.ttl ?? null,
    };
    this.register('oauth2Tokens', token, null, this.data.oauth2Tokens);
    this.oauth2TokenValues.add(accessToken);
    if (refreshToken !== null) this.oauth2TokenValues.add(refreshToken);
    return token;
  }

  build(): KongDataset {
    const d = this.data;
    return {
      node: { ...this.node },
      services: [...d.services],
      routes: [...d.routes],
      plugins: [...d.plugins],
      upstreams: [...d.upstreams],
      targets: [...d.targets],
      consumers: [...d.consumers],
      keyAuthCredentials: [...d.keyAuthCredentials],
      jwtSecrets: [...d.jwtSecrets],
      basicAuthCredentials: [...d.basicAuthCredentials],
      hmacAuthCredentials: [...d.hmacAuthCredentials],
      acls: [...d.acls],
      certificates: [...d.certificates],
      snis: [...d.snis],
      caCertificates: [...d.caCertificates],
      vaults: [...d.vaults],
      keySets: [...d.keySets],
      keys: [...d.keys],
      oauth2Credentials: [...d.oauth2Credentials],
      oauth2Tokens: [...d.oauth2Tokens],
    };
  }
}
