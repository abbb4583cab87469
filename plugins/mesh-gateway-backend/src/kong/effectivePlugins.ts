import type {
  KongEffectivePlugin,
  KongPluginInfo,
  KongPluginScope,
} from '@internal/plugin-mesh-gateway-common';

/** Kong's precedence without consumers: route+service > route > service > global. */
function specificity(plugin: KongPluginInfo): number {
  if (plugin.route && plugin.service) return 3;
  if (plugin.route) return 2;
  if (plugin.service) return 1;
  return 0;
}

/** Where a plugin is attached, as shown to the user. */
export function pluginScope(plugin: {
  route?: unknown;
  service?: unknown;
  consumer?: unknown;
  consumer_group?: unknown;
}): KongPluginScope {
  if (plugin.consumer) return 'consumer';
  if (plugin.consumer_group) return 'consumer-group';
  if (plugin.route) return 'route';
  if (plugin.service) return 'service';
  return 'global';
}

/** Whether a plugin (without a consumer or consumer group) can run for this route of this service. */
export function appliesToRoute(
  plugin: KongPluginInfo,
  routeId: string,
  serviceId: string,
): boolean {
  if (plugin.route && plugin.route !== routeId) return false;
  if (plugin.service && plugin.service !== serviceId) return false;
  return true;
}

/**
 * The plugins that run for one route, one per plugin name. Kong loads only enabled plugins and,
 * among same-named ones, the most specific wins; a disabled plugin therefore overrides nothing.
 * Plugin names with no enabled instance are listed through their most specific disabled one.
 */
export function effectivePluginsForRoute(
  plugins: KongPluginInfo[],
  routeId: string,
  serviceId: string,
): { plugins: KongEffectivePlugin[]; consumerPlugins: string[] } {
  const byName = new Map<string, KongPluginInfo[]>();
  const consumerPlugins = new Set<string>();
  for (const plugin of plugins) {
    // Who calls decides whether these run; they are noted for the route, not resolved.
    if (plugin.consumer || plugin.consumer_group) {
      if (!plugin.route && !plugin.service) consumerPlugins.add(plugin.name);
      else if (appliesToRoute(plugin, routeId, serviceId)) consumerPlugins.add(plugin.name);
      continue;
    }
    if (!appliesToRoute(plugin, routeId, serviceId)) continue;
    const list = byName.get(plugin.name) ?? [];
    list.push(plugin);
    byName.set(plugin.name, list);
  }

  const effective: KongEffectivePlugin[] = [];
  for (const [name, candidates] of byName) {
    const ordered = [...candidates].sort((a, b) => specificity(b) - specificity(a));
    const enabled = ordered.filter(p => p.enabled);
    const winner = enabled[0] ?? ordered[0];
    effective.push({
      name,
      pluginId: winner.id,
      scope: winner.scope,
      enabled: winner.enabled,
      overrides: enabled.slice(1).map(p => p.id),
    });
  }
  effective.sort((a, b) => a.name.localeCompare(b.name));
  return { plugins: effective, consumerPlugins: [...consumerPlugins].sort() };
}
