import type { KongPluginInfo } from '@internal/plugin-mesh-gateway-common';
import { effectivePluginsForRoute, pluginScope } from './effectivePlugins';

const plugin = (p: Partial<KongPluginInfo> & { id: string; name: string }): KongPluginInfo => ({
  enabled: true,
  config: {},
  route: null,
  service: null,
  consumer: null,
  ...p,
  scope: pluginScope(p),
});

describe('effectivePluginsForRoute', () => {
  const all = [
    plugin({ id: 'g-rl', name: 'rate-limiting' }),
    plugin({ id: 's-rl', name: 'rate-limiting', service: 'svc' }),
    plugin({ id: 'r-rl', name: 'rate-limiting', route: 'r1' }),
    plugin({ id: 'rs-rl', name: 'rate-limiting', route: 'r2', service: 'svc' }),
    plugin({ id: 'g-prom', name: 'prometheus' }),
    plugin({ id: 'other-svc', name: 'jwt', service: 'other' }),
    plugin({ id: 'other-route', name: 'cors', route: 'r9' }),
    plugin({ id: 'r-otel-off', name: 'opentelemetry', route: 'r1', enabled: false }),
    plugin({ id: 'g-otel', name: 'opentelemetry' }),
    plugin({ id: 's-jwt-off', name: 'jwt', service: 'svc', enabled: false }),
    plugin({ id: 'c-acl', name: 'acl', consumer: 'c1' }),
    plugin({ id: 'cr-rl', name: 'request-size-limiting', consumer: 'c1', route: 'r1' }),
  ];

  it('lets the route-scoped plugin win over service and global ones', () => {
    const { plugins } = effectivePluginsForRoute(all, 'r1', 'svc');
    expect(plugins.find(p => p.name === 'rate-limiting')).toEqual({
      name: 'rate-limiting',
      pluginId: 'r-rl',
      scope: 'route',
      enabled: true,
      overrides: ['s-rl', 'g-rl'],
    });
  });

  it('ranks route+service above route, service and global', () => {
    const { plugins } = effectivePluginsForRoute(all, 'r2', 'svc');
    expect(plugins.find(p => p.name === 'rate-limiting')?.pluginId).toBe('rs-rl');
  });

  it('uses the service-scoped plugin when the route has none', () => {
    const { plugins } = effectivePluginsForRoute(all, 'r3', 'svc');
    expect(plugins.find(p => p.name === 'rate-limiting')?.pluginId).toBe('s-rl');
  });

  it('does not let a disabled plugin override an enabled broader one', () => {
    const { plugins } = effectivePluginsForRoute(all, 'r1', 'svc');
    expect(plugins.find(p => p.name === 'opentelemetry')).toMatchObject({
      pluginId: 'g-otel',
      scope: 'global',
      enabled: true,
    });
  });

  it('lists a plugin with no enabled instance as disabled', () => {
    const { plugins } = effectivePluginsForRoute(all, 'r1', 'svc');
    expect(plugins.find(p => p.name === 'jwt')).toMatchObject({ pluginId: 's-jwt-off', enabled: false });
  });

  it('ignores plugins of other services and routes', () => {
    const names = effectivePluginsForRoute(all, 'r1', 'svc').plugins.map(p => p.name);
    expect(names).not.toContain('cors');
    expect(names).toEqual(['jwt', 'opentelemetry', 'prometheus', 'rate-limiting']);
  });

  it('notes consumer-scoped plugins without expanding them', () => {
    expect(effectivePluginsForRoute(all, 'r1', 'svc').consumerPlugins).toEqual(['acl', 'request-size-limiting']);
    expect(effectivePluginsForRoute(all, 'r2', 'svc').consumerPlugins).toEqual(['acl']);
  });

  it('notes consumer-group plugins (Kong Enterprise) instead of letting them win', () => {
    const withGroups = [
      ...all,
      plugin({ id: 'cg-rl', name: 'rate-limiting', consumer_group: 'premium', route: 'r1' }),
      plugin({ id: 'cg-key', name: 'key-auth', consumer_group: 'premium' }),
    ];
    expect(pluginScope({ consumer_group: 'premium' })).toBe('consumer-group');
    const { plugins, consumerPlugins } = effectivePluginsForRoute(withGroups, 'r1', 'svc');
    expect(plugins.find(p => p.name === 'rate-limiting')?.pluginId).toBe('r-rl');
    expect(plugins.map(p => p.name)).not.toContain('key-auth');
    expect(consumerPlugins).toEqual(['acl', 'key-auth', 'rate-limiting', 'request-size-limiting']);
  });
});
