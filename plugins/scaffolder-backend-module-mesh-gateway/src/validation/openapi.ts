/**
 * Turns a CRD's OpenAPI 3.0 schema into a draft-04 JSON schema that validates the way the
 * Kubernetes API server treats an object, as far as a static check can:
 *
 * - `nullable: true` allows `null`; `x-kubernetes-int-or-string` allows an integer or a string;
 * - an object schema with `properties` rejects any other field unless it is marked
 *   `x-kubernetes-preserve-unknown-fields` (the API server prunes unknown fields silently, so an
 *   unknown field in configuration is a field that does nothing);
 * - the CEL rules Istio uses on the fields the generator writes are kept as `x-cel` and
 *   evaluated by {@link evaluateCelRule}; other CEL rules are not evaluated.
 */

type Schema = Record<string, unknown>;

const DROPPED = new Set([
  'description',
  'example',
  'nullable',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
]);

export function toDraft04(input: unknown): unknown {
  if (Array.isArray(input)) {
    return input.map(toDraft04);
  }
  if (!input || typeof input !== 'object') {
    return input;
  }
  const schema = input as Schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key)) {
      continue;
    }
    if (
      key === 'properties' ||
      key === 'patternProperties' ||
      key === 'definitions'
    ) {
      out[key] = Object.fromEntries(
        Object.entries(value as Schema).map(([name, sub]) => [
          name,
          toDraft04(sub),
        ]),
      );
    } else if (
      key === 'items' ||
      key === 'not' ||
      key === 'allOf' ||
      key === 'anyOf' ||
      key === 'oneOf' ||
      (key === 'additionalProperties' && typeof value === 'object')
    ) {
      out[key] = toDraft04(value);
    } else {
      out[key] = value;
    }
  }
  if (schema.nullable === true && typeof out.type === 'string') {
    out.type = [out.type, 'null'];
  }
  if (schema['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    if (!out.anyOf) {
      out.anyOf = [{ type: 'integer' }, { type: 'string' }];
    }
  }
  if (
    out.properties &&
    out.additionalProperties === undefined &&
    schema['x-kubernetes-preserve-unknown-fields'] !== true
  ) {
    out.additionalProperties = false;
  }
  const rules = (
    schema['x-kubernetes-validations'] as
      | { rule: string; message?: string }[]
      | undefined
  )
    ?.filter(rule => celEvaluator(rule.rule))
    .map(rule => ({ rule: rule.rule, message: rule.message }));
  if (rules && rules.length > 0) {
    out['x-cel'] = rules;
  }
  return out;
}

const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Milliseconds of a Go duration string (`1h30m`, `7500ms`), or undefined when it is not one. */
export function parseGoDuration(value: string): number | undefined {
  if (!GO_DURATION.test(value)) {
    return undefined;
  }
  let total = 0;
  for (const [, amount, , unit] of value.matchAll(
    /([0-9]+(\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g,
  )) {
    total += Number(amount) * UNIT_MS[unit];
  }
  return total;
}

type CelCheck = (self: unknown) => string | undefined;

/** The CEL rules this validator understands, as checks that return a reason when they fail. */
function celEvaluator(rule: string): CelCheck | undefined {
  const normalized = rule.replace(/\s+/g, ' ').trim();
  if (normalized === "duration(self) >= duration('1ms')") {
    return self => {
      const ms = typeof self === 'string' ? parseGoDuration(self) : undefined;
      if (ms === undefined) {
        return 'must be a duration such as 30s, 7500ms or 1h';
      }
      return ms < 1 ? 'must be at least 1ms' : undefined;
    };
  }
  if (normalized === 'url(self).getScheme() in ["http", "https"]') {
    return self => {
      try {
        const scheme = new URL(String(self)).protocol;
        return scheme === 'http:' || scheme === 'https:'
          ? undefined
          : 'must be an http or https URL';
      } catch {
        return 'must be an http or https URL';
      }
    };
  }
  const atMostOne =
    /^(\(has\(self\.([A-Za-z0-9_]+)\) \? 1 : 0\)( \+ )?)+ <= 1$/;
  if (atMostOne.test(normalized)) {
    const fields = [
      ...normalized.matchAll(/has\(self\.([A-Za-z0-9_]+)\)/g),
    ].map(m => m[1]);
    return self => {
      const set = fields.filter(
        f => self && typeof self === 'object' && f in self,
      );
      return set.length > 1
        ? `sets ${set.join(' and ')}; at most one of ${fields.join(', ')} is allowed`
        : undefined;
    };
  }
  if (normalized === '!self.contains("*")') {
    return self =>
      String(self).includes('*') ? 'must not contain "*"' : undefined;
  }
  if (normalized === 'self.all(key, !key.contains("*"))') {
    return self =>
      Object.keys((self as object) ?? {}).some(k => k.includes('*'))
        ? 'keys must not contain "*"'
        : undefined;
  }
  if (normalized === 'self.all(key, key.size() != 0)') {
    return self =>
      Object.keys((self as object) ?? {}).some(k => k.length === 0)
        ? 'keys must not be empty'
        : undefined;
  }
  return undefined;
}

/** Evaluates one kept CEL rule; returns why it fails, or undefined. */
export function evaluateCelRule(
  rule: { rule: string; message?: string },
  self: unknown,
): string | undefined {
  const reason = celEvaluator(rule.rule)?.(self);
  return reason === undefined ? undefined : (rule.message ?? reason);
}
