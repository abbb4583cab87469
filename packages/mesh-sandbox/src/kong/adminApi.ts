import { upstreamHealthchecksEnabled } from './dataset';
import { KongIndex } from './KongIndex';
import {
  KongApiError,
  notFound,
  Page,
  pageById,
  pageByPosition,
  parsePageSize,
  parseTagsFilter,
  TagsFilter,
} from './pagination';
import { KNOWN_PLUGIN_NAMES, pluginSchemaResponse } from './pluginSchemas';
import type {
  KongCertificate,
  KongDataset,
  KongOAuth2Token,
  KongPlugin,
  KongSandboxTarget,
  KongTarget,
  KongTargetHealth,
  KongUpstream,
} from './types';

/** The RBAC header of Kong Enterprise (EE spec `securitySchemes.adminToken`). */
export const KONG_ADMIN_TOKEN_HEADER = 'Kong-Admin-Token';

/** @public */
export interface KongAdminApiOptions {
  /** Serve entities under `/{workspace}/...` only (Kong Enterprise). */
  workspace?: string;
  /** Require this token in {@link KongAdminApiOptions.authHeader} on every request. */
  adminToken?: string;
  /** Header carrying the token: `Kong-Admin-Token` (Enterprise RBAC, default) or e.g. `apikey` (an OSS Admin API behind key-auth). */
  authHeader?: string;
  /**
   * What nested lists put into `next` for the parent: its id (default, as FACTS.md states) or the
   * path segment the client used (id or name), which is what kong/api/endpoints.lua formats.
   */
  nestedNextUses?: 'parent-id' | 'path-segment';
  /** Prefix `next` with the workspace (Enterprise). Off by default: endpoints.lua formats `next` without it. */
  nextIncludesWorkspace?: boolean;
}

/** Connection counters `/status` reports. */
export interface KongServerStats {
  totalRequests: number;
  connectionsAccepted: number;
  connectionsActive: number;
}

export interface KongAdminRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export interface KongAdminResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** Plugin priorities as `GET /` reports them under `plugins.available_on_server`. */
const PLUGIN_PRIORITIES: Record<string, number> = {
  'correlation-id': 100001,
  cors: 2000,
  session: 1900,
  jwt: 1450,
  oauth2: 1400,
  'key-auth': 1250,
  'basic-auth': 1100,
  'hmac-auth': 1030,
  'ip-restriction': 990,
  'request-size-limiting': 951,
  acl: 950,
  'rate-limiting': 910,
  'response-ratelimiting': 900,
  'request-transformer': 801,
  'response-transformer': 800,
  'standard-webhooks': 760,
  'aws-lambda': 750,
  'azure-functions': 749,
  opentelemetry: 14,
  prometheus: 13,
  'http-log': 12,
  loggly: 6,
};

