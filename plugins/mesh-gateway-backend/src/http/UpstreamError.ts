import type { SectionError } from '@internal/plugin-mesh-gateway-common';

/** What went wrong talking to an upstream; the kind is what a section error shows. */
export type UpstreamErrorKind =
  | 'timeout'
  | 'unreachable'
  | 'unauthorized'
  | 'not-found'
  | 'upstream-status'
  | 'bad-response'
  | 'circuit-open';

/** An upstream call failed. Messages never contain credentials or response bodies with secrets. */
export class UpstreamError extends Error {
  readonly kind: UpstreamErrorKind;
  readonly instance: string;
  readonly status?: number;
  /** From a 429 or 503 `Retry-After`, when the upstream said how long to wait. */
  readonly retryAfterMs?: number;

  constructor(options: {
    kind: UpstreamErrorKind;
    instance: string;
    message: string;
    status?: number;
    retryAfterMs?: number;
    cause?: unknown;
  }) {
    super(options.message, { cause: options.cause });
    this.name = 'UpstreamError';
    this.kind = options.kind;
    this.instance = options.instance;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  toSectionError(): SectionError {
    return { name: this.kind, message: this.message, instance: this.instance };
  }
}

/** The kind of an HTTP error status. */
export function kindForStatus(status: number): UpstreamErrorKind {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'not-found';
  return 'upstream-status';
}

/** Turns anything thrown while filling a section into what the section reports. */
export function toSectionError(error: unknown): SectionError {
  if (error instanceof UpstreamError) {
    return error.toSectionError();
  }
  const message = error instanceof Error ? error.message : String(error);
  return { name: 'internal', message };
}
