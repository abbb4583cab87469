import { z } from 'zod';

/** A Kong service named by an entity annotation. @public */
export interface KongServiceRef {
  /** Instance name from config; undefined means the default (first) instance. */
  instance?: string;
  /** Service name or id. */
  service: string;
}

// Kong names: letters, digits and . - _ ~ (kong/db/schema/typedefs.lua `name`).
const kongName = /^[A-Za-z0-9.\-_~]{1,128}$/;
const instanceName = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

const refSchema = z
  .string()
  .trim()
  .transform((item, ctx): KongServiceRef => {
    const parts = item.split('/');
    if (parts.length > 2) {
      ctx.addIssue({
        code: 'custom',
        message: `"${item}" has more than one "/"; use "service" or "instance/service"`,
      });
      return z.NEVER;
    }
    const [instance, service] = parts.length === 2 ? parts : [undefined, parts[0]];
    if (instance !== undefined && !instanceName.test(instance)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${instance}" is not a valid instance name (lowercase DNS label)`,
      });
      return z.NEVER;
    }
    if (!kongName.test(service)) {
      ctx.addIssue({
        code: 'custom',
        message: `"${service}" is not a valid Kong service name (letters, digits, ".", "-", "_", "~", at most 128)`,
      });
      return z.NEVER;
    }
    return instance ? { instance, service } : { service };
  });

/**
 * Parses the `mesh-gateway.io/kong-services` annotation.
 * Throws an Error whose message names the bad item.
 *
 * @public
 */
export function parseKongServiceRefs(value: string): KongServiceRef[] {
  const items = value
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
  if (items.length === 0) {
    throw new Error('the annotation names no Kong service');
  }
  if (items.length > 50) {
    throw new Error('the annotation names more than 50 Kong services');
  }
  return items.map(item => {
    const parsed = refSchema.safeParse(item);
    if (!parsed.success) {
      throw new Error(parsed.error.issues.map(i => i.message).join('; '));
    }
    return parsed.data;
  });
}

/** Parses the `mesh-gateway.io/kong-tags` annotation. @public */
export function parseKongTags(value: string): string[] {
  const tags = value
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
  for (const tag of tags) {
    // Kong tags: printable ASCII except "," and "/" (kong/db/schema/typedefs.lua `tag`).
    if (!/^[\x21-\x7E]{1,128}$/.test(tag) || tag.includes('/')) {
      throw new Error(`"${tag}" is not a valid Kong tag`);
    }
  }
  if (tags.length === 0) {
    throw new Error('the annotation names no Kong tag');
  }
  return tags;
}
