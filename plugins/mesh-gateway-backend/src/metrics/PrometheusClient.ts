import type { SectionError } from '@internal/plugin-mesh-gateway-common';
import { z } from 'zod';
import { getJson, UpstreamEndpoint } from '../http/fetchJson';
import { UpstreamError } from '../http/UpstreamError';
import { UpstreamPolicy, UpstreamPolicyOptions } from '../http/UpstreamPolicy';
import type { PrometheusInstanceConfig } from './config';
import type { PromQL } from './promql';

/*
 * The Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`), shapes from Prometheus'
 * OpenAPI description (shared/contracts/prometheus): an envelope with `status` success or error,
 * sample values as strings ("NaN", "+Inf" included) next to float unix-second timestamps.
 */

const labelsSchema = z.record(z.string(), z.string());
const timestampSchema = z.number();
const samplePairSchema = z.tuple([timestampSchema, z.string()]);

// Native histogram samples (`histogram`/`histograms`) are accepted and ignored: the queries here
// read classic `_bucket` series only.
const vectorItemSchema = z.object({
  metric: labelsSchema,
  value: samplePairSchema.optional(),
  histogram: z.unknown().optional(),
});
const matrixItemSchema = z.object({
  metric: labelsSchema,
  values: z.array(samplePairSchema).optional(),
  histograms: z.unknown().optional(),
});

const dataSchema = z.discriminatedUnion('resultType', [
  z.object({ resultType: z.literal('vector'), result: z.array(vectorItemSchema) }),
  z.object({ resultType: z.literal('matrix'), result: z.array(matrixItemSchema) }),
  z.object({ resultType: z.literal('scalar'), result: samplePairSchema }),
  z.object({ resultType: z.literal('string'), result: z.tuple([timestampSchema, z.string()]) }),
]);

/** What `/api/v1/query` and `/api/v1/query_range` answer, success or error. */
export const prometheusEnvelopeSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: dataSchema,
    warnings: z.array(z.string()).optional(),
    infos: z.array(z.string()).optional(),
  }),
  z.object({
    status: z.literal('error'),
    errorType: z.string(),
    error: z.string(),
  }),
]);

export type PrometheusEnvelope = z.infer<typeof prometheusEnvelopeSchema>;

/** One series of an instant vector. */
export interface InstantSample {
  metric: Record<string, string>;
  timestampMs: number;
  /** May be NaN or ±Infinity: Prometheus says so for quantiles and ratios without data. */
  value: number;
}

/** One series of a range query. */
export interface RangeSeries {
  metric: Record<string, string>;
  points: { timestampMs: number; value: number }[];
}

export interface QueryResult<T> {
  result: T[];
  /** Prometheus' warnings (the data is still there). */
  warnings: string[];
}

/**
 * Prometheus answered a query with `status: "error"`: the query was bad (`bad_data`), could not be
 * executed (`execution`), ran out of time (`timeout`), ...
 */
export class PrometheusApiError extends Error {
  constructor(
    readonly instance: string,
    readonly errorType: string,
    message: string,
  ) {
    super(message);
    this.name = 'PrometheusApiError';
  }

  toSectionError(): SectionError {
    return { name: `prometheus-${this.errorType}`, message: this.message, instance: this.instance };
  }
}

/** Prometheus' sample value strings: decimal floats, `NaN`, `+Inf`, `-Inf`. */
export function parseSampleValue(text: string): number {
  switch (text) {
    case 'NaN':
      return NaN;
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    default: {
      const value = text.trim() === '' ? NaN : Number(text);
      if (Number.isNaN(value)) {
        throw new Error(`"${text.slice(0, 32)}" is not a sample value`);
      }
      return value;
    }
  }
}

// Statuses Prometheus answers with its error envelope (errorType → status, web/api/v1/api.go).
const ERROR_ENVELOPE_STATUSES = [400, 404, 406, 422, 499, 500, 503];

/** `/api/v1/query` and `/api/v1/query_range` of one Prometheus instance, through its upstream policy. */
export class PrometheusClient {
  private readonly endpoint: UpstreamEndpoint;

  constructor(
    readonly instance: PrometheusInstanceConfig,
    policy?: UpstreamPolicyOptions,
  ) {
    this.endpoint = {
      instance: instance.name,
      baseUrl: instance.url,
      timeoutMs: instance.timeoutMs,
      headers: instance.authToken ? { [instance.authHeaderName]: instance.authToken } : undefined,
      maxBodyBytes: 16 * 1024 * 1024,
      policy: new UpstreamPolicy(instance.name, policy),
    };
  }

