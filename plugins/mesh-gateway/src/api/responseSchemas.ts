import { z } from 'zod';
import type {
  EntityMeshOverview,
  Finding,
  IstioSection,
  KongSection,
  MeshGatewaySectionData,
  MeshGatewaySectionName,
  SectionError,
  SectionResult,
} from '@internal/plugin-mesh-gateway-common';
import { tracesSectionSchema } from '../components/traces/tracesSectionSchema';
import { metricsSectionSchema } from '../components/metrics';
import { certificatesSectionSchema } from '../components/certificates';

/*
 * The backend's responses, checked before any component reads them: the frontend and the
 * backend are deployed separately, and a response of another version must fail as a clear
 * error rather than as a crash deep inside a card.
 */

const findingSchema: z.ZodType<Finding> = z.object({
  code: z.string(),
  severity: z.enum(['critical', 'warning', 'info']),
  object: z.string(),
  message: z.string(),
  fix: z.string(),
  istioctlCode: z.string().optional(),
});

const sectionErrorSchema: z.ZodType<SectionError> = z.object({
  name: z.string(),
  message: z.string(),
  instance: z.string().optional(),
});

const nullableStrings = z.array(z.string()).nullish();

const pluginScopeSchema = z.enum(['route', 'service', 'global', 'consumer', 'consumer-group']);

const kongSectionSchema: z.ZodType<KongSection> = z.object({
  services: z.array(
    z.object({
      instance: z.string(),
      workspace: z.string().optional(),
      // Rendered as a link: only web addresses, never `javascript:` and the like.
      managerUrl: z.url({ protocol: /^https?$/ }).optional(),
      service: z.object({
        id: z.string(),
        name: z.string().nullish(),
        host: z.string(),
        port: z.number(),
        protocol: z.string(),
        path: z.string().nullish(),
        retries: z.number().optional(),
        connect_timeout: z.number().optional(),
        read_timeout: z.number().optional(),
        write_timeout: z.number().optional(),
        enabled: z.boolean().optional(),
        tags: nullableStrings,
      }),
      routes: z.array(
        z.object({
          id: z.string(),
          name: z.string().nullish(),
          protocols: z.array(z.string()),
          methods: nullableStrings,
          hosts: nullableStrings,
          paths: nullableStrings,
          headers: z.record(z.string(), z.array(z.string())).nullish(),
          snis: nullableStrings,
          strip_path: z.boolean().optional(),
          preserve_host: z.boolean().optional(),
          https_redirect_status_code: z.number().optional(),
          tags: nullableStrings,
          plugins: z.array(
            z.object({
              name: z.string(),
              pluginId: z.string(),
              scope: pluginScopeSchema,
              enabled: z.boolean(),
              overrides: z.array(z.string()),
            }),
          ),
          consumerPlugins: z.array(z.string()),
        }),
      ),
      plugins: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          instance_name: z.string().nullish(),
          enabled: z.boolean(),
          scope: pluginScopeSchema,
          route: z.string().nullish(),
          service: z.string().nullish(),
          consumer: z.string().nullish(),
          consumer_group: z.string().nullish(),
          protocols: z.array(z.string()).optional(),
          config: z.record(z.string(), z.unknown()),
          tags: nullableStrings,
        }),
      ),
      upstream: z
        .object({
          id: z.string(),
          name: z.string(),
          targets: z.array(
            z.object({
              target: z.string(),
              weight: z.number(),
              health: z.enum([
                'HEALTHY',
                'UNHEALTHY',
                'DNS_ERROR',
                'HEALTHCHECKS_OFF',
              ]),
            }),
          ),
        })
        .optional(),
    }),
  ),
  nodes: z.array(
    z.object({
      instance: z.string(),
      status: z
        .object({
          databaseReachable: z.boolean().optional(),
          configurationHash: z.string().optional(),
          connectionsActive: z.number().optional(),
          totalRequests: z.number().optional(),
        })
        .optional(),
      error: z.string().optional(),
    }),
  ),
});

