import { z } from 'zod';
import type { MetricsSection } from '@internal/plugin-mesh-gateway-common';

/*
 * The metrics section's data as the backend sends it, checked before the card reads it (the
 * client checks every section it knows against a schema like this one).
 */

const nullableNumber = z.number().nullable();
const nullableNumbers = z.array(nullableNumber);

const trafficSchema = z.object({
  requestRate: z.number(),
  requests: z.number(),
  errorRate: z.number(),
  errors: z.number(),
  errorShare: nullableNumber,
  clientErrorShare: nullableNumber,
});

const quantilesSchema = z.object({ p50Ms: nullableNumber, p95Ms: nullableNumber, p99Ms: nullableNumber });

const seriesSchema = z
  .object({
    timestamps: z.array(z.number()),
    requestRate: nullableNumbers,
    errorRate: nullableNumbers,
    p50Ms: nullableNumbers,
    p95Ms: nullableNumbers,
    p99Ms: nullableNumbers,
    gatewayP95Ms: nullableNumbers.optional(),
  })
  .refine(
    s =>
      [s.requestRate, s.errorRate, s.p50Ms, s.p95Ms, s.p99Ms, s.gatewayP95Ms ?? s.p95Ms].every(
        values => values.length === s.timestamps.length,
      ),
    'every series has one value per timestamp',
  );

const sourceSchema = z.enum(['gateway', 'mesh']);

/** @public */
export const metricsSectionSchema: z.ZodType<MetricsSection> = z.object({
  instance: z.string(),
  window: z.object({
    start: z.string(),
    end: z.string(),
    durationMs: z.number(),
    source: z.enum(['default', 'annotation', 'request']),
    stepSeconds: z.number(),
  }),
  gateway: z
    .object({
      kongServices: z.array(z.string()),
      metricsVersion: z.enum(['kong-3', 'kong-2']).nullable(),
      traffic: trafficSchema.nullable(),
      requestLatency: quantilesSchema.nullable(),
      kongLatency: quantilesSchema.nullable(),
      upstreamLatency: quantilesSchema.nullable(),
      series: seriesSchema.nullable(),
    })
    .nullable(),
  mesh: z
    .object({
      destination: z.record(z.string(), z.string()),
      found: z.boolean(),
      traffic: trafficSchema.nullable(),
      latency: quantilesSchema.nullable(),
      mtls: z
        .object({
          share: nullableNumber,
          mutualTlsRate: z.number(),
          plaintextRate: z.number(),
          unknownRate: z.number(),
        })
        .nullable(),
      series: seriesSchema.nullable(),
    })
    .nullable(),
  slo: z.object({
    objectives: z.array(
      z.object({
        name: z.enum(['availability', 'gateway-p95', 'end-to-end-p95']),
        target: z.number(),
        actual: nullableNumber,
        state: z.enum(['met', 'breached', 'no-data']),
        source: sourceSchema.nullable(),
        targetSource: z.enum(['baseline', 'annotation']),
      }),
    ),
    budget: z
      .object({
        allowedErrorShare: z.number(),
        errorShare: z.number(),
        burnRate: z.number(),
        remaining: z.number(),
        shortWindow: z.object({ durationMs: z.number(), burnRate: nullableNumber }),
        source: sourceSchema,
      })
      .nullable(),
  }),
});
