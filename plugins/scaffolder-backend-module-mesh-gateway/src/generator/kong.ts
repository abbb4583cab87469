import {
  MESH_BASELINE,
  ServiceSpec,
} from '@internal/plugin-mesh-gateway-common';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { Service } from 'kubernetes-models/v1';
import { kongRouteName, kongTag, objectLabels, objectMeta } from './common';
import { yamlFile } from './serialize';
import { DeckFile, DeckPlugin, GeneratedFile, KongPlugin } from './types';

const kong = MESH_BASELINE.kong;

/** A Kong plugin as both delivery modes need it: a name and its configuration. */
export interface KongPluginDefinition {
  name: string;
  config: Record<string, unknown>;
}

/**
 * The plugins of the service, in the order Kong runs them (by priority). Field names are those
 * of Kong 3.9's plugin schemas (kong/plugins/<name>/schema.lua).
 */
export function kongPlugins(spec: ServiceSpec): KongPluginDefinition[] {
  const plugins: KongPluginDefinition[] = [
    {
      name: 'correlation-id',
      config: {
        header_name: kong.correlationHeader,
        generator: 'uuid#counter',
        echo_downstream: true,
      },
    },
  ];
  if (spec.auth.type === 'jwt') {
    plugins.push({
      name: 'jwt',
      config: {
        // Kong's jwt plugin verifies only exp and nbf; the audience is checked by Istio's
        // RequestAuthentication (istio/request-authentication.yaml).
        claims_to_verify: [...kong.jwtClaimsToVerify],
        key_claim_name: kong.jwtKeyClaimName,
        header_names: [...kong.jwtHeaderNames],
        // Tokens in query strings and cookies end up in logs and caches.
        uri_param_names: [],
        cookie_names: [],
        run_on_preflight: true,
      },
    });
  } else if (spec.auth.type === 'key-auth') {
    plugins.push({
      name: 'key-auth',
      config: {
        key_names: spec.auth.keyNames,
        key_in_header: true,
        key_in_query: false,
        key_in_body: false,
        hide_credentials: true,
        run_on_preflight: true,
      },
    });
  }
  if (spec.rateLimit.enabled) {
    const { second, minute, hour, limitBy, policy } = spec.rateLimit;
    plugins.push({
      name: 'rate-limiting',
      config: {
        ...(second ? { second } : {}),
        ...(minute ? { minute } : {}),
        ...(hour ? { hour } : {}),
        limit_by: limitBy,
        policy,
        fault_tolerant: true,
        hide_client_headers: false,
      },
    });
  }
  const sourceHeader = `${kong.requestSourceHeader}:${kong.requestSourceValue}`;
  plugins.push({
    name: 'request-transformer',
    config: {
      // Remove, then add: a client cannot bring its own x-request-source.
      remove: { headers: [kong.requestSourceHeader] },
      add: {
        headers: [
          sourceHeader,
          ...spec.requestHeaders.map(h => `${h.name}:${h.value}`),
        ],
      },
    },
  });
  plugins.push({
    name: 'prometheus',
    config: {
      status_code_metrics: true,
      latency_metrics: true,
      bandwidth_metrics: true,
      upstream_health_metrics: true,
      per_consumer: false,
    },
  });
  plugins.push({
    name: 'opentelemetry',
    config: {
      traces_endpoint: spec.observability.otlpTracesEndpoint,
      sampling_rate: spec.observability.tracingSampling,
      // B3 is what Istio's Zipkin tracer reads; W3C for OpenTelemetry-instrumented services.
      propagation: {
        extract: ['b3', 'w3c'],
        inject: ['b3', 'w3c'],
        default_format: 'b3',
      },
      resource_attributes: { 'service.name': 'kong' },
    },
  });
  return plugins;
}