const kubernetesLabelsSchema = z.record(z.string(), z.string());
const istioSettingsSchema = z.record(z.string(), z.unknown());
const mtlsModeSchema = z.enum(['DISABLE', 'PERMISSIVE', 'STRICT']);
const mtlsSourceSchema = z.object({
  scope: z.enum(['port', 'workload', 'namespace', 'mesh', 'default']),
  policy: z.string().optional(),
});
const kubernetesPortSchema = z.union([z.number(), z.string()]);

const istioSectionSchema: z.ZodType<IstioSection> = z.object({
  workloads: z.array(
    z.object({
      cluster: z.string(),
      namespace: z.string(),
      rootNamespace: z.string(),
      host: z.string(),
      workloadLabels: kubernetesLabelsSchema,
      injection: z.object({
        enabled: z.boolean(),
        label: z.string().optional(),
        revision: z.string().optional(),
        unknown: z.boolean().optional(),
      }),
      service: z
        .object({
          name: z.string(),
          ports: z.array(
            z.object({
              name: z.string().optional(),
              port: z.number(),
              targetPort: kubernetesPortSchema.optional(),
              protocol: z.string().optional(),
              appProtocol: z.string().optional(),
            }),
          ),
        })
        .optional(),
      mtls: z.object({
        mode: mtlsModeSchema,
        source: mtlsSourceSchema,
        ports: z.array(
          z.object({
            port: z.number(),
            name: z.string().optional(),
            targetPort: kubernetesPortSchema.optional(),
            mode: mtlsModeSchema,
            source: mtlsSourceSchema,
          }),
        ),
        ignored: z.array(z.object({ policy: z.string(), reason: z.string() })),
      }),
      authorization: z.object({
        decision: z.enum(['allow-all', 'deny-all', 'restricted']),
        rules: z.array(
          z.object({
            policy: z.string(),
            action: z.enum(['ALLOW', 'DENY', 'AUDIT', 'CUSTOM']),
            rule: z.number(),
            principals: z.array(z.string()),
            notPrincipals: z.array(z.string()),
            namespaces: z.array(z.string()),
            notNamespaces: z.array(z.string()),
            requestPrincipals: z.array(z.string()),
            ipBlocks: z.array(z.string()),
            methods: z.array(z.string()),
            notMethods: z.array(z.string()),
            paths: z.array(z.string()),
            notPaths: z.array(z.string()),
            ports: z.array(z.string()),
            when: z.array(
              z.object({
                key: z.string(),
                values: z.array(z.string()).optional(),
                notValues: z.array(z.string()).optional(),
              }),
            ),
            anySource: z.boolean(),
            matchesEverything: z.boolean(),
          }),
        ),
        customProviders: z.array(z.string()),
        dryRun: z.array(z.string()),
        targetRefPolicies: z.array(z.string()),
        jwt: z.array(
          z.object({
            policy: z.string(),
            issuer: z.string(),
            audiences: z.array(z.string()),
            jwksUri: z.string().optional(),
          }),
        ),
      }),
      traffic: z.array(
        z.object({
          virtualService: z.string(),
          route: z.number(),
          name: z.string().optional(),
          match: z.array(z.string()),
          destinations: z.array(
            z.object({
              host: z.string(),
              subset: z.string().optional(),
              port: z.number().optional(),
              weight: z.number().optional(),
            }),
          ),
          timeout: z.string().optional(),
          retries: z
            .object({
              attempts: z.number().optional(),
              perTryTimeout: z.string().optional(),
              retryOn: z.string().optional(),
            })
            .optional(),
          fault: z
            .object({
              delay: z.string().optional(),
              abort: z.string().optional(),
            })
            .optional(),
        }),
      ),
      resilience: z.array(
        z.object({
          destinationRule: z.string(),
          host: z.string(),
          subsets: z.array(
            z.object({ name: z.string(), labels: kubernetesLabelsSchema }),
          ),
          tlsMode: z.string().optional(),
          outlierDetection: istioSettingsSchema.optional(),
          connectionPool: istioSettingsSchema.optional(),
          loadBalancer: istioSettingsSchema.optional(),
        }),
      ),
      objects: z.array(
        z.object({
          apiVersion: z.string(),
          kind: z.string(),
          metadata: z.object({
            name: z.string(),
            namespace: z.string().optional(),
            uid: z.string().optional(),
            creationTimestamp: z.string().optional(),
            generation: z.number().optional(),
            labels: kubernetesLabelsSchema.optional(),
            annotations: kubernetesLabelsSchema.optional(),
          }),
          spec: istioSettingsSchema.optional(),
        }),
      ),
      forbidden: z.array(
        z.object({
          resource: z.string(),
          namespace: z.string(),
          need: z.string(),
        }),
      ),
    }),
  ),
});

