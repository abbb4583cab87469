import type { Entity } from '@backstage/catalog-model';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  KongNodeStatus,
  KongPluginInfo,
  KongRouteView,
  KongSection,
  KongServiceRef,
  KongServiceView,
  KongUpstreamView,
  MESH_GATEWAY_ANNOTATIONS,
  parseKongServiceRefs,
  parseKongTags,
  SectionError,
  SectionResult,
  sortFindings,
} from '@internal/plugin-mesh-gateway-common';
import { toSectionError, UpstreamError } from '../http/UpstreamError';
import type { UpstreamPolicyOptions } from '../http/UpstreamPolicy';
import { TtlMemo } from '../service/TtlMemo';
import type { SectionProvider } from '../service/SectionProvider';
import { analyseKongService } from './analysis';
import type { KongInstanceConfig } from './config';
import { effectivePluginsForRoute, pluginScope } from './effectivePlugins';
import { KongAdminClient } from './KongAdminClient';
import {
  KongServiceEntity,
  kongPluginSchema,
  kongRouteSchema,
  kongServiceSchema,
  kongStatusSchema,
  kongNamedSchema,
  kongTargetHealthSchema,
  parseKong,
  parseKongList,
} from './kongEntities';
import { ConfigPath, redactPluginConfig, secretPathsFromPluginSchema } from './redaction';

const MAX_REMEMBERED_HOSTS = 10_000;

/**
 * An instance's plugins indexed by the route and service they are attached to, so that a view
 * picks its plugins in time proportional to its routes, not to every plugin of the instance.
 */
interface PluginIndex {
  /** Global and consumer-only plugins, then those of the service and of the routes, in Kong's order. */
  forService(serviceId: string, routeIds: string[]): KongPluginInfo[];
}

function indexPlugins(all: KongPluginInfo[]): PluginIndex {
  const unscoped: number[] = [];
  const byRoute = new Map<string, number[]>();
  const byService = new Map<string, number[]>();
  const add = (map: Map<string, number[]>, key: string, i: number) => {
    const list = map.get(key);
    if (list) list.push(i);
    else map.set(key, [i]);
  };
  all.forEach((plugin, i) => {
    if (plugin.route) add(byRoute, plugin.route, i);
    if (plugin.service) add(byService, plugin.service, i);
    if (!plugin.route && !plugin.service) unscoped.push(i);
  });
  return {
    forService(serviceId, routeIds) {
      const picked = new Set<number>(unscoped);
      for (const i of byService.get(serviceId) ?? []) picked.add(i);
      for (const routeId of routeIds) for (const i of byRoute.get(routeId) ?? []) picked.add(i);
      return [...picked].sort((a, b) => a - b).map(i => all[i]);
    },
  };
}

/** An upstream health request started from a service's last known host. */
interface UpstreamRequest {
  host: string;
  request: Promise<KongUpstreamView | undefined>;
}

/** What an entity selects on one instance: named services and/or tag sets. */
interface Selection {
  client: KongAdminClient;
  services: string[];
  tags?: string[];
}

export interface KongSectionProviderOptions {
  instances: KongInstanceConfig[];
  logger: LoggerService;
  /** How long instance-wide lists (all plugins) are reused across entities. */
  instanceListTtlMs?: number;
  /** Concurrency, retries and circuit breaker of each instance. */
  policy?: UpstreamPolicyOptions;
}

/**
 * The Kong section: the entity's Kong services with their routes, the plugins that apply to
 * each route, upstream target health and node status, analysed against the baseline.
 *
 * Admin API calls per entity do not grow with the number of routes: per service one call for
 * the service, its routes (paged), its upstream, plus instance-wide lists shared by all
 * entities (all plugins, plugin schemas, node status).
 */
export class KongSectionProvider implements SectionProvider<'kong'> {
  readonly section = 'kong' as const;
  private readonly clients: Map<string, KongAdminClient>;
  private readonly logger: LoggerService;
  private readonly pluginLists: TtlMemo<PluginIndex>;
  private readonly schemaPaths = new TtlMemo<ConfigPath[]>(60 * 60 * 1000);
  private readonly statuses: TtlMemo<KongNodeStatus>;
  private readonly upstreamNames: TtlMemo<string[]>;
  /**
   * The host each named service had when last read: a refresh asks for that upstream's health
   * alongside the service instead of after it, and asks again only if the host has changed.
   */
  private readonly lastHosts = new Map<string, string>();

