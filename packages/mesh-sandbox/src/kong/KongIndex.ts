import { isUuid } from './ids';
import type {
  KongAcl,
  KongBasicAuthCredential,
  KongCaCertificate,
  KongCertificate,
  KongConsumer,
  KongDataset,
  KongHmacAuthCredential,
  KongJwtSecret,
  KongKey,
  KongKeyAuthCredential,
  KongKeySet,
  KongOAuth2Credential,
  KongOAuth2Token,
  KongPlugin,
  KongRoute,
  KongSandboxTarget,
  KongService,
  KongSni,
  KongUpstream,
  KongVault,
} from './types';

type WithId = { id: string };

/** PostgreSQL's UUID order, which for lower-case UUIDs is plain string order. */
function byId(a: WithId, b: WithId): number {
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

/** One collection sorted by id, with its lookup maps. */
export class Collection<T extends WithId> {
  readonly sorted: T[];
  private readonly ids = new Map<string, T>();
  private readonly keys = new Map<string, T>();

  constructor(
    items: readonly T[],
    endpointKey?: (item: T) => string | null | undefined,
  ) {
    this.sorted = [...items].sort(byId);
    for (const item of this.sorted) {
      this.ids.set(item.id, item);
      const key = endpointKey?.(item);
      if (key !== null && key !== undefined) this.keys.set(key, item);
    }
  }

  /**
   * Kong's `/{collection}/{id or key}` lookup: a UUID is only ever an id; anything else is the
   * endpoint key (name, username, prefix...).
   */
  find(idOrKey: string): T | undefined {
    return isUuid(idOrKey)
      ? this.ids.get(idOrKey.toLowerCase())
      : this.keys.get(idOrKey);
  }

  get(id: string): T | undefined {
    return this.ids.get(id);
  }
}

function groupSorted<T extends WithId>(
  items: readonly T[],
  keyOf: (item: T) => string | undefined,
) {
  const groups = new Map<string, T[]>();
  for (const item of [...items].sort(byId)) {
    const key = keyOf(item);
    if (key === undefined) continue;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = []));
    group.push(item);
  }
  return groups;
}

/** A dataset arranged the way the Admin API reads it. Built once per dataset. */
export class KongIndex {
  readonly services: Collection<KongService>;
  readonly routes: Collection<KongRoute>;
  readonly plugins: Collection<KongPlugin>;
  readonly upstreams: Collection<KongUpstream>;
  readonly consumers: Collection<KongConsumer>;
  readonly keyAuths: Collection<KongKeyAuthCredential>;
  readonly jwts: Collection<KongJwtSecret>;
  readonly basicAuths: Collection<KongBasicAuthCredential>;
  readonly hmacAuths: Collection<KongHmacAuthCredential>;
  readonly acls: Collection<KongAcl>;
  readonly certificates: Collection<KongCertificate>;
  readonly snis: Collection<KongSni>;
  readonly caCertificates: Collection<KongCaCertificate>;
  readonly vaults: Collection<KongVault>;
  readonly keySets: Collection<KongKeySet>;
  readonly keys: Collection<KongKey>;
  readonly oauth2Credentials: Collection<KongOAuth2Credential>;
  readonly oauth2Tokens: Collection<KongOAuth2Token>;
  readonly keysBySet: Map<string, KongKey[]>;
  readonly oauth2TokensByCredential: Map<string, KongOAuth2Token[]>;
  readonly oauth2TokensByService: Map<string, KongOAuth2Token[]>;
  readonly routesByService: Map<string, KongRoute[]>;
  readonly pluginsByService: Map<string, KongPlugin[]>;
  readonly pluginsByRoute: Map<string, KongPlugin[]>;
  readonly pluginsByConsumer: Map<string, KongPlugin[]>;
  readonly snisByCertificate: Map<string, KongSni[]>;
  /** Per upstream: the active targets, newest first (kong/db/dao/targets.lua). */
  readonly targetsByUpstream: Map<string, KongSandboxTarget[]>;
  readonly credentialsByConsumer: {
    'key-auth': Map<string, KongKeyAuthCredential[]>;
    jwt: Map<string, KongJwtSecret[]>;
    'basic-auth': Map<string, KongBasicAuthCredential[]>;
    'hmac-auth': Map<string, KongHmacAuthCredential[]>;
    acls: Map<string, KongAcl[]>;
    oauth2: Map<string, KongOAuth2Credential[]>;
  };
  readonly enabledPluginNames: string[];

