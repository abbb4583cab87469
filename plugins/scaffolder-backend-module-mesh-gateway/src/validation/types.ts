import { FindingSeverity } from '@internal/plugin-mesh-gateway-common';

/** Something wrong with one field of one object of one file. */
export interface Problem {
  /** Path relative to the validated folder. */
  file: string;
  /** `Kind/name`, or the part of a decK file (`services[0]`). */
  object: string;
  /** Dotted path of the field, empty for the whole object. */
  field: string;
  /** Why it is wrong, and what is expected instead. */
  message: string;
  /** The baseline rule, when the problem breaks one (e.g. `MG-ISTIO-004`). */
  code?: string;
  severity: FindingSeverity;
}

/** A file to validate, as read from disk or produced by the generator. */
export interface ConfigurationFile {
  path: string;
  content: string;
}

/** A parsed YAML document, with where it came from. */
export interface ParsedObject {
  file: string;
  /** Index of the document in its file. */
  index: number;
  value: Record<string, unknown>;
}

export interface ValidationReport {
  /** Files that were read and checked. */
  checkedFiles: string[];
  /** What fails the validation. */
  problems: Problem[];
  /** Baseline findings the spec chose (accepted codes) or that are informational. */
  notes: Problem[];
}

export function objectName(value: Record<string, unknown>): string {
  const metadata = value.metadata as { name?: unknown } | undefined;
  const name = typeof metadata?.name === 'string' ? metadata.name : '<unnamed>';
  return `${typeof value.kind === 'string' ? value.kind : '<no kind>'}/${name}`;
}

/** `/spec/http/0/retries` → `spec.http[0].retries`. */
export function fieldPath(segments: (string | number)[]): string {
  return segments
    .map((segment, i) =>
      typeof segment === 'number' || /^[0-9]+$/.test(String(segment))
        ? `[${segment}]`
        : `${i === 0 ? '' : '.'}${segment}`,
    )
    .join('');
}

export function jsonPointerToField(pointer: string, extra?: string): string {
  const segments = pointer
    .split('/')
    .slice(1)
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) {
    segments.push(extra);
  }
  return fieldPath(segments);
}