  constructor(options: KongSectionProviderOptions) {
    this.logger = options.logger;
    this.clients = new Map(
      options.instances.map(instance => [instance.name, new KongAdminClient(instance, options.policy)]),
    );
    const ttl = options.instanceListTtlMs ?? 60_000;
    this.pluginLists = new TtlMemo(ttl);
    this.statuses = new TtlMemo(ttl);
    this.upstreamNames = new TtlMemo(ttl);
  }

  /**
   * Reloads the instance-wide lists (all plugins, node status) of every instance, so that an
   * entity's first view does not wait for them. Run by the scheduler; failures are logged only.
   */
  async refreshInstanceLists(): Promise<void> {
    await Promise.all(
      [...this.clients.values()].map(async client => {
        const name = client.instance.name;
        try {
          await Promise.all([
            this.pluginLists.refresh(name, () => this.loadPlugins(client).then(indexPlugins)),
            this.statuses.refresh(name, () => this.loadStatus(client)),
            this.upstreamNames.refresh(name, () => this.loadUpstreamNames(client)),
          ]);
        } catch (error) {
          this.logger.warn(`Kong ${name}: background refresh failed: ${toSectionError(error).message}`);
        }
      }),
    );
  }

  async getSection(entity: Entity): Promise<SectionResult<KongSection>> {
    const fetchedAt = new Date().toISOString();
    const annotations = entity.metadata.annotations ?? {};
    const servicesAnnotation = annotations[MESH_GATEWAY_ANNOTATIONS.kongServices];
    const tagsAnnotation = annotations[MESH_GATEWAY_ANNOTATIONS.kongTags];
    const base = { section: this.section, findings: [], fetchedAt };

    if (!servicesAnnotation && !tagsAnnotation) {
      return {
        ...base,
        status: 'not-configured',
        missing: {
          annotations: [MESH_GATEWAY_ANNOTATIONS.kongServices, MESH_GATEWAY_ANNOTATIONS.kongTags],
        },
      };
    }
    if (this.clients.size === 0) {
      return {
        ...base,
        status: 'not-configured',
        missing: { configKey: 'meshGateway.kong.instances' },
      };
    }

    let selections: Selection[];
    try {
      selections = this.select(servicesAnnotation, tagsAnnotation);
    } catch (error) {
      return {
        ...base,
        status: 'error',
        errors: [{ name: 'bad-annotation', message: (error as Error).message }],
      };
    }

    const errors: SectionError[] = [];
    const views: KongServiceView[] = [];
    // Node status is read alongside the services, so a slow node costs one timeout, not two.
    const [results, nodes] = await Promise.all([
      Promise.allSettled(selections.map(selection => this.loadSelection(selection, errors))),
      Promise.all(
        [...new Set(selections.map(s => s.client))].map(async client => {
          try {
            const status = await this.statuses.get(client.instance.name, () =>
              this.loadStatus(client),
            );
            return { instance: client.instance.name, status };
          } catch (error) {
            return { instance: client.instance.name, error: toSectionError(error).message };
          }
        }),
      ),
    ]);
    for (const result of results) {
      if (result.status === 'fulfilled') views.push(...result.value);
      else errors.push(toSectionError(result.reason));
    }

    for (const error of errors) {
      this.logger.warn(`Kong section of ${entity.metadata.name}: ${error.message}`);
    }
    const failedEverything = views.length === 0 && errors.length > 0;
    return {
      ...base,
      status: failedEverything ? 'error' : 'ok',
      data: failedEverything ? undefined : { services: views, nodes },
      errors: errors.length > 0 ? errors : undefined,
      findings: sortFindings(views.flatMap(analyseKongService)),
    };
  }

  private select(servicesAnnotation?: string, tagsAnnotation?: string): Selection[] {
    const byInstance = new Map<string, Selection>();
    const selectionFor = (instanceName: string | undefined) => {
      const client = instanceName
        ? this.clients.get(instanceName)
        : this.clients.values().next().value;
      if (!client) {
        throw new Error(
          `instance "${instanceName}" is not one of meshGateway.kong.instances (${[...this.clients.keys()].join(', ')})`,
        );
      }
      const existing = byInstance.get(client.instance.name);
      if (existing) return existing;
      const created: Selection = { client, services: [] };
      byInstance.set(client.instance.name, created);
      return created;
    };

    if (servicesAnnotation) {
      let refs: KongServiceRef[];
      try {
        refs = parseKongServiceRefs(servicesAnnotation);
      } catch (error) {
        throw new Error(`${MESH_GATEWAY_ANNOTATIONS.kongServices}: ${(error as Error).message}`);
      }
      for (const ref of refs) {
        const selection = selectionFor(ref.instance);
        if (!selection.services.includes(ref.service)) selection.services.push(ref.service);
      }
    }
    if (tagsAnnotation) {
      let tags: string[];
      try {
        tags = parseKongTags(tagsAnnotation);
      } catch (error) {
        throw new Error(`${MESH_GATEWAY_ANNOTATIONS.kongTags}: ${(error as Error).message}`);
      }
      // Tags select on every instance: the same team tags are used across gateways.
      for (const client of this.clients.values()) {
        selectionFor(client.instance.name).tags = tags;
      }
    }
    return [...byInstance.values()];
  }