  constructor(readonly dataset: KongDataset) {
    const d = dataset;
    this.services = new Collection(d.services, s => s.name);
    this.routes = new Collection(d.routes, r => r.name);
    this.plugins = new Collection(d.plugins, p => p.instance_name);
    this.upstreams = new Collection(d.upstreams, u => u.name);
    this.consumers = new Collection(d.consumers, c => c.username);
    this.keyAuths = new Collection(d.keyAuthCredentials, c => c.key);
    this.jwts = new Collection(d.jwtSecrets, c => c.key);
    this.basicAuths = new Collection(d.basicAuthCredentials, c => c.username);
    this.hmacAuths = new Collection(d.hmacAuthCredentials, c => c.username);
    this.acls = new Collection(d.acls);
    this.certificates = new Collection(d.certificates);
    this.snis = new Collection(d.snis, s => s.name);
    this.caCertificates = new Collection(d.caCertificates);
    this.vaults = new Collection(d.vaults, v => v.prefix);
    // Endpoint keys: kong/db/schema/entities/{keys,key_sets}.lua, kong/plugins/oauth2/daos.lua.
    this.keySets = new Collection(d.keySets ?? [], s => s.name);
    this.keys = new Collection(d.keys ?? [], k => k.name);
    this.oauth2Credentials = new Collection(
      d.oauth2Credentials ?? [],
      c => c.client_id,
    );
    this.oauth2Tokens = new Collection(
      d.oauth2Tokens ?? [],
      t => t.access_token,
    );
    this.keysBySet = groupSorted(d.keys ?? [], k => k.set?.id);
    this.oauth2TokensByCredential = groupSorted(
      d.oauth2Tokens ?? [],
      t => t.credential.id,
    );
    this.oauth2TokensByService = groupSorted(
      d.oauth2Tokens ?? [],
      t => t.service?.id,
    );

    this.routesByService = groupSorted(d.routes, r => r.service?.id);
    this.pluginsByService = groupSorted(d.plugins, p => p.service?.id);
    this.pluginsByRoute = groupSorted(d.plugins, p => p.route?.id);
    this.pluginsByConsumer = groupSorted(d.plugins, p => p.consumer?.id);
    this.snisByCertificate = groupSorted(d.snis, s => s.certificate.id);
    this.credentialsByConsumer = {
      'key-auth': groupSorted(d.keyAuthCredentials, c => c.consumer.id),
      jwt: groupSorted(d.jwtSecrets, c => c.consumer.id),
      'basic-auth': groupSorted(d.basicAuthCredentials, c => c.consumer.id),
      'hmac-auth': groupSorted(d.hmacAuthCredentials, c => c.consumer.id),
      acls: groupSorted(d.acls, c => c.consumer.id),
      oauth2: groupSorted(d.oauth2Credentials ?? [], c => c.consumer.id),
    };

    this.targetsByUpstream = new Map();
    const history = [...d.targets].sort((a, b) =>
      a.created_at !== b.created_at ? a.created_at - b.created_at : byId(a, b),
    );
    for (const upstream of d.upstreams) {
      const seen = new Set<string>();
      const active: KongSandboxTarget[] = [];
      for (let i = history.length - 1; i >= 0; i--) {
        const entry = history[i];
        if (entry.upstream.id !== upstream.id || seen.has(entry.target))
          continue;
        seen.add(entry.target);
        if (entry.weight > 0) active.push(entry);
      }
      this.targetsByUpstream.set(upstream.id, active);
    }
    this.enabledPluginNames = [...new Set(d.plugins.map(p => p.name))].sort();
  }

  /** `/certificates/{id or SNI name}` (kong/api/routes/certificates.lua). */
  findCertificate(idOrSni: string): KongCertificate | undefined {
    if (isUuid(idOrSni)) {
      return this.certificates.get(idOrSni.toLowerCase());
    }
    const sni = this.snis.find(idOrSni);
    return sni ? this.certificates.get(sni.certificate.id) : undefined;
  }

  certificateSniNames(certificateId: string): string[] {
    return (this.snisByCertificate.get(certificateId) ?? [])
      .map(s => s.name)
      .sort();
  }
}
