import { z } from 'zod';

const segment = (what: string, pattern: RegExp, hint: string) =>
  z
    .string()
    .min(1, `${what} is empty`)
    .max(253, `${what} is longer than 253 characters`)
    .regex(pattern, `${what} ${hint}`);

/**
 * The path parameters that name an entity, validated as the catalog model allows them
 * (kinds are letters and digits; names and namespaces are `[a-zA-Z0-9._-]` runs).
 *
 * @public
 */
export const entityRouteParamsSchema = z.object({
  namespace: segment(
    'namespace',
    /^[a-z0-9]+(?:-[a-z0-9]+)*$/i,
    'must be a DNS label (letters, digits and "-")',
  ),
  kind: segment('kind', /^[a-zA-Z][a-z0-9A-Z]*$/, 'must be letters and digits'),
  name: segment(
    'name',
    /^[a-z0-9A-Z]+(?:[-_.][a-z0-9A-Z]+)*$/,
    'must be letters, digits and single "-", "_" or "." between them',
  ),
});

/** @public */
export type EntityRouteParams = z.infer<typeof entityRouteParamsSchema>;