  private async loadSelection(
    selection: Selection,
    errors: SectionError[],
  ): Promise<KongServiceView[]> {
    const { client } = selection;
    const instance = client.instance.name;
    // Everything that does not depend on the service body is asked for at once: the service,
    // its routes (Kong nests by name as well as by id) and the instance-wide plugin list.
    const plugins = this.pluginLists.get(instance, () => this.loadPlugins(client).then(indexPlugins));
    plugins.catch(() => {});
    const upstreams = this.upstreamNames.get(instance, () => this.loadUpstreamNames(client));
    upstreams.catch(() => {});
    const named = selection.services.map(name => {
      const path = `/services/${encodeURIComponent(name)}`;
      const routes = client.list<unknown>(`${path}/routes`);
      routes.catch(() => {});
      const hintKey = `${instance}\u0000${name}`;
      const lastHost = this.lastHosts.get(hintKey);
      const upstream = lastHost === undefined ? undefined : { host: lastHost, request: this.loadUpstream(client, lastHost, upstreams) };
      upstream?.request.catch(() => {});
      const service = client.get<unknown>(path).then(raw => {
        if (raw === undefined) {
          throw new UpstreamError({
            kind: 'not-found',
            instance,
            message: `Kong service "${name}" does not exist on instance ${instance}`,
          });
        }
        const parsed = parseKong(kongServiceSchema, raw, `${instance} ${path}`);
        this.rememberHost(hintKey, parsed.host);
        return parsed;
      });
      return { service, routes, upstream };
    });
    const tagged = selection.tags
      ? client
          .list<unknown>('/services', { tags: selection.tags.join(',') })
          .then(items => parseKongList(kongServiceSchema, items, `${instance} /services`))
      : Promise.resolve([]);

    const found: { service: KongServiceEntity; routes?: Promise<unknown[]>; upstream?: UpstreamRequest }[] = [];
    const add = (service: KongServiceEntity, routes?: Promise<unknown[]>, upstream?: UpstreamRequest) => {
      if (!found.some(f => f.service.id === service.id)) found.push({ service, routes, upstream });
    };
    const namedResults = await Promise.allSettled(named.map(n => n.service));
    namedResults.forEach((result, i) => {
      if (result.status === 'rejected') errors.push(toSectionError(result.reason));
      else add(result.value, named[i].routes, named[i].upstream);
    });
    const taggedResult = await Promise.allSettled([tagged]);
    if (taggedResult[0].status === 'rejected') errors.push(toSectionError(taggedResult[0].reason));
    else taggedResult[0].value.forEach(service => add(service));
    if (found.length === 0) return [];

    const views = await Promise.allSettled(
      found.map(async ({ service, routes, upstream }) =>
        this.loadServiceView(
          client,
          service,
          await plugins,
          routes ?? client.list<unknown>(`/services/${service.id}/routes`),
          upstream?.host === service.host ? upstream.request : this.loadUpstream(client, service.host, upstreams),
        ),
      ),
    );
    return views.flatMap(result => {
      if (result.status === 'fulfilled') return [result.value];
      errors.push(toSectionError(result.reason));
      return [];
    });
  }

  private async loadServiceView(
    client: KongAdminClient,
    service: KongServiceEntity,
    allPlugins: PluginIndex,
    routesRequest: Promise<unknown[]>,
    upstreamRequest: Promise<KongUpstreamView | undefined>,
  ): Promise<KongServiceView> {
    const instance = client.instance.name;
    const [rawRoutes, upstream] = await Promise.all([routesRequest, upstreamRequest]);
    const routes = parseKongList(kongRouteSchema, rawRoutes, `${instance} /services/${service.id}/routes`);
    const plugins = allPlugins.forService(service.id, routes.map(r => r.id));

    const routeViews: KongRouteView[] = routes.map(({ service: _service, ...route }) => ({
      ...route,
      ...effectivePluginsForRoute(plugins, route.id, service.id),
    }));

    const { tags, ...rest } = service;
    return {
      instance,
      workspace: client.instance.workspace,
      managerUrl: client.instance.managerUrl
        ? managerLink(client.instance, service.id)
        : undefined,
      service: { ...rest, tags },
      routes: routeViews,
      plugins,
      upstream,
    };
  }

