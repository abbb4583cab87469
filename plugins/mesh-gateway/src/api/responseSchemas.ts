import { z } from 'zod';
import type {
  EntityMeshOverview,
  Finding,
  KongSection,
  MeshGatewaySectionData,
  MeshGatewaySectionName,
  SectionError,
  SectionResult,
} from '@internal/plugin-mesh-gateway-common';

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

const pluginScopeSchema = z.enum(['route', 'service', 'global', 'consumer']);

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

/**
 * The data schema of each section this frontend knows. A section added to the backend before
 * this frontend learns it keeps its data unchecked (and no card reads it).
 */
const sectionDataSchemas: {
  [S in MeshGatewaySectionName]?: z.ZodType<MeshGatewaySectionData[S]>;
} = {
  kong: kongSectionSchema,
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
