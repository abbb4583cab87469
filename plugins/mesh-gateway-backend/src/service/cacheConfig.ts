import type { Config } from '@backstage/config';
import { MESH_GATEWAY_SECTIONS, MeshGatewaySectionName } from '@internal/plugin-mesh-gateway-common';
import { z } from 'zod';
import type { SectionCachePolicy } from './MeshSectionService';

const seconds = z.number().min(0).max(86_400);
const policySchema = z.object({
  ttlSeconds: seconds.optional(),
  staleSeconds: seconds.optional(),
  errorTtlSeconds: seconds.optional(),
});

function toPolicy(raw: z.infer<typeof policySchema>): Partial<SectionCachePolicy> {
  const policy: Partial<SectionCachePolicy> = {};
  if (raw.ttlSeconds !== undefined) policy.ttlMs = raw.ttlSeconds * 1000;
  if (raw.staleSeconds !== undefined) policy.staleMs = raw.staleSeconds * 1000;
  if (raw.errorTtlSeconds !== undefined) policy.errorTtlMs = raw.errorTtlSeconds * 1000;
  return policy;
}

/** Reads `meshGateway.cache`: defaults and per-section overrides. */
export function readCacheConfig(config: Config): {
  cachePolicy: SectionCachePolicy;
  sectionCachePolicies: Partial<Record<MeshGatewaySectionName, Partial<SectionCachePolicy>>>;
} {
  const raw = config.getOptional('meshGateway.cache') ?? {};
  const parsed = policySchema
    .extend({ sections: z.record(z.enum(MESH_GATEWAY_SECTIONS), policySchema).optional() })
    .safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid config at meshGateway.cache.${issue.path.join('.')}: ${issue.message}`);
  }
  const { sections = {}, ...defaults } = parsed.data;
  return {
    cachePolicy: { ttlMs: 30_000, staleMs: 300_000, errorTtlMs: 5_000, ...toPolicy(defaults) },
    sectionCachePolicies: Object.fromEntries(
      Object.entries(sections).map(([name, policy]) => [name, toPolicy(policy as z.infer<typeof policySchema>)]),
    ),
  };
}