  private rememberHost(key: string, host: string): void {
    this.lastHosts.delete(key);
    if (this.lastHosts.size >= MAX_REMEMBERED_HOSTS) {
      const oldest = this.lastHosts.keys().next().value;
      if (oldest !== undefined) this.lastHosts.delete(oldest);
    }
    this.lastHosts.set(key, host);
  }

  /**
   * A service host names an upstream when an upstream of that name exists; its health list is
   * asked for directly (404: no such upstream), one call instead of two.
   */
  private async loadUpstream(
    client: KongAdminClient,
    host: string,
    upstreamNames: Promise<string[]>,
  ): Promise<KongUpstreamView | undefined> {
    const instance = client.instance.name;
    // The instance's upstream names (a short list, shared by all entities) say whether the host
    // is an upstream at all; when they cannot be read, the health call finds out.
    const known = await upstreamNames.catch(() => undefined);
    if (known && !known.includes(host)) return undefined;
    const path = `/upstreams/${encodeURIComponent(host)}/health`;
    const health = await client.listOrUndefined<unknown>(path);
    if (health === undefined) return undefined;
    const targets = parseKongList(kongTargetHealthSchema, health, `${instance} ${path}`);
    const upstreamId = (health[0] as { upstream?: { id?: string } } | undefined)?.upstream?.id;
    return { id: upstreamId ?? host, name: host, targets };
  }

  private async loadUpstreamNames(client: KongAdminClient): Promise<string[]> {
    const raw = await client.list<unknown>('/upstreams');
    return parseKongList(kongNamedSchema, raw, `${client.instance.name} /upstreams`).map(u => u.name);
  }

  private async loadPlugins(client: KongAdminClient): Promise<KongPluginInfo[]> {
    const instance = client.instance.name;
    const raw = await client.list<unknown>('/plugins');
    const parsed = parseKongList(kongPluginSchema, raw, `${instance} /plugins`);
    const names = [...new Set(parsed.map(p => p.name))];
    const pathsByName = new Map(
      await Promise.all(
        names.map(async name => [name, await this.secretPaths(client, name)] as const),
      ),
    );
    return parsed.map(plugin => ({
      id: plugin.id,
      name: plugin.name,
      instance_name: plugin.instance_name,
      enabled: plugin.enabled,
      scope: pluginScope(plugin),
      route: plugin.route?.id ?? null,
      service: plugin.service?.id ?? null,
      consumer: plugin.consumer?.id ?? null,
      consumer_group: plugin.consumer_group?.id ?? null,
      protocols: plugin.protocols,
      config: redactPluginConfig(plugin.name, plugin.config, pathsByName.get(plugin.name)),
      tags: plugin.tags,
    }));
  }

  /** Secret fields from the plugin's schema; when the schema cannot be read the static list still applies. */
  private async secretPaths(client: KongAdminClient, name: string): Promise<ConfigPath[]> {
    try {
      return await this.schemaPaths.get(`${client.instance.name}:${name}`, async () =>
        secretPathsFromPluginSchema(
          // Schemas are node-wide: Kong Enterprise serves them without a workspace prefix.
          await client.getNode<unknown>(`/schemas/plugins/${encodeURIComponent(name)}`),
        ),
      );
    } catch (error) {
      this.logger.warn(
        `Kong ${client.instance.name}: schema of plugin ${name} unavailable (${toSectionError(error).message}); redacting by the static list`,
      );
      return [];
    }
  }

  private async loadStatus(client: KongAdminClient): Promise<KongNodeStatus> {
    const raw = await client.getNode<unknown>('/status');
    const status = parseKong(kongStatusSchema, raw, `${client.instance.name} /status`);
    return {
      databaseReachable: status.database?.reachable,
      configurationHash: status.configuration_hash,
      connectionsActive: status.server?.connections_active,
      totalRequests: status.server?.total_requests,
    };
  }
}

function managerLink(instance: KongInstanceConfig, serviceId: string): string {
  const base = instance.managerUrl!.replace(/\/+$/, '');
  const workspace = encodeURIComponent(instance.workspace ?? 'default');
  return `${base}/${workspace}/services/${serviceId}`;
}
