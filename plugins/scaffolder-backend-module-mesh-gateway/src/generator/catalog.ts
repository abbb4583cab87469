import {
  KUBERNETES_ANNOTATIONS,
  MESH_GATEWAY_ANNOTATIONS,
  ServiceSpec,
} from '@internal/plugin-mesh-gateway-common';
import { stringify } from 'yaml';
import { kongTag } from './common';
import { yamlFile } from './serialize';
import { CatalogEntity, GeneratedFile } from './types';

/**
 * The annotations that make the Mesh tab work: which Kong service (by name in deck mode, by tag
 * in kic mode where the Kong Ingress Controller names services itself), where the workload runs,
 * and the name Istio's tracer gives it (`<app>.<namespace>`).
 */
export function meshAnnotations(spec: ServiceSpec): Record<string, string> {
  return {
    ...(spec.kong.mode === 'deck'
      ? { [MESH_GATEWAY_ANNOTATIONS.kongServices]: spec.name }
      : { [MESH_GATEWAY_ANNOTATIONS.kongTags]: kongTag(spec) }),
    [KUBERNETES_ANNOTATIONS.id]: spec.name,
    [KUBERNETES_ANNOTATIONS.namespace]: spec.namespace,
    [MESH_GATEWAY_ANNOTATIONS.tracingService]: `${spec.name}.${spec.namespace}`,
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