/** The decK state file: one service with its routes and plugins, selected by the service's tag. */
export function deckFile(spec: ServiceSpec): DeckFile {
  const tags = [kongTag(spec)];
  const timeoutMs = spec.resilience.timeoutSeconds * 1000;
  const plugins: DeckPlugin[] = kongPlugins(spec).map(plugin => ({
    name: plugin.name,
    config: plugin.config,
    enabled: true,
    protocols: ['http', 'https'],
    tags,
  }));
  return {
    _format_version: '3.0',
    _info: { select_tags: tags },
    services: [
      {
        name: spec.name,
        host: spec.clusterHost,
        port: spec.port,
        protocol: 'http',
        retries: spec.resilience.retries,
        connect_timeout: timeoutMs,
        read_timeout: timeoutMs,
        write_timeout: timeoutMs,
        enabled: true,
        tags,
        routes: spec.routes.map(route => ({
          name: kongRouteName(spec, route),
          paths: [route.path],
          methods: [...route.methods],
          ...(spec.hosts.length > 0 ? { hosts: [...spec.hosts] } : {}),
          protocols: ['https'],
          https_redirect_status_code: 301,
          strip_path: kong.stripPath,
          // The upstream Host header must stay the in-cluster name so the mesh routes it.
          preserve_host: false,
          tags,
        })),
        plugins,
      },
    ],
  };
}

export function kongPluginResourceName(
  spec: ServiceSpec,
  plugin: string,
): string {
  return `${spec.name}-${plugin}`;
}

/** Kong Ingress Controller resources: KongPlugins, one Ingress per route, and the Service. */
export function kicResources(spec: ServiceSpec) {
  const tag = kongTag(spec);
  const plugins: KongPlugin[] = kongPlugins(spec).map(plugin => ({
    apiVersion: 'configuration.konghq.com/v1',
    kind: 'KongPlugin',
    metadata: objectMeta(spec, kongPluginResourceName(spec, plugin.name)),
    plugin: plugin.name,
    config: plugin.config,
  }));
  const pluginNames = plugins.map(p => p.metadata.name).join(',');
  const secretName = `${spec.name}-tls`;
  const ingresses = spec.routes.map(route =>
    new Ingress({
      metadata: objectMeta(spec, kongRouteName(spec, route), {
        annotations: {
          'konghq.com/plugins': pluginNames,
          'konghq.com/methods': route.methods.join(','),
          'konghq.com/protocols': 'https',
          'konghq.com/https-redirect-status-code': '301',
          'konghq.com/strip-path': String(kong.stripPath),
          'konghq.com/preserve-host': 'false',
          'konghq.com/tags': tag,
        },
      }),
      spec: {
        ingressClassName: spec.kong.ingressClass,
        ...(spec.hosts.length > 0
          ? { tls: [{ hosts: [...spec.hosts], secretName }] }
          : {}),
        rules: (spec.hosts.length > 0 ? spec.hosts : [undefined]).map(host => ({
          ...(host ? { host } : {}),
          http: {
            paths: [
              {
                path: route.path,
                pathType: 'ImplementationSpecific',
                backend: {
                  service: { name: spec.name, port: { number: spec.port } },
                },
              },
            ],
          },
        })),
      },
    }).toJSON(),
  );
  const timeout = String(spec.resilience.timeoutSeconds * 1000);
  const service = new Service({
    metadata: objectMeta(spec, spec.name, {
      annotations: {
        'konghq.com/protocol': 'http',
        'konghq.com/retries': String(spec.resilience.retries),
        'konghq.com/connect-timeout': timeout,
        'konghq.com/read-timeout': timeout,
        'konghq.com/write-timeout': timeout,
        'konghq.com/tags': tag,
      },
    }),
    spec: {
      selector: { app: spec.name },
      ports: [
        {
          // The "http" name and appProtocol tell Istio the protocol (istioctl IST0118).
          name: 'http',
          port: spec.port,
          targetPort: spec.port,
          protocol: 'TCP',
          appProtocol: 'http',
        },
      ],
    },
  }).toJSON();
  service.metadata.labels = { ...objectLabels(spec), app: spec.name };
  return { plugins, ingresses, service };
}

export function kongFiles(spec: ServiceSpec): GeneratedFile[] {
  if (spec.kong.mode === 'deck') {
    return [yamlFile('kong/kong.yaml', [deckFile(spec)])];
  }
  const { plugins, ingresses, service } = kicResources(spec);
  return [
    yamlFile('kong/kic/plugins.yaml', plugins),
    yamlFile('kong/kic/ingress.yaml', ingresses),
    yamlFile('kong/kic/service.yaml', [service]),
  ];
}
