import type {
  AttributeValue,
  NormalisedSpan,
  NormalisedTrace,
  SpanKind,
} from './spanModel';

/*
 * Hand-built traces for the analysis tests: spans are given as a tree with durations, so the
 * expected numbers can be read off the test.
 */

export interface SpanSpec {
  service: string;
  operation?: string;
  kind?: SpanKind;
  /** Milliseconds. */
  ms: number;
  /** Milliseconds after the parent's start (default 0.5). */
  offsetMs?: number;
  error?: boolean;
  errorMessage?: string;
  scope?: string;
  attributes?: Record<string, AttributeValue>;
  /** The parent span id this span names when it is not the tree parent (a broken chain). */
  orphanParent?: string;
  children?: SpanSpec[];
}

export const ROLE_OPTIONS = {
  gatewayServiceNames: ['kong'],
  gatewayScopeNames: ['kong-internal'],
  meshProxyServiceNames: ['istio-proxy'],
};

let sequence = 0;

/** A trace starting at `startMs` (epoch milliseconds). */
export function buildTrace(
  root: SpanSpec,
  startMs = Date.parse('2026-11-22T09:30:00Z'),
  traceId?: string,
): NormalisedTrace {
  const id = traceId ?? (++sequence).toString(16).padStart(32, '0');
  const spans: NormalisedSpan[] = [];
  const place = (
    spec: SpanSpec,
    parentSpanId: string | undefined,
    startUs: number,
  ) => {
    const spanId = (++sequence).toString(16).padStart(16, '0');
    spans.push({
      traceId: id,
      spanId,
      parentSpanId: spec.orphanParent ?? parentSpanId,
      service: spec.service,
      operation: spec.operation ?? `${spec.service} op`,
      kind: spec.kind ?? 'server',
      startUs,
      durationUs: spec.ms * 1000,
      error: spec.error ?? false,
      errorMessage: spec.errorMessage,
      scope: spec.scope,
      attributes: spec.attributes ?? {},
      resource: {},
    });
    for (const child of spec.children ?? []) {
      place(child, spanId, startUs + (child.offsetMs ?? 0.5) * 1000);
    }
  };
  place(root, undefined, startMs * 1000);
  return { traceId: id, spans };
}

export const envoy = (
  service: string,
  ms: number,
  kind: SpanKind,
  children: SpanSpec[],
  attributes: Record<string, AttributeValue> = {},
): SpanSpec => ({
  service,
  operation: `${service}:8080/*`,
  kind,
  ms,
  attributes: {
    component: 'proxy',
    upstream_cluster: kind === 'server' ? 'inbound|8080||' : 'outbound|8080||x',
    ...attributes,
  },
  children,
});

/**
 * Kong (`kongMs` in total) → Kong's sidecar (`meshMs` above the service, split over two
 * sidecars) → the service's server span of `serviceMs`.
 */
export function throughKong(
  service: string,
  {
    kongMs,
    meshMs,
    serviceMs,
    error = false,
    operation,
  }: {
    kongMs: number;
    meshMs: number;
    serviceMs: number;
    error?: boolean;
    operation?: string;
  },
  startMs?: number,
): NormalisedTrace {
  const app: SpanSpec = {
    service,
    operation: operation ?? 'GET /api/v1/things',
    ms: serviceMs,
    error,
  };
  const below: SpanSpec =
    meshMs > 0
      ? envoy('kong.kong', serviceMs + meshMs, 'client', [
          envoy(`${service}.parallel-ai`, serviceMs + meshMs / 2, 'server', [
            app,
          ]),
        ])
      : app;
  return buildTrace(
    {
      service: 'kong',
      operation: 'kong',
      scope: 'kong-internal',
      ms: kongMs,
      children: [
        {
          service: 'kong',
          operation: 'kong.router',
          kind: 'internal',
          ms: 0.1,
          scope: 'kong-internal',
        },
        {
          service: 'kong',
          operation: 'kong.balancer',
          kind: 'client',
          scope: 'kong-internal',
          ms: serviceMs + meshMs + 0.2,
          offsetMs: 2,
          children: [below],
        },
      ],
    },
    startMs,
  );
}
