import { KongDatasetBuilder, KongDatasetBuilderOptions } from './dataset';
import {
  SANDBOX_EDGE_CERTIFICATE,
  SANDBOX_EDGE_PRIVATE_KEY,
} from './sandboxCertificate';
import type { KongDataset } from './types';

/** The Kubernetes namespace of the architecture documents' services. @public */
export const ADR_NAMESPACE = 'parallel-ai';

/** The three services of the architecture documents and the team owning each. @public */
export const ADR_SERVICES = [
  { name: 'ai-agent-service', team: 'ai-platform', path: '/api/v1/ai-agent' },
  {
    name: 'analytics-service',
    team: 'data-insights',
    path: '/api/v1/analytics',
  },
  { name: 'user-service', team: 'identity', path: '/api/v1/users' },
] as const;

/** The upstream analytics-service is balanced over (one healthy, one unhealthy target). @public */
export const ADR_ANALYTICS_UPSTREAM = 'analytics-upstream';

/** The host name TLS is terminated for at the edge. @public */
export const ADR_EDGE_HOST = 'api.parallel-ai.example.com';

/**
 * Every secret value the ADR dataset holds. The sandbox serves them as Kong would; a test of the
 * backend can assert that none of them reaches a response or a log line.
 *
 * @public
 */
export const ADR_KONG_SECRETS = {
  rateLimitingRedisPassword: 'sbx-redis-7c1e5f0a9d2b4863',
  mobileAppKeyAuthKey: 'sbx-mobile-app-key-4b8d2e6f1a3c5907',
  opentelemetryAuthorization: 'Bearer sbx-otel-token-9e2d4c6a8b0f1357',
  certificatePrivateKey: SANDBOX_EDGE_PRIVATE_KEY,
} as const;

/** @public */
export interface AdrKongDatasetOptions extends KongDatasetBuilderOptions {}

function serviceTags(name: string, team: string): string[] {
  return [`team:${team}`, `service:${name}`];
}

/**
 * The Kong configuration the architecture documents describe, as one Kong workspace would hold it:
 * `ai-agent-service`, `analytics-service` and `user-service` of namespace `parallel-ai`, each with
 * its route (`/api/v1/<service>`, GET and POST, `strip_path: false`, HTTPS only), jwt and
 * request-transformer plugins; prometheus and opentelemetry globally; rate-limiting (Redis) on
 * ai-agent-service; consumer `mobile-app` with a key-auth credential; analytics-service balanced
 * over `analytics-upstream` (one target healthy, one not). Two deliberate faults for the demo:
 * the user-service route also accepts plain HTTP, and analytics-service's route disables tracing.
 *
 * @public
 */
export function buildAdrKongDataset(
  options: AdrKongDatasetOptions = {},
): KongDataset {
  const kong = new KongDatasetBuilder(options);

  kong.addVault({
    name: 'env',
    prefix: 'mesh-env',
    description:
      'Environment variables of the Kong pods (secrets mounted from Kubernetes)',
    config: { prefix: 'KONG_SECRET_', base64_decode: false },
    tags: ['team:platform'],
  });

  kong.addCertificate({
    cert: SANDBOX_EDGE_CERTIFICATE,
    key: SANDBOX_EDGE_PRIVATE_KEY,
    tags: ['team:platform', 'managed-by:cert-manager'],
    snis: [{ name: ADR_EDGE_HOST, tags: ['team:platform'] }],
  });

  const analyticsUpstream = kong.addUpstream({
    name: ADR_ANALYTICS_UPSTREAM,
    tags: serviceTags('analytics-service', 'data-insights'),
    healthchecks: {
      active: {
        http_path: '/healthz',
        timeout: 2,
        healthy: { interval: 5, successes: 2 },
        unhealthy: {
          interval: 5,
          http_failures: 3,
          tcp_failures: 3,
          timeouts: 3,
        },
      },
      passive: {
        healthy: { successes: 5 },
        unhealthy: { http_failures: 5, tcp_failures: 2, timeouts: 3 },
      },
    },
  });
  kong.addTarget({
    upstream: analyticsUpstream.id,
    target: '10.42.1.17:8080',
    tags: serviceTags('analytics-service', 'data-insights'),
    health: 'HEALTHY',
  });
  kong.addTarget({
    upstream: analyticsUpstream.id,
    target: '10.42.2.23:8080',
    tags: serviceTags('analytics-service', 'data-insights'),
    health: 'UNHEALTHY',
  });

  for (const { name, team, path } of ADR_SERVICES) {
    const tags = serviceTags(name, team);
    const service = kong.addService({
      name,
      protocol: 'http',
      host:
        name === 'analytics-service'
          ? ADR_ANALYTICS_UPSTREAM
          : `${name}.${ADR_NAMESPACE}.svc.cluster.local`,
      port: 8080,
      retries: 3,
      connect_timeout: 30000,
      read_timeout: 30000,
      write_timeout: 30000,
      tags,
    });
    const route = kong.addRoute({
      name: `${name}-api`,
      service: service.id,
      paths: [path],
      methods: ['GET', 'POST'],
      strip_path: false,
      protocols: name === 'user-service' ? ['http', 'https'] : ['https'],
      tags,
    });
    kong.addPlugin({
      name: 'jwt',
      service: service.id,
      config: {
        claims_to_verify: ['exp'],
        key_claim_name: 'iss',
        header_names: ['authorization'],
      },
      tags,
    });
    kong.addPlugin({
      name: 'request-transformer',
      service: service.id,
      config: { add: { headers: ['x-request-source:kong-gateway'] } },
      tags,
    });
    if (name === 'ai-agent-service') {
      kong.addPlugin({
        name: 'rate-limiting',
        service: service.id,
        config: {
          minute: 6000,
          hour: 300000,
          limit_by: 'consumer',
          policy: 'redis',
          redis: {
            host: `redis-master.${ADR_NAMESPACE}.svc.cluster.local`,
            port: 6379,
            password: ADR_KONG_SECRETS.rateLimitingRedisPassword,
          },
        },
        tags,
      });
    }
    if (name === 'analytics-service') {
      kong.addPlugin({
        name: 'opentelemetry',
        route: route.id,
        enabled: false,
        config: {
          traces_endpoint:
            'http://jaeger-collector.observability.svc.cluster.local:4318/v1/traces',
        },
        tags,
      });
    }
  }

  kong.addPlugin({
    name: 'prometheus',
    config: {
      status_code_metrics: true,
      latency_metrics: true,
      bandwidth_metrics: true,
      upstream_health_metrics: true,
    },
    tags: ['team:platform'],
  });
  kong.addPlugin({
    name: 'opentelemetry',
    config: {
      traces_endpoint:
        'http://jaeger-collector.observability.svc.cluster.local:4318/v1/traces',
      headers: { Authorization: ADR_KONG_SECRETS.opentelemetryAuthorization },
      resource_attributes: { 'service.name': 'kong-gateway' },
      sampling_rate: 0.1,
      propagation: { default_format: 'b3' },
    },
    tags: ['team:platform'],
  });

  const mobileApp = kong.addConsumer({
    username: 'mobile-app',
    tags: ['team:mobile'],
  });
  kong.addKeyAuth({
    consumer: mobileApp.id,
    key: ADR_KONG_SECRETS.mobileAppKeyAuthKey,
    tags: ['team:mobile'],
  });

  return kong.build();
}