/**
 * The data schema of each section this frontend knows. A section added to the backend before
 * this frontend learns it keeps its data unchecked (and no card reads it).
 */
const sectionDataSchemas: {
  [S in MeshGatewaySectionName]?: z.ZodType<MeshGatewaySectionData[S]>;
} = {
  kong: kongSectionSchema,
  istio: istioSectionSchema,
  traces: tracesSectionSchema,
  metrics: metricsSectionSchema,
  certificates: certificatesSectionSchema,
};

function sectionResultSchema(section: string) {
  const dataSchema: z.ZodType =
    sectionDataSchemas[section as MeshGatewaySectionName] ?? z.unknown();
  return z.object({
    section: z.literal(section),
    status: z.enum(['ok', 'not-configured', 'error']),
    data: dataSchema.optional(),
    missing: z
      .object({
        annotations: z.array(z.string()).optional(),
        configKey: z.string().optional(),
      })
      .optional(),
    errors: z.array(sectionErrorSchema).optional(),
    findings: z.array(findingSchema),
    fetchedAt: z.string(),
  });
}

const overviewSchema = z.object({
  entityRef: z.string(),
  sections: z.record(z.string(), z.unknown()),
});

/** A backend response that does not have the shape this frontend reads. @public */
export class MeshGatewayResponseError extends Error {
  readonly name = 'MeshGatewayResponseError';
}

function describe(error: z.ZodError): string {
  const issues = error.issues.slice(0, 3).map(issue => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  const more =
    error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return `The mesh-gateway backend sent an unexpected response: ${issues.join('; ')}${more}`;
}

export function parseSectionResult<S extends MeshGatewaySectionName>(
  section: S,
  body: unknown,
): SectionResult<MeshGatewaySectionData[S]> {
  const parsed = sectionResultSchema(section).safeParse(body);
  if (!parsed.success) {
    throw new MeshGatewayResponseError(describe(parsed.error));
  }
  return parsed.data as SectionResult<MeshGatewaySectionData[S]>;
}

export function parseOverview(body: unknown): EntityMeshOverview {
  const parsed = overviewSchema.safeParse(body);
  if (!parsed.success) {
    throw new MeshGatewayResponseError(describe(parsed.error));
  }
  const sections: Record<string, SectionResult<unknown>> = {};
  for (const [name, value] of Object.entries(parsed.data.sections)) {
    const result = sectionResultSchema(name).safeParse(value);
    if (!result.success) {
      const prefixed = new z.ZodError(
        result.error.issues.map(issue => ({
          ...issue,
          path: ['sections', name, ...issue.path],
        })),
      );
      throw new MeshGatewayResponseError(describe(prefixed));
    }
    sections[name] = result.data as SectionResult<unknown>;
  }
  return {
    entityRef: parsed.data.entityRef,
    sections: sections as EntityMeshOverview['sections'],
  };
}