  /** Evaluates `expr` at `timeMs`; the result must be an instant vector. */
  async query(expr: PromQL, timeMs: number): Promise<QueryResult<InstantSample>> {
    const params = new URLSearchParams({
      query: expr.text,
      time: unixSeconds(timeMs),
      timeout: this.serverTimeout(),
    });
    const envelope = await this.call('/api/v1/query', params);
    const data = envelope.data;
    if (data.resultType !== 'vector') {
      throw this.badResponse('/api/v1/query', `expected a vector, got a ${data.resultType}`);
    }
    const result: InstantSample[] = [];
    for (const item of data.result) {
      if (!item.value) continue;
      result.push({
        metric: item.metric,
        timestampMs: Math.round(item.value[0] * 1000),
        value: this.value('/api/v1/query', item.value[1]),
      });
    }
    return { result, warnings: envelope.warnings ?? [] };
  }

  /** Evaluates `expr` from `startMs` to `endMs` every `stepSeconds`; the result is a matrix. */
  async queryRange(
    expr: PromQL,
    startMs: number,
    endMs: number,
    stepSeconds: number,
  ): Promise<QueryResult<RangeSeries>> {
    const params = new URLSearchParams({
      query: expr.text,
      start: unixSeconds(startMs),
      end: unixSeconds(endMs),
      step: String(stepSeconds),
      timeout: this.serverTimeout(),
    });
    const envelope = await this.call('/api/v1/query_range', params);
    const data = envelope.data;
    if (data.resultType !== 'matrix') {
      throw this.badResponse('/api/v1/query_range', `expected a matrix, got a ${data.resultType}`);
    }
    const result = data.result.map(item => ({
      metric: item.metric,
      points: (item.values ?? []).map(([t, v]) => ({
        timestampMs: Math.round(t * 1000),
        value: this.value('/api/v1/query_range', v),
      })),
    }));
    return { result, warnings: envelope.warnings ?? [] };
  }

  private async call(
    path: string,
    params: URLSearchParams,
  ): Promise<Extract<PrometheusEnvelope, { status: 'success' }>> {
    let response: { status: number; body: unknown };
    try {
      response = await getJson(this.endpoint, `${path}?${params}`, {
        acceptStatuses: ERROR_ENVELOPE_STATUSES,
      });
    } catch (error) {
      // A non-JSON body on an error status is a proxy or a wrong URL, not Prometheus' envelope.
      if (error instanceof UpstreamError && error.kind === 'bad-response' && error.status && error.status >= 400) {
        throw new UpstreamError({
          kind: error.status === 404 ? 'not-found' : 'upstream-status',
          instance: this.instance.name,
          status: error.status,
          message: `${this.instance.name} ${path}: HTTP ${error.status}${error.status === 404 ? ' (is the url the base URL of a Prometheus API?)' : ''}`,
        });
      }
      throw error;
    }
    const parsed = prometheusEnvelopeSchema.safeParse(response.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      throw this.badResponse(
        path,
        `HTTP ${response.status} is not a Prometheus API response (${issue.message}${where})`,
      );
    }
    const envelope = parsed.data;
    if (envelope.status === 'error') {
      throw new PrometheusApiError(
        this.instance.name,
        envelope.errorType,
        `${this.instance.name} ${path}: ${envelope.errorType}: ${envelope.error.slice(0, 500)}`,
      );
    }
    return envelope;
  }

  private value(path: string, text: string): number {
    try {
      return parseSampleValue(text);
    } catch (error) {
      throw this.badResponse(path, (error as Error).message);
    }
  }

  private badResponse(path: string, message: string): UpstreamError {
    return new UpstreamError({
      kind: 'bad-response',
      instance: this.instance.name,
      message: `${this.instance.name} ${path}: ${message}`,
    });
  }

  /** Prometheus gives up a little before this client does, so its own timeout error arrives. */
  private serverTimeout(): string {
    const timeoutMs = this.instance.timeoutMs;
    return `${Math.max(50, timeoutMs - Math.min(1000, Math.round(timeoutMs / 10)))}ms`;
  }
}

function unixSeconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
