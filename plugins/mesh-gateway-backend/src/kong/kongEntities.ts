import { z } from 'zod';

/**
 * Parsers for what the Kong Admin API returns. Unknown fields are dropped here, at the
 * boundary, so that nothing Kong adds later (or a secret it returns) travels further.
 */

const foreignKey = z.object({ id: z.string() }).nullish();
const stringList = z.array(z.string()).nullish();

export const kongServiceSchema = z.object({
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
  tags: stringList,
});
export type KongServiceEntity = z.infer<typeof kongServiceSchema>;

export const kongRouteSchema = z.object({
  id: z.string(),
  name: z.string().nullish(),
  protocols: z.array(z.string()).default(['http', 'https']),
  methods: stringList,
  hosts: stringList,
  paths: stringList,
  headers: z.record(z.string(), z.array(z.string())).nullish(),
  snis: stringList,
  strip_path: z.boolean().optional(),
  preserve_host: z.boolean().optional(),
  https_redirect_status_code: z.number().optional(),
  tags: stringList,
  service: foreignKey,
});
export type KongRouteEntity = z.infer<typeof kongRouteSchema>;

/** Plugin `config` is parsed as an opaque record and redacted before anything reads it. */
export const kongPluginSchema = z.object({
  id: z.string(),
  name: z.string(),
  instance_name: z.string().nullish(),
  enabled: z.boolean().default(true),
  protocols: z.array(z.string()).optional(),
  route: foreignKey,
  service: foreignKey,
  consumer: foreignKey,
  consumer_group: foreignKey.optional(),
  config: z.record(z.string(), z.unknown()).nullish(),
  tags: stringList,
});
export type KongPluginEntity = z.infer<typeof kongPluginSchema>;

/** Entities read for their name only (e.g. the instance's upstreams). */
export const kongNamedSchema = z.object({ id: z.string(), name: z.string() });

const targetHealthSchema = z.enum([
  'HEALTHY',
  'UNHEALTHY',
  'DNS_ERROR',
  'HEALTHCHECKS_OFF',
]);

export const kongTargetHealthSchema = z.object({
  target: z.string(),
  weight: z.number().default(100),
  health: targetHealthSchema,
});

export const kongStatusSchema = z.object({
  database: z.object({ reachable: z.boolean() }).optional(),
  configuration_hash: z.string().optional(),
  server: z
    .object({
      connections_active: z.number().optional(),
      total_requests: z.number().optional(),
    })
    .optional(),
});

export class KongShapeError extends Error {
  name = 'KongShapeError';
}

/** Parses a list, naming the first item that does not fit. */
export function parseKongList<T>(
  schema: z.ZodType<T>,
  items: unknown[],
  what: string,
): T[] {
  return items.map((item, index) => parseKong(schema, item, `${what}[${index}]`));
}

export function parseKong<T>(schema: z.ZodType<T>, item: unknown, what: string): T {
  const parsed = schema.safeParse(item);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new KongShapeError(
      `${what}: unexpected shape at "${issue.path.join('.')}" (${issue.message})`,
    );
  }
  return parsed.data;
}
