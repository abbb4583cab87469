/**
 * What the backend returns for Kong. Field names follow the Kong Admin API so that an engineer
 * who knows Kong recognises them. Secrets are already replaced by {@link REDACTED}.
 */

/** Replaces a secret value wherever one would be shown. @public */
export const REDACTED = '<redacted>';

/** @public */
export interface KongServiceInfo {
  id: string;
  name?: string | null;
  host: string;
  port: number;
  protocol: string;
  path?: string | null;
  retries?: number;
  connect_timeout?: number;
  read_timeout?: number;
  write_timeout?: number;
  enabled?: boolean;
  tags?: string[] | null;
}

/** @public */
export interface KongRouteInfo {
  id: string;
  name?: string | null;
  protocols: string[];
  methods?: string[] | null;
  hosts?: string[] | null;
  paths?: string[] | null;
  headers?: Record<string, string[]> | null;
  snis?: string[] | null;
  strip_path?: boolean;
  preserve_host?: boolean;
  https_redirect_status_code?: number;
  tags?: string[] | null;
}

/** Where a plugin is attached. @public */
export type KongPluginScope = 'route' | 'service' | 'global' | 'consumer' | 'consumer-group';

/** @public */
export interface KongPluginInfo {
  id: string;
  name: string;
  instance_name?: string | null;
  enabled: boolean;
  scope: KongPluginScope;
  route?: string | null;
  service?: string | null;
  consumer?: string | null;
  /** Kong Enterprise: the consumer group the plugin is scoped to. */
  consumer_group?: string | null;
  protocols?: string[];
  /** Configuration with secret fields replaced by {@link REDACTED}. */
  config: Record<string, unknown>;
  tags?: string[] | null;
}

/** A plugin as it applies to one route, with the scope it came from. @public */
export interface KongEffectivePlugin {
  name: string;
  pluginId: string;
  scope: KongPluginScope;
  enabled: boolean;
  /** Ids of same-named plugins at a broader scope that this one overrides. */
  overrides: string[];
}

/** @public */
export interface KongRouteView extends KongRouteInfo {
  /** The plugins that run for this route, one per plugin name, the narrowest scope winning. */
  plugins: KongEffectivePlugin[];
  /** Names of consumer- and consumer-group-scoped plugins that may also apply, depending on who calls. */
  consumerPlugins: string[];
}

/** @public */
export type KongTargetHealth =
  | 'HEALTHY'
  | 'UNHEALTHY'
  | 'DNS_ERROR'
  | 'HEALTHCHECKS_OFF';

/** @public */
export interface KongUpstreamView {
  id: string;
  name: string;
  targets: { target: string; weight: number; health: KongTargetHealth }[];
}

/** @public */
export interface KongNodeStatus {
  databaseReachable?: boolean;
  configurationHash?: string;
  connectionsActive?: number;
  totalRequests?: number;
}

/** One Kong service of the entity on one instance. @public */
export interface KongServiceView {
  instance: string;
  workspace?: string;
  /** Deep link into Kong Manager when configured. */
  managerUrl?: string;
  service: KongServiceInfo;
  routes: KongRouteView[];
  /** Every plugin that applies to the service or its routes, global ones included. */
  plugins: KongPluginInfo[];
  upstream?: KongUpstreamView;
}

/** @public */
export interface KongSection {
  services: KongServiceView[];
  /** Node status per instance that was asked. */
  nodes: { instance: string; status?: KongNodeStatus; error?: string }[];
}