/** Plugins spread over the generated routes and services, one of each name per scope at most. */
const SCALE_PLUGIN_NAMES = [
  'request-transformer',
  'rate-limiting',
  'cors',
  'correlation-id',
  'response-transformer',
  'ip-restriction',
  'request-size-limiting',
  'acl',
  'key-auth',
  'jwt',
] as const;

const SCALE_ROUTES_PER_SERVICE = 10;

/** @public */
export interface ScaleOptions {
  /** Extra routes to add (10 per extra service). */
  routes: number;
  /** Extra plugins to add, spread over the extra routes and services. */
  plugins: number;
}

function scalePluginConfig(
  name: (typeof SCALE_PLUGIN_NAMES)[number],
  i: number,
): Record<string, unknown> {
  switch (name) {
    case 'rate-limiting':
      return { minute: 1000 + (i % 100) };
    case 'acl':
      return { allow: ['scale-clients'] };
    case 'ip-restriction':
      return { allow: ['10.0.0.0/8'] };
    case 'jwt':
      return { claims_to_verify: ['exp'] };
    default:
      return {};
  }
}

/**
 * A copy of `base` with `routes` more routes (on `ceil(routes / 10)` new services) and `plugins`
 * more plugins spread round-robin over the new routes, then the new services. For benchmarks of
 * pagination and of the analysis: 10,000 routes and 50,000 plugins build in about a second.
 *
 * @public
 */
export function scaleKongDataset(
  base: KongDataset,
  options: ScaleOptions,
): KongDataset {
  const { routes, plugins } = options;
  if (
    !Number.isInteger(routes) ||
    routes < 0 ||
    !Number.isInteger(plugins) ||
    plugins < 0
  ) {
    throw new Error(
      'scaleKongDataset: routes and plugins must be non-negative integers',
    );
  }
  const kong = KongDatasetBuilder.from(base);
  const serviceCount = Math.max(
    Math.ceil(routes / SCALE_ROUTES_PER_SERVICE),
    routes === 0 ? Math.ceil(plugins / SCALE_PLUGIN_NAMES.length) : 0,
  );
  const scopes: { service?: string; route?: string }[] = [];
  const serviceScopes: { service: string }[] = [];
  const width = String(Math.max(serviceCount, 1)).length;
  let routesLeft = routes;
  for (let s = 0; s < serviceCount; s++) {
    const name = `scale-svc-${String(s + 1).padStart(width, '0')}`;
    const tags = ['scale', `service:${name}`];
    const service = kong.addService({
      name,
      host: `${name}.scale.svc.cluster.local`,
      port: 8080,
      tags,
    });
    serviceScopes.push({ service: service.id });
    const count = Math.min(SCALE_ROUTES_PER_SERVICE, routesLeft);
    routesLeft -= count;
    for (let r = 0; r < count; r++) {
      const route = kong.addRoute({
        name: `${name}-r${r}`,
        service: service.id,
        paths: [`/scale/${name}/r${r}`],
        methods: ['GET'],
        protocols: ['https'],
        tags,
      });
      scopes.push({ route: route.id });
    }
  }
  scopes.push(...serviceScopes);
  const capacity = scopes.length * SCALE_PLUGIN_NAMES.length;
  if (plugins > capacity) {
    throw new Error(
      `scaleKongDataset: ${plugins} plugins do not fit on ${scopes.length} routes and services ` +
        `(at most ${SCALE_PLUGIN_NAMES.length} per scope); add routes`,
    );
  }
  for (let i = 0; i < plugins; i++) {
    const scope = scopes[i % scopes.length];
    const name = SCALE_PLUGIN_NAMES[Math.floor(i / scopes.length)];
    kong.addPlugin({
      name,
      ...scope,
      config: scalePluginConfig(name, i),
      tags: ['scale'],
    });
  }
  return kong.build();
}
