import { z } from 'zod';
import { MESH_BASELINE, TracesSection } from '@internal/plugin-mesh-gateway-common';

/*
 * The traces section as the backend sends it, checked before a card reads it (register it in
 * `sectionDataSchemas` of api/responseSchemas.ts). Links become `href`s: only web addresses pass.
 */

const webUrl = z.url({ protocol: /^https?$/ });
const percentiles = {
  count: z.number(),
  p50Ms: z.number(),
  p95Ms: z.number(),
  p99Ms: z.number(),
  maxMs: z.number(),
};

const sloTarget = z.object({
  value: z.number(),
  source: z.enum(['baseline', 'annotation']),
});

const traceSummary = z.object({
  traceId: z.string(),
  startTime: z.string(),
  durationMs: z.number(),
  spanCount: z.number(),
  rootService: z.string(),
  rootOperation: z.string(),
  operation: z.string().optional(),
  serviceDurationMs: z.number().optional(),
  error: z.boolean(),
  errorMessage: z.string().optional(),
  throughGateway: z.boolean(),
  url: webUrl.optional(),
});

/** @public */
export const tracesSectionSchema: z.ZodType<TracesSection> = z.object({
  instance: z.string(),
  kind: z.enum(['jaeger', 'jaeger-v3']),
  service: z.string(),
  serviceSource: z.enum(['annotation', 'kubernetes-id', 'entity-name']),
  window: z.object({
    start: z.string(),
    end: z.string(),
    durationMs: z.number(),
    source: z.enum(['default', 'annotation', 'request']),
  }),
  searchUrl: webUrl.optional(),
  limit: z.number(),
  truncated: z.boolean(),
  traceCount: z.number(),
  spanCount: z.number(),
  requestCount: z.number(),
  errorCount: z.number(),
  errorRate: z.number().nullable(),
  errorTraceCount: z.number(),
  latency: z.object(percentiles).nullable(),
  slowestOperations: z.array(
    z.object({ operation: z.string(), errorCount: z.number(), ...percentiles }),
  ),
  slowestTraces: z.array(traceSummary),
  failedTraces: z.array(traceSummary),
  gatewayCoverage: z.object({
    traces: z.number(),
    throughGateway: z.number(),
    contextLost: z.number(),
    bypassed: z.number(),
    ratio: z.number().nullable(),
    target: z.number(),
  }),
  hops: z
    .object({
      traces: z.number(),
      gatewayMs: z.number(),
      meshMs: z.number(),
      serviceMs: z.number(),
      gatewayP95Ms: z.number(),
      edgeP95Ms: z.number(),
      meshTraces: z.number(),
    })
    .nullable(),
  // A backend (or a cached answer) from before per-entity SLOs sends none: the baseline's then.
  slo: z
    .object({
      availability: sloTarget,
      gatewayP95Ms: sloTarget,
      endToEndP95Ms: sloTarget,
    })
    .default({
      availability: { value: MESH_BASELINE.slo.availability, source: 'baseline' },
      gatewayP95Ms: { value: MESH_BASELINE.slo.gatewayP95Ms, source: 'baseline' },
      endToEndP95Ms: { value: MESH_BASELINE.slo.endToEndP95Ms, source: 'baseline' },
    }),
  dependencies: z
    .object({
      source: z.enum(['dependencies-api', 'trace-spans']),
      nodes: z.array(
        z.object({
          id: z.string(),
          kind: z.enum(['service', 'gateway', 'proxy']),
          focus: z.boolean(),
        }),
      ),
      edges: z.array(
        z.object({ from: z.string(), to: z.string(), callCount: z.number() }),
      ),
    })
    .optional(),
});
