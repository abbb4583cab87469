import type { Config } from '@backstage/config';
import type { z } from 'zod';

/** The error a bad config value gets: the full key and the reason. */
export function configError(key: string, issue: z.core.$ZodIssue): Error {
  const path = issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
  return new Error(`Invalid config at ${key}${path}: ${issue.message}`);
}

/**
 * Reads an array of named upstream instances (`meshGateway.<x>.instances`) with a zod schema:
 * no array means none configured; a wrong value or a repeated name throws with the key and the
 * reason, so the backend refuses to start rather than failing later on a request.
 */
export function readInstanceArray<T extends { name: string }>(
  config: Config,
  key: string,
  schema: z.ZodType<T>,
  read: (item: Config) => Record<string, unknown>,
): T[] {
  const items = config.getOptionalConfigArray(key) ?? [];
  const instances = items.map((item, index) => {
    const itemKey = `${key}[${index}]`;
    let raw: Record<string, unknown>;
    try {
      raw = read(item);
    } catch (error) {
      throw new Error(`Invalid config at ${itemKey}: ${(error as Error).message}`);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw configError(itemKey, parsed.error.issues[0]);
    return parsed.data;
  });
  const seen = new Set<string>();
  for (const instance of instances) {
    if (seen.has(instance.name)) {
      throw new Error(`Invalid config at ${key}: the name "${instance.name}" is used twice`);
    }
    seen.add(instance.name);
  }
  return instances;
}