/** ngx.escape_uri: everything but unreserved characters is percent-encoded. */
function escapeUri(value: string): string {
  return Array.from(Buffer.from(value, 'utf8'))
    .map(byte => {
      const c = String.fromCharCode(byte);
      return /[A-Za-z0-9\-._~]/.test(c)
        ? c
        : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

function splitHostPort(target: string): { host: string; port: number } {
  const match = /^(.*):(\d+)$/.exec(target);
  return match
    ? { host: match[1].replace(/^\[|\]$/g, ''), port: Number(match[2]) }
    : { host: target, port: 8000 };
}

function header(
  headers: KongAdminRequest['headers'],
  name: string,
): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

interface ListQuery {
  size: number;
  rawSize?: string;
  offset?: string;
  tags?: TagsFilter;
}

interface Target {
  /** Collection path used in top-level `next` (`services`, `key-auths`...). */
  collection: string;
  /** For nested lists: `/{parent collection}/{parent}/{child}`. */
  nested?: {
    parentCollection: string;
    parentId: string;
    parentSegment: string;
    child: string;
  };
}

/**
 * The Kong Admin API's read side over one dataset: routes a GET to the entity it names and
 * answers with Kong's bodies, envelopes, paging and errors. Transport-free; see
 * `startKongAdminServer` for the HTTP server around it.
 */
export class KongAdminApi {
  private index: KongIndex;
  private readonly options: Required<
    Omit<KongAdminApiOptions, 'workspace' | 'adminToken'>
  > &
    Pick<KongAdminApiOptions, 'workspace' | 'adminToken'>;
  private requestCounter = 0;

  constructor(
    dataset: KongDataset,
    options: KongAdminApiOptions = {},
    private readonly stats: KongServerStats = {
      totalRequests: 0,
      connectionsAccepted: 0,
      connectionsActive: 0,
    },
  ) {
    this.index = new KongIndex(dataset);
    this.options = {
      authHeader: KONG_ADMIN_TOKEN_HEADER,
      nestedNextUses: 'parent-id',
      nextIncludesWorkspace: false,
      ...options,
    };
  }

  get dataset(): KongDataset {
    return this.index.dataset;
  }

  /** Replaces what the API serves, as if Kong's configuration had been changed. */
  setDataset(dataset: KongDataset): void {
    this.index = new KongIndex(dataset);
  }

  private get enterprise(): boolean {
    return this.index.dataset.node.edition === 'enterprise';
  }

  handle(request: KongAdminRequest): KongAdminResponse {
    this.stats.totalRequests++;
    this.requestCounter++;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json; charset=utf-8',
      'Access-Control-Allow-Origin': '*',
      Server: `kong/${this.index.dataset.node.version}`,
      'X-Kong-Admin-Latency': '0',
      'X-Kong-Admin-Request-ID': this.requestCounter
        .toString(16)
        .padStart(32, '0'),
    };
    try {
      this.authenticate(request, headers);
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        throw new KongApiError(405, { message: 'Method not allowed' });
      }
      const body = this.route(request.url);
      return { status: 200, headers, body };
    } catch (error) {
      if (error instanceof KongApiError) {
        return { status: error.status, headers, body: error.body };
      }
      throw error;
    }
  }

  private authenticate(
    request: KongAdminRequest,
    headers: Record<string, string>,
  ): void {
    const { adminToken, authHeader } = this.options;
    if (adminToken === undefined) return;
    const given = header(request.headers, authHeader);
    if (given === adminToken) return;
    if (authHeader.toLowerCase() === KONG_ADMIN_TOKEN_HEADER.toLowerCase()) {
      throw new KongApiError(401, {
        message: 'Invalid credentials. Token or User credentials required',
      });
    }
    // An OSS Admin API fronted by Kong's own key-auth plugin.
    headers['WWW-Authenticate'] = 'Key realm="kong"';
    throw new KongApiError(
      401,
      given === undefined
        ? { message: 'No API key found in request' }
        : { message: 'Unauthorized' },
    );
  }

  private route(url: string): unknown {
    const parsed = new URL(url, 'http://kong.invalid');
    const query = parsed.searchParams;
    let segments: string[];
    try {
      segments = parsed.pathname
        .split('/')
        .filter(s => s !== '')
        .map(decodeURIComponent);
    } catch {
      throw notFound();
    }

    const { workspace } = this.options;
    const nodeLevel =
      segments.length === 0 ||
      segments[0] === 'status' ||
      segments[0] === 'schemas';
    if (workspace !== undefined) {
      if (segments[0] === workspace) {
        segments = segments.slice(1);
      } else if (!nodeLevel) {
        throw notFound();
      }
    }
    return this.dispatch(segments, query);
  }

  private dispatch(s: string[], query: URLSearchParams): unknown {
    const ix = this.index;
    const [head, a, sub, b, extra] = s;
    const n = s.length;

    if (n === 0) return this.info();
    if (head === 'status' && n === 1) return this.status();
    if (head === 'schemas' && a === 'plugins' && n === 3)
      return this.pluginSchema(sub);
    if (extra !== undefined) throw notFound();

    switch (head) {
      case 'services': {
        if (n === 1)
          return this.list(ix.services.sorted, query, {
            collection: 'services',
          });
        const service = ix.services.find(a) ?? this.fail();
        if (n === 2) return service;
        const nested = {
          parentCollection: 'services',
          parentId: service.id,
          parentSegment: a,
        };
        if (sub === 'routes') {
          const routes = ix.routesByService.get(service.id) ?? [];
          if (n === 3)
            return this.list(routes, query, {
              collection: 'routes',
              nested: { ...nested, child: 'routes' },
            });
          return this.owned(
            ix.routes.find(b),
            r => r.service?.id === service.id,
          );
        }
        if (sub === 'plugins') {
          const plugins = ix.pluginsByService.get(service.id) ?? [];
          if (n === 3)
            return this.listPlugins(plugins, query, {
              ...nested,
              child: 'plugins',
            });
          return this.plugin(
            this.owned(ix.plugins.find(b), p => p.service?.id === service.id),
          );
        }
        if (sub === 'oauth2_tokens') {
          const tokens = ix.oauth2TokensByService.get(service.id) ?? [];
          if (n === 3)
            return this.listUntagged(tokens, query, {
              collection: 'oauth2_tokens',
              nested: { ...nested, child: 'oauth2_tokens' },
            });
          return this.owned(
            ix.oauth2Tokens.find(b),
            t => t.service?.id === service.id,
          );
        }
        throw notFound();
      }
      case 'routes': {
        if (n === 1)
          return this.list(ix.routes.sorted, query, { collection: 'routes' });
        const route = ix.routes.find(a) ?? this.fail();
        if (n === 2) return route;
        if (sub === 'service' && n === 3) {
          return (
            (route.service && ix.services.get(route.service.id)) ?? this.fail()
          );
        }
        if (sub === 'plugins') {
          const plugins = ix.pluginsByRoute.get(route.id) ?? [];
          if (n === 3) {
            return this.listPlugins(plugins, query, {
              parentCollection: 'routes',
              parentId: route.id,
              parentSegment: a,
              child: 'plugins',
            });
          }
          return this.plugin(
            this.owned(ix.plugins.find(b), p => p.route?.id === route.id),
          );
        }
        throw notFound();
      }
      case 'plugins': {
        if (n === 1) return this.listPlugins(ix.plugins.sorted, query);
        if (n === 2 && a === 'enabled')
          return { enabled_plugins: [...KNOWN_PLUGIN_NAMES] };
        if (n === 2) return this.plugin(ix.plugins.find(a) ?? this.fail());
        throw notFound();
      }
      case 'upstreams':
        return this.upstreams(s, query);
      case 'consumers':
        return this.consumers(s, query);
      case 'key-auths':
        return this.credentials(s, query, ix.keyAuths);
      case 'jwts':
        return this.credentials(s, query, ix.jwts);
      case 'basic-auths':
        return this.credentials(s, query, ix.basicAuths);
      case 'hmac-auths':
        return this.credentials(s, query, ix.hmacAuths);
      case 'acls':
        return this.credentials(s, query, ix.acls);
      case 'oauth2':
        return this.oauth2Credentials(s, query);
      case 'oauth2_tokens':
        return this.oauth2Tokens(s, query);
      case 'keys': {
        if (n === 1)
          return this.list(ix.keys.sorted, query, { collection: 'keys' });
        const key = ix.keys.find(a) ?? this.fail();
        if (n === 2) return key;
        if (sub === 'set' && n === 3)
          return (key.set && ix.keySets.get(key.set.id)) ?? this.fail();
        throw notFound();
      }
      case 'key-sets': {
        if (n === 1)
          return this.list(ix.keySets.sorted, query, {
            collection: 'key-sets',
          });
        const keySet = ix.keySets.find(a) ?? this.fail();
        if (n === 2) return keySet;
        if (sub === 'keys') {
          const keys = ix.keysBySet.get(keySet.id) ?? [];
          if (n === 3)
            return this.list(keys, query, {
              collection: 'keys',
              nested: {
                parentCollection: 'key-sets',
                parentId: keySet.id,
                parentSegment: a,
                child: 'keys',
              },
            });
          return this.owned(ix.keys.find(b), k => k.set?.id === keySet.id);
        }
        throw notFound();
      }
      case 'certificates': {
        if (n === 1) {
          return this.list(
            ix.certificates.sorted,
            query,
            { collection: 'certificates' },
            c => this.certificate(c),
          );
        }
        const certificate = ix.findCertificate(a) ?? this.fail();
        if (n === 2) return this.certificate(certificate);
        if (sub === 'snis') {
          const snis = ix.snisByCertificate.get(certificate.id) ?? [];
          if (n === 3) {
            return this.list(snis, query, {
              collection: 'snis',
              nested: {
                parentCollection: 'certificates',
                parentId: certificate.id,
                parentSegment: a,
                child: 'snis',
              },
            });
          }
          return this.owned(
            ix.snis.find(b),
            x => x.certificate.id === certificate.id,
          );
        }
        throw notFound();
      }
      case 'snis':
        if (n === 1)
          return this.list(ix.snis.sorted, query, { collection: 'snis' });
        if (n === 2) return ix.snis.find(a) ?? this.fail();
        throw notFound();
      case 'ca_certificates':
        if (n === 1)
          return this.list(ix.caCertificates.sorted, query, {
            collection: 'ca_certificates',
          });
        if (n === 2) return ix.caCertificates.find(a) ?? this.fail();
        throw notFound();
      case 'vaults':
        if (n === 1)
          return this.list(ix.vaults.sorted, query, { collection: 'vaults' });
        if (n === 2) return ix.vaults.find(a) ?? this.fail();
        throw notFound();
      default:
        throw notFound();
    }
  }

  private fail(): never {
    throw notFound();
  }

  private owned<T>(entity: T | undefined, belongs: (entity: T) => boolean): T {
    if (entity === undefined || !belongs(entity)) throw notFound();
    return entity;
  }

  private listQuery(query: URLSearchParams): ListQuery {
    const sizes = query.getAll('size');
    return {
      size: parsePageSize(sizes),
      rawSize: sizes[0],
      offset: query.get('offset') ?? undefined,
      tags: parseTagsFilter(query.getAll('tags')),
    };
  }

  private nextPath(target: Target, q: ListQuery, offset: string): string {
    const prefix =
      this.options.workspace !== undefined && this.options.nextIncludesWorkspace
        ? `/${escapeUri(this.options.workspace)}`
        : '';
    if (target.nested) {
      const { parentCollection, parentId, parentSegment, child } =
        target.nested;
      const parent =
        this.options.nestedNextUses === 'parent-id'
          ? parentId
          : escapeUri(parentSegment);
      return `${prefix}/${parentCollection}/${parent}/${child}?offset=${escapeUri(offset)}`;
    }
    // kong/api/endpoints.lua: tags, then size, only on top-level collections.
    const tags = q.tags ? `&tags=${escapeUri(q.tags.raw)}` : '';
    const size = q.rawSize !== undefined ? `&size=${q.rawSize}` : '';
    return `${prefix}/${target.collection}?offset=${escapeUri(offset)}${tags}${size}`;
  }

  private envelope<T>(
    page: Page<T>,
    target: Target,
    q: ListQuery,
    extra: Record<string, unknown> = {},
  ) {
    return page.offset === undefined
      ? { data: page.data, next: null, ...extra }
      : {
          data: page.data,
          offset: page.offset,
          next: this.nextPath(target, q, page.offset),
          ...extra,
        };
  }

  private list<T extends { id: string; tags: string[] | null }>(
    items: readonly T[],
    query: URLSearchParams,
    target: Target,
    serialize?: (item: T) => unknown,
  ) {
    const q = this.listQuery(query);
    const page = pageById(items, q.size, q.offset, q.tags);
    const data = serialize ? page.data.map(serialize) : page.data;
    return this.envelope({ ...page, data }, target, q);
  }

  /**
   * A list of an entity without `tags` (oauth2 tokens): kong/api/endpoints.lua only reads `tags`
   * when the schema has the field, so the filter is ignored (not even checked), yet echoed in `next`.
   */
  private listUntagged<T extends { id: string }>(
    items: readonly T[],
    query: URLSearchParams,
    target: Target,
  ) {
    const sizes = query.getAll('size');
    const raw = query.getAll('tags')[0];
    const q: ListQuery = {
      size: parsePageSize(sizes),
      rawSize: sizes[0],
      offset: query.get('offset') ?? undefined,
      tags: raw === undefined ? undefined : { raw, cond: 'and', tags: [] },
    };
    const page = pageById(
      items as readonly (T & { tags: null })[],
      q.size,
      q.offset,
      undefined,
    );
    return this.envelope<T>(page, target, q);
  }

  private listPlugins(
    plugins: readonly KongPlugin[],
    query: URLSearchParams,
    nested?: Target['nested'],
  ) {
    return this.list(plugins, query, { collection: 'plugins', nested }, p =>
      this.plugin(p),
    );
  }

  private plugin(plugin: KongPlugin): unknown {
    // Enterprise plugins can also be scoped to a consumer group.
    return this.enterprise ? { ...plugin, consumer_group: null } : plugin;
  }

  private certificate(certificate: KongCertificate): unknown {
    return {
      ...certificate,
      snis: this.index.certificateSniNames(certificate.id),
    };
  }

  private upstreams(s: string[], query: URLSearchParams): unknown {
    const ix = this.index;
    const [, a, sub, b] = s;
    if (s.length === 1)
      return this.list(ix.upstreams.sorted, query, { collection: 'upstreams' });
    const upstream = ix.upstreams.find(a) ?? this.fail();
    if (s.length === 2) return upstream;
    const targets = ix.targetsByUpstream.get(upstream.id) ?? [];
    const nested = {
      parentCollection: 'upstreams',
      parentId: upstream.id,
      parentSegment: a,
    };
    if (sub === 'targets') {
      if (s.length === 3) {
        const q = this.listQuery(query);
        const page = pageByPosition(targets, q.size, q.offset, q.tags);
        return this.envelope(
          { ...page, data: page.data.map(toKongTarget) },
          { collection: 'targets', nested: { ...nested, child: 'targets' } },
          q,
        );
      }
      const target = targets.find(
        t => t.id === b?.toLowerCase() || t.target === b,
      );
      return target ? toKongTarget(target) : this.fail();
    }
    if (sub === 'health' && s.length === 3) {
      return this.health(upstream, targets, a, query);
    }
    throw notFound();
  }

  /** kong/api/routes/upstreams.lua `/upstreams/:upstreams/health`. */
  private health(
    upstream: KongUpstream,
    targets: KongSandboxTarget[],
    segment: string,
    query: URLSearchParams,
  ) {
    const nodeId = this.index.dataset.node.nodeId;
    const checksOn = upstreamHealthchecksEnabled(upstream);
    const statusOf = (t: KongSandboxTarget): KongTargetHealth =>
      t.health ?? (checksOn ? 'HEALTHY' : 'HEALTHCHECKS_OFF');
    const hostStatus = (t: KongSandboxTarget, healthAsBoolean: boolean) => {
      const { host, port } = splitHostPort(t.target);
      const health = statusOf(t);
      const addresses = (t.addresses ?? [t.target]).map(address => {
        const parsed = splitHostPort(address);
        const entry = { ip: parsed.host, port: parsed.port, weight: t.weight };
        return healthAsBoolean
          ? { ...entry, healthy: health !== 'UNHEALTHY' }
          : { ...entry, health };
      });
      const total = t.weight * addresses.length;
      const unavailable = health === 'UNHEALTHY' ? total : 0;
      return {
        host,
        port,
        dns: host.includes(':') ? 'AAAA' : 'A',
        nodeWeight: t.weight,
        weight: { total, unavailable, available: total - unavailable },
        addresses,
      };
    };

    if (query.get('balancer_health') === '1') {
      const hosts = targets
        .filter(t => statusOf(t) !== 'DNS_ERROR')
        .map(t => hostStatus(t, true));
      const total = hosts.reduce((sum, h) => sum + h.weight.total, 0);
      const unavailable = hosts.reduce(
        (sum, h) => sum + h.weight.unavailable,
        0,
      );
      const healthy =
        total > 0 &&
        ((total - unavailable) / total) * 100 > upstream.healthchecks.threshold;
      const balancerHealth = healthy ? 'HEALTHY' : 'UNHEALTHY';
      return {
        data: {
          health: checksOn ? balancerHealth : 'HEALTHCHECKS_OFF',
          balancer_health: balancerHealth,
          id: upstream.id,
          details: {
            healthy,
            weight: { total, unavailable, available: total - unavailable },
            hosts,
          },
        },
        next: null,
        node_id: nodeId,
      };
    }

    const q = this.listQuery(query);
    const page = pageByPosition(targets, q.size, q.offset, q.tags);
    const data = page.data.map(t => {
      const health = statusOf(t);
      // A target missing from the balancer (DNS failure) has no balancer data.
      return health === 'DNS_ERROR'
        ? { ...toKongTarget(t), health }
        : { ...toKongTarget(t), health, data: hostStatus(t, false) };
    });
    const next =
      page.offset === undefined
        ? null
        : `/upstreams/${escapeUri(segment)}/health?offset=${escapeUri(page.offset)}`;
    return page.offset === undefined
      ? { data, next, node_id: nodeId }
      : { data, offset: page.offset, next, node_id: nodeId };
  }

  private consumers(s: string[], query: URLSearchParams): unknown {
    const ix = this.index;
    const [, a, sub, b] = s;
    if (s.length === 1) {
      const customId = query.get('custom_id');
      if (customId !== null) {
        return {
          data: ix.consumers.sorted.filter(c => c.custom_id === customId),
          next: null,
        };
      }
      return this.list(ix.consumers.sorted, query, { collection: 'consumers' });
    }
    const consumer = ix.consumers.find(a) ?? this.fail();
    if (s.length === 2) return consumer;
    const nested = {
      parentCollection: 'consumers',
      parentId: consumer.id,
      parentSegment: a,
    };
    if (sub === 'plugins') {
      const plugins = ix.pluginsByConsumer.get(consumer.id) ?? [];
      if (s.length === 3)
        return this.listPlugins(plugins, query, {
          ...nested,
          child: 'plugins',
        });
      return this.plugin(
        this.owned(ix.plugins.find(b), p => p.consumer?.id === consumer.id),
      );
    }
    const collections = {
      'key-auth': [ix.keyAuths, 'key-auths'],
      jwt: [ix.jwts, 'jwts'],
      'basic-auth': [ix.basicAuths, 'basic-auths'],
      'hmac-auth': [ix.hmacAuths, 'hmac-auths'],
      acls: [ix.acls, 'acls'],
      oauth2: [ix.oauth2Credentials, 'oauth2'],
    } as const;
    if (Object.hasOwn(collections, sub)) {
      const kind = sub as keyof typeof collections;
      const [collection, name] = collections[kind];
      const credentials = ix.credentialsByConsumer[kind].get(consumer.id) ?? [];
      if (s.length === 3) {
        return this.list(
          credentials as { id: string; tags: string[] | null }[],
          query,
          {
            collection: name,
            nested: { ...nested, child: kind },
          },
        );
      }
      const credential = (collection.find(b) ??
        (kind === 'acls'
          ? credentials.find(c => 'group' in c && c.group === b)
          : undefined)) as { consumer: { id: string } } | undefined;
      return this.owned(credential, c => c.consumer.id === consumer.id);
    }
    throw notFound();
  }

  private credentials<T extends { id: string; tags: string[] | null }>(
    s: string[],
    query: URLSearchParams,
    collection: { sorted: T[]; find(key: string): T | undefined },
  ): unknown {
    const [head, a] = s;
    if (s.length === 1)
      return this.list(collection.sorted, query, { collection: head });
    if (s.length === 2) return collection.find(a) ?? this.fail();
    throw notFound();
  }

  /** `/oauth2[/{id or client_id}[/consumer | /oauth2_tokens[/{token}]]]`. */
  private oauth2Credentials(s: string[], query: URLSearchParams): unknown {
    const ix = this.index;
    const [, a, sub, b] = s;
    if (s.length === 1)
      return this.list(ix.oauth2Credentials.sorted, query, {
        collection: 'oauth2',
      });
    const credential = ix.oauth2Credentials.find(a) ?? this.fail();
    if (s.length === 2) return credential;
    if (sub === 'consumer' && s.length === 3)
      return ix.consumers.get(credential.consumer.id) ?? this.fail();
    if (sub === 'oauth2_tokens') {
      const tokens = ix.oauth2TokensByCredential.get(credential.id) ?? [];
      if (s.length === 3)
        return this.listUntagged(tokens, query, {
          collection: 'oauth2_tokens',
          nested: {
            parentCollection: 'oauth2',
            parentId: credential.id,
            parentSegment: a,
            child: 'oauth2_tokens',
          },
        });
      return this.owned(
        ix.oauth2Tokens.find(b),
        t => t.credential.id === credential.id,
      );
    }
    throw notFound();
  }

  /** `/oauth2_tokens[/{id or access_token}[/credential | /service]]`. */
  private oauth2Tokens(s: string[], query: URLSearchParams): unknown {
    const ix = this.index;
    const [, a, sub] = s;
    if (s.length === 1)
      return this.listUntagged(ix.oauth2Tokens.sorted, query, {
        collection: 'oauth2_tokens',
      });
    const token: KongOAuth2Token = ix.oauth2Tokens.find(a) ?? this.fail();
    if (s.length === 2) return token;
    if (s.length === 3 && sub === 'credential')
      return ix.oauth2Credentials.get(token.credential.id) ?? this.fail();
    if (s.length === 3 && sub === 'service')
      return (
        (token.service && ix.services.get(token.service.id)) ?? this.fail()
      );
    throw notFound();
  }

  private pluginSchema(name: string): unknown {
    const sample = this.index.dataset.plugins.find(
      p => p.name === name,
    )?.config;
    const schema = pluginSchemaResponse(name, sample);
    if (!schema) {
      throw new KongApiError(404, { message: `No plugin named '${name}'` });
    }
    return schema;
  }

  private info(): unknown {
    const { node } = this.index.dataset;
    const available = [
      ...new Set([...KNOWN_PLUGIN_NAMES, ...this.index.enabledPluginNames]),
    ].sort();
    return {
      version: node.version,
      edition: node.edition,
      tagline: 'Welcome to kong',
      node_id: node.nodeId,
      hostname: node.hostname,
      lua_version: 'LuaJIT 2.1.0-20231117',
      pids: { master: 1, workers: [1291, 1292] },
      timers: { running: 0, pending: 6 },
      plugins: {
        available_on_server: Object.fromEntries(
          available.map(name => [
            name,
            {
              version: node.version,
              priority: PLUGIN_PRIORITIES[name] ?? 1000,
            },
          ]),
        ),
        enabled_in_cluster: this.index.enabledPluginNames,
      },
      configuration: {
        database: node.database,
        role: 'traditional',
        router_flavor: 'traditional_compatible',
        admin_listen: ['0.0.0.0:8001', '0.0.0.0:8444 ssl'],
        proxy_listen: ['0.0.0.0:8000', '0.0.0.0:8443 ssl'],
        plugins: ['bundled'],
        loaded_plugins: Object.fromEntries(available.map(name => [name, true])),
        pg_password: '******',
      },
    };
  }

  /** `/status` (kong/api/routes/health.lua): DB-less nodes report a configuration hash instead of the database. */
  private status(): unknown {
    const { node } = this.index.dataset;
    const active = Math.max(this.stats.connectionsActive, 1);
    return {
      ...(node.database === 'off'
        ? {
            configuration_hash:
              node.configurationHash ?? '00000000000000000000000000000000',
          }
        : { database: { reachable: true } }),
      memory: {
        workers_lua_vms: [
          { http_allocated_gc: '43.99 MiB', pid: 1291 },
          { http_allocated_gc: '43.21 MiB', pid: 1292 },
        ],
        lua_shared_dicts: {
          kong: { allocated_slabs: '0.04 MiB', capacity: '5.00 MiB' },
          kong_db_cache: {
            allocated_slabs: '0.80 MiB',
            capacity: '128.00 MiB',
          },
        },
      },
      server: {
        total_requests: this.stats.totalRequests,
        connections_active: active,
        connections_accepted: Math.max(this.stats.connectionsAccepted, 1),
        connections_handled: Math.max(this.stats.connectionsAccepted, 1),
        connections_reading: 0,
        connections_writing: 1,
        connections_waiting: active - 1,
      },
    };
  }
}

function toKongTarget(target: KongSandboxTarget): KongTarget {
  const { health: _health, addresses: _addresses, ...entity } = target;
  return entity;
}
