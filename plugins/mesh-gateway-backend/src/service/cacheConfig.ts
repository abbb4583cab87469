import type { Config } from '@backstage/config';
import { MESH_GATEWAY_SECTIONS, MeshGatewaySectionName } from '@internal/plugin-mesh-gateway-common';
import { z } from 'zod';
import type { SectionCachePolicy } from './MeshSectionService';
import { configError } from './configReading';

const KEY = 'meshGateway.cache';

/** The defaults when `meshGateway.cache` says nothing. */
export const DEFAULT_SECTION_CACHE_POLICY: SectionCachePolicy = {
  ttlMs: 30_000,
  staleMs: 300_000,
  errorTtlMs: 5_000,
};

/**
 * Seconds, 0 to a day. A numeric string is accepted too, as Backstage's own `getNumber` does,
 * since `${ENV}` substitution yields strings.
 */
const seconds = z.preprocess(
  value => (typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value),
  z.number().min(0).max(86_400),
);

const policyShape = {
  ttlSeconds: seconds.optional(),
  staleSeconds: seconds.optional(),
  errorTtlSeconds: seconds.optional(),
};
const policySchema = z.strictObject(policyShape);
type RawPolicy = z.infer<typeof policySchema>;

const schema = z.strictObject({
  ...policyShape,
  // An object of optional keys rather than z.record(z.enum(...)): zod 4 records over an enum
  // require every key, and a misspelt section must be refused by name.
  sections: z
    .strictObject(
      Object.fromEntries(MESH_GATEWAY_SECTIONS.map(name => [name, policySchema.optional()])) as Record<
        MeshGatewaySectionName,
        z.ZodOptional<typeof policySchema>
      >,
    )
    .optional(),
});

function toPolicy(raw: RawPolicy): Partial<SectionCachePolicy> {
  const policy: Partial<SectionCachePolicy> = {};
  if (raw.ttlSeconds !== undefined) policy.ttlMs = raw.ttlSeconds * 1000;
  if (raw.staleSeconds !== undefined) policy.staleMs = raw.staleSeconds * 1000;
  if (raw.errorTtlSeconds !== undefined) policy.errorTtlMs = raw.errorTtlSeconds * 1000;
  return policy;
}

function explain(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'unrecognized_keys') return issue;
  const sectionsLevel = issue.path.length === 1 && issue.path[0] === 'sections';
  const allowed = sectionsLevel
    ? MESH_GATEWAY_SECTIONS.join(', ')
    : `ttlSeconds, staleSeconds, errorTtlSeconds${issue.path.length === 0 ? ', sections' : ''}`;
  return {
    ...issue,
    message: `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map(k => `"${k}"`).join(', ')}; allowed: ${allowed}`,
  };
}

/**
 * Reads `meshGateway.cache`: the defaults (`ttlSeconds`, `staleSeconds`, `errorTtlSeconds`) and
 * per-section overrides under `sections.<kong|istio|traces|metrics|certificates>`. A wrong value
 * throws `Invalid config at meshGateway.cache...: why`, so the backend refuses to start.
 */
export function readCacheConfig(config: Config): {
  cachePolicy: SectionCachePolicy;
  sectionCachePolicies: Partial<Record<MeshGatewaySectionName, Partial<SectionCachePolicy>>>;
} {
  const parsed = schema.safeParse(config.getOptional(KEY) ?? {});
  if (!parsed.success) {
    throw configError(KEY, explain(parsed.error.issues[0]));
  }
  const { sections = {}, ...defaults } = parsed.data;
  const sectionCachePolicies: Partial<Record<MeshGatewaySectionName, Partial<SectionCachePolicy>>> = {};
  for (const name of MESH_GATEWAY_SECTIONS) {
    const raw = sections[name];
    if (raw) sectionCachePolicies[name] = toPolicy(raw);
  }
  return {
    cachePolicy: { ...DEFAULT_SECTION_CACHE_POLICY, ...toPolicy(defaults) },
    sectionCachePolicies,
  };
}
