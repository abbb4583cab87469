import type { Entity } from '@backstage/catalog-model';
import {
  createFinding,
  KongRouteView,
  KongSection,
  KongServiceView,
  MESH_GATEWAY_ANNOTATIONS,
  REDACTED,
  SectionResult,
} from '@internal/plugin-mesh-gateway-common';

export const fetchedAt = '2026-11-22T10:00:00.000Z';

export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'ai-agent-service',
    namespace: 'parallel-ai',
    annotations: {
      [MESH_GATEWAY_ANNOTATIONS.kongServices]: 'ai-agent-service',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-ai' },
};

export const entityWithoutAnnotations: Entity = {
  ...entity,
  metadata: { name: 'ai-agent-service', namespace: 'parallel-ai' },
};

export function route(overrides: Partial<KongRouteView> = {}): KongRouteView {
  return {
    id: '8f1b2c3d-0000-4000-8000-000000000001',
    name: 'ai-agent-route',
    protocols: ['https'],
    methods: ['GET', 'POST'],
    paths: ['/api/v1/ai-agent'],
    hosts: ['api.parallel-ai.example'],
    strip_path: false,
    preserve_host: false,
    plugins: [
      {
        name: 'jwt',
        pluginId: 'plugin-jwt',
        scope: 'service',
        enabled: true,
        overrides: [],
      },
      {
        name: 'rate-limiting',
        pluginId: 'plugin-rate-limiting',
        scope: 'route',
        enabled: false,
        overrides: [],
      },
      {
        name: 'prometheus',
        pluginId: 'plugin-prometheus',
        scope: 'global',
        enabled: true,
        overrides: [],
      },
    ],
    consumerPlugins: ['acl'],
    ...overrides,
  };
}

export function serviceView(
  overrides: Partial<KongServiceView> = {},
): KongServiceView {
  return {
    instance: 'default',
    managerUrl: 'https://kong-manager.example/default/services/svc-ai-agent',
    service: {
      id: 'svc-ai-agent',
      name: 'ai-agent-service',
      host: 'ai-agent-service.parallel-ai.svc.cluster.local',
      port: 8080,
      protocol: 'http',
      path: null,
      retries: 3,
      connect_timeout: 30000,
      read_timeout: 30000,
      write_timeout: 30000,
      enabled: true,
    },
    routes: [route()],
    plugins: [
      {
        id: 'plugin-jwt',
        name: 'jwt',
        enabled: true,
        scope: 'service',
        service: 'svc-ai-agent',
        config: {
          claims_to_verify: ['exp', 'nbf'],
          key_claim_name: 'iss',
          header_names: ['authorization'],
        },
      },
      {
        id: 'plugin-rate-limiting',
        name: 'rate-limiting',
        enabled: false,
        scope: 'route',
        route: '8f1b2c3d-0000-4000-8000-000000000001',
        config: { minute: 100, policy: 'redis', redis: { password: REDACTED } },
      },
      {
        id: 'plugin-prometheus',
        name: 'prometheus',
        enabled: true,
        scope: 'global',
        config: { status_code_metrics: true, latency_metrics: true },
      },
    ],
    upstream: {
      id: 'upstream-ai-agent',
      name: 'ai-agent-service.parallel-ai.svc.cluster.local',
      targets: [
        { target: '10.0.0.11:8080', weight: 100, health: 'HEALTHY' },
        { target: '10.0.0.12:8080', weight: 100, health: 'UNHEALTHY' },
      ],
    },
    ...overrides,
  };
}

export function kongSection(
  overrides: Partial<SectionResult<KongSection>> = {},
): SectionResult<KongSection> {
  return {
    section: 'kong',
    status: 'ok',
    data: {
      services: [serviceView()],
      nodes: [{ instance: 'default', status: { databaseReachable: true } }],
    },
    findings: [
      createFinding(
        'MG-KONG-013',
        'kong/default/plugins/rate-limiting',
        'The rate-limiting plugin on route ai-agent-route is disabled',
      ),
      createFinding(
        'MG-KONG-012',
        'kong/default/upstreams/ai-agent-service.parallel-ai.svc.cluster.local',
        'Target 10.0.0.12:8080 is UNHEALTHY',
      ),
    ],
    fetchedAt,
    ...overrides,
  };
}

/** A service with `count` routes named `route-0` … `route-<count - 1>`. */
export function manyRoutesSection(count: number): SectionResult<KongSection> {
  const routes = Array.from({ length: count }, (_, i) =>
    route({
      id: `route-id-${i}`,
      name: `route-${i}`,
      paths: [`/api/v1/ai-agent/r${i}`],
      plugins: [],
      consumerPlugins: [],
    }),
  );
  return kongSection({
    data: {
      services: [serviceView({ routes, plugins: [] })],
      nodes: [],
    },
    findings: [],
  });
}
