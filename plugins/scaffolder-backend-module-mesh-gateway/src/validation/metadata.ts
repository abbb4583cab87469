import { SchemaViolation } from './contracts';
import { fieldPath } from './types';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

const METADATA_FIELDS = new Set([
  'name',
  'generateName',
  'namespace',
  'labels',
  'annotations',
  'finalizers',
  'ownerReferences',
]);

/** Kinds whose names must be DNS labels (they become DNS names or label values). */
const LABEL_NAMED = new Set(['Namespace', 'Service']);
/** The Job controller appends 11 characters to a CronJob's name. */
const MAX_NAME: Record<string, number> = { CronJob: 52 };
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'KongClusterPlugin',
  'ClusterIssuer',
]);

function checkKey(key: string): string | undefined {
  const [prefix, name] = key.includes('/')
    ? key.split(/\/(.*)/s, 2)
    : [undefined, key];
  if (
    prefix !== undefined &&
    (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))
  ) {
    return 'key prefix must be a DNS subdomain';
  }
  if (!name || name.length > 63 || !LABEL_NAME.test(name)) {
    return 'key name must be at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/**
 * Checks an object's metadata as the API server would: Istio's CRDs define no metadata schema,
 * so the names, labels and annotations of every kind are checked here.
 */
export function checkMetadata(
  kind: string,
  metadata: unknown,
): SchemaViolation[] {
  const violations: SchemaViolation[] = [];
  const add = (path: (string | number)[], message: string) =>
    violations.push({ field: fieldPath(['metadata', ...path]), message });
  if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata)) {
    add([], 'is required');
    return violations;
  }
  const meta = metadata as Record<string, unknown>;
  for (const key of Object.keys(meta)) {
    if (!METADATA_FIELDS.has(key)) {
      add(
        [key],
        'unknown field: ObjectMeta has no such field (or it is set by the server)',
      );
    }
  }
  const name = meta.name;
  const max = MAX_NAME[kind] ?? (LABEL_NAMED.has(kind) ? 63 : 253);
  if (typeof name !== 'string') {
    add(['name'], 'is required');
  } else if (name.length > max) {
    add(
      ['name'],
      `is ${name.length} characters long; ${kind} names are at most ${max}`,
    );
  } else if (!(LABEL_NAMED.has(kind) ? DNS_LABEL : DNS_SUBDOMAIN).test(name)) {
    add(
      ['name'],
      `must be a DNS-1123 ${LABEL_NAMED.has(kind) ? 'label' : 'subdomain'}`,
    );
  }
  if (meta.namespace !== undefined) {
    if (CLUSTER_SCOPED.has(kind)) {
      add(['namespace'], `${kind} is cluster-scoped and has no namespace`);
    } else if (
      typeof meta.namespace !== 'string' ||
      meta.namespace.length > 63 ||
      !DNS_LABEL.test(meta.namespace)
    ) {
      add(['namespace'], 'must be a DNS-1123 label');
    }
  }
  for (const group of ['labels', 'annotations'] as const) {
    const entries = meta[group];
    if (entries === undefined) continue;
    if (!entries || typeof entries !== 'object' || Array.isArray(entries)) {
      add([group], 'must be a map of strings');
      continue;
    }
    for (const [key, value] of Object.entries(entries)) {
      const keyProblem = checkKey(key);
      if (keyProblem) add([group, key], keyProblem);
      if (typeof value !== 'string') {
        add([group, key], 'must be a string (quote numbers and booleans)');
      } else if (
        group === 'labels' &&
        value !== '' &&
        (value.length > 63 || !LABEL_NAME.test(value))
      ) {
        add(
          [group, key],
          'label values are at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
        );
      }
    }
  }
  return violations;
}
