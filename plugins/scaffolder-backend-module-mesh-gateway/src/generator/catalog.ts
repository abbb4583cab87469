import {
  isHostName,
  KUBERNETES_ANNOTATIONS,
  MESH_GATEWAY_ANNOTATIONS,
  ServiceSpec,
} from '@internal/plugin-mesh-gateway-common';
import { stringify } from 'yaml';
import { certificateName, kongTag, sloAvailability } from './common';
import { yamlFile } from './serialize';
import { CatalogEntity, GeneratedFile } from './types';

/** `mesh-gateway.io/slo-availability`: the availability objective in percent, e.g. `99.95`. */
export function sloAvailabilityPercent(spec: ServiceSpec): string {
  return String(Number((sloAvailability(spec) * 100).toFixed(4)));
}

/**
 * The certificate hosts the backend may probe live (`mesh-gateway.io/tls-hosts`): the public
 * ones. The in-cluster name is reached through the mesh with mTLS, not with this certificate on
 * port 443, and only what the backend takes for a host name (not an IP address) is written.
 */
export function tlsHosts(spec: ServiceSpec): string[] {
  return spec.certificate.hosts.filter(
    host => host !== spec.clusterHost && !host.endsWith('.svc.cluster.local') && isHostName(host),
  );
}

/**
 * The annotations that make the Mesh tab work, each one the backend reads whose value the spec
 * determines: which Kong service (by name in deck mode, by tag in kic mode where the Kong Ingress
 * Controller names services itself), where the workload runs and its Istio host (the
 * `destination_service` the PrometheusRule selects), the name Istio's tracer gives it
 * (`<app>.<namespace>`), the cert-manager Certificate and the public hosts it serves, and the SLO
 * the PrometheusRule alerts on, written even when it is the baseline's so both stay the same.
 */
export function meshAnnotations(spec: ServiceSpec): Record<string, string> {
  const hosts = tlsHosts(spec);
  return {
    ...(spec.kong.mode === 'deck'
      ? { [MESH_GATEWAY_ANNOTATIONS.kongServices]: spec.name }
      : { [MESH_GATEWAY_ANNOTATIONS.kongTags]: kongTag(spec) }),
    [KUBERNETES_ANNOTATIONS.id]: spec.name,
    [KUBERNETES_ANNOTATIONS.namespace]: spec.namespace,
    [MESH_GATEWAY_ANNOTATIONS.istioHost]: spec.clusterHost,
    [MESH_GATEWAY_ANNOTATIONS.tracingService]: `${spec.name}.${spec.namespace}`,
    [MESH_GATEWAY_ANNOTATIONS.sloAvailability]: sloAvailabilityPercent(spec),
    [MESH_GATEWAY_ANNOTATIONS.sloP95Ms]: String(spec.slo.endToEndP95Ms),
    [MESH_GATEWAY_ANNOTATIONS.sloGatewayP95Ms]: String(spec.slo.gatewayP95Ms),
    [MESH_GATEWAY_ANNOTATIONS.certificates]: certificateName(spec),
    ...(hosts.length > 0
      ? { [MESH_GATEWAY_ANNOTATIONS.tlsHosts]: hosts.join(',') }
      : {}),
  };
}

/** A minimal OpenAPI 3.0 description of the routes the gateway exposes. */
function securitySchemes(
  spec: ServiceSpec,
): Record<string, object> | undefined {
  if (spec.auth.type === 'jwt') {
    return {
      bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
    };
  }
  if (spec.auth.type === 'key-auth') {
    return {
      apiKey: { type: 'apiKey', in: 'header', name: spec.auth.keyNames[0] },
    };
  }
  return undefined;
}

export function openApiDocument(spec: ServiceSpec) {
  const securityScheme = securitySchemes(spec);
  const security = securityScheme
    ? [{ [Object.keys(securityScheme)[0]]: [] }]
    : undefined;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of spec.routes) {
    paths[route.path] = Object.fromEntries(
      route.methods.map(method => [
        method.toLowerCase(),
        {
          operationId: `${method.toLowerCase()}-${spec.name}-${route.name}`,
          summary: `${method} ${route.path}`,
          ...(security ? { security } : {}),
          responses: { '200': { description: 'OK' } },
        },
      ]),
    );
  }
  return {
    openapi: '3.0.3',
    info: { title: spec.name, version: '0.1.0', description: spec.description },
    ...(spec.hosts.length > 0
      ? { servers: spec.hosts.map(host => ({ url: `https://${host}` })) }
      : {}),
    paths,
    ...(securityScheme
      ? { components: { securitySchemes: securityScheme } }
      : {}),
  };
}

export function catalogEntities(spec: ServiceSpec): CatalogEntity[] {
  const annotations = meshAnnotations(spec);
  const ownership = {
    lifecycle: spec.lifecycle,
    owner: spec.owner,
    ...(spec.system ? { system: spec.system } : {}),
  };
  return [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: spec.name,
        description: spec.description,
        annotations,
        tags: ['kong', 'istio'],
      },
      spec: { type: 'service', ...ownership, providesApis: [spec.name] },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: {
        name: spec.name,
        description: `${spec.description} (through Kong)`,
        annotations,
        tags: ['kong', 'istio'],
      },
      spec: {
        type: 'openapi',
        ...ownership,
        definition: stringify(openApiDocument(spec), {
          lineWidth: 0,
          aliasDuplicateObjects: false,
          singleQuote: true,
        }),
      },
    },
  ];
}

export function catalogFiles(spec: ServiceSpec): GeneratedFile[] {
  return [yamlFile('catalog-info.yaml', catalogEntities(spec))];
}
