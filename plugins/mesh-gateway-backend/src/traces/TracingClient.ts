import { getJson, UpstreamEndpoint } from '../http/fetchJson';
import { UpstreamError } from '../http/UpstreamError';
import {
  DEFAULT_UPSTREAM_POLICY,
  UpstreamPolicy,
  UpstreamPolicyOptions,
} from '../http/UpstreamPolicy';
import type { TracingInstanceConfig } from './config';
import {
  DependencyLink,
  parseV1Dependencies,
  parseV1Envelope,
  parseV1Services,
  parseV1TracesResponse,
} from './jaegerV1';
import {
  parseV3Services,
  parseV3TracesResponse,
  v3ErrorSchema,
} from './otlpJson';
import type { ParsedTraces } from './parseShared';
import type { NormalisedTrace } from './spanModel';

/** Traces of one service that have a span starting in [startMs, endMs]. */
export interface TraceSearch {
  service: string;
  startMs: number;
  endMs: number;
  /** The most traces to ask for. */
  limit: number;
}

/** The read side of a tracing backend, whichever API it speaks. */
export interface TracingClient {
  readonly instance: TracingInstanceConfig;
  findTraces(search: TraceSearch): Promise<ParsedTraces<NormalisedTrace>>;
  /** Service names the backend has seen. */
  services(): Promise<string[]>;
  /** Links between services as the backend aggregates them; absent when the API has none. */
  dependencies?(window: {
    startMs: number;
    endMs: number;
  }): Promise<DependencyLink[]>;
}

const ERROR_STATUSES = [400, 404, 500];

abstract class JaegerClientBase {
  readonly policy: UpstreamPolicy;
  protected readonly endpoint: UpstreamEndpoint;

  constructor(
    readonly instance: TracingInstanceConfig,
    policy: UpstreamPolicyOptions = DEFAULT_UPSTREAM_POLICY,
  ) {
    this.policy = new UpstreamPolicy(instance.name, policy);
    this.endpoint = {
      instance: instance.name,
      baseUrl: instance.baseUrl,
      timeoutMs: instance.timeoutMs,
      headers: instance.authToken
        ? { [instance.authHeaderName]: instance.authToken }
        : undefined,
      policy: this.policy,
    };
  }

  /**
   * GETs JSON; Jaeger's error statuses come back for the caller to read its error envelope. A 404
   * whose body is not JSON means the API is not there at all (wrong `kind` or `baseUrl`).
   */
  protected async get(
    pathAndQuery: string,
  ): Promise<{ status: number; body: unknown }> {
    try {
      return await getJson<unknown>(this.endpoint, pathAndQuery, {
        acceptStatuses: ERROR_STATUSES,
      });
    } catch (error) {
      if (
        error instanceof UpstreamError &&
        error.kind === 'bad-response' &&
        error.status === 404
      ) {
        throw this.error(
          'not-found',
          404,
          pathAndQuery,
          `no ${this.apiName} here; check kind and baseUrl of the instance`,
        );
      }
      throw error;
    }
  }

  protected abstract readonly apiName: string;

  protected error(
    kind: 'not-found' | 'upstream-status',
    status: number,
    pathAndQuery: string,
    message: string,
  ): UpstreamError {
    const path = pathAndQuery.split('?')[0];
    return new UpstreamError({
      kind,
      status,
      instance: this.instance.name,
      message: `${this.instance.name} ${path}: HTTP ${status} (${message.slice(0, 300)})`,
    });
  }
}

/** Jaeger's v1 query API, `/api/*` (Jaeger 1.x, and Jaeger 2.x which still serves it). */
export class JaegerV1Client extends JaegerClientBase implements TracingClient {
  protected readonly apiName = 'Jaeger /api';

  /** `start`/`end` in microseconds; Jaeger ignores `lookback` (the UI's setting), so it is not sent. */
  async findTraces(
    search: TraceSearch,
  ): Promise<ParsedTraces<NormalisedTrace>> {
    const query = new URLSearchParams({
      service: search.service,
      start: String(search.startMs * 1000),
      end: String(search.endMs * 1000),
      limit: String(search.limit),
    });
    const body = await this.read(`/api/traces?${query}`);
    return parseV1TracesResponse(body, `${this.instance.name} /api/traces`);
  }

  async services(): Promise<string[]> {
    return parseV1Services(
      await this.read('/api/services'),
      `${this.instance.name} /api/services`,
    );
  }

  /** `endTs` and `lookback` in milliseconds. */
  async dependencies(window: {
    startMs: number;
    endMs: number;
  }): Promise<DependencyLink[]> {
    const query = new URLSearchParams({
      endTs: String(window.endMs),
      lookback: String(window.endMs - window.startMs),
    });
    const body = await this.read(`/api/dependencies?${query}`);
    return parseV1Dependencies(body, `${this.instance.name} /api/dependencies`);
  }

  private async read(pathAndQuery: string): Promise<unknown> {
    const { status, body } = await this.get(pathAndQuery);
    if (status >= 400) {
      let message = 'no error message';
      try {
        message =
          parseV1Envelope(body, pathAndQuery).errors.join('; ') || message;
      } catch {
        // not Jaeger's envelope: the status says enough
      }
      throw this.error(
        status === 404 ? 'not-found' : 'upstream-status',
        status,
        pathAndQuery,
        message,
      );
    }
    return body;
  }
}

/** Jaeger v2's OTLP query API, `/api/v3/*`. */
export class JaegerV3Client extends JaegerClientBase implements TracingClient {
  protected readonly apiName = 'Jaeger /api/v3';

  /**
   * Both `start_time_min` and `start_time_max` are required (RFC 3339 with nanoseconds; the
   * snake_case names work on every 2.x release). "No traces found" comes as HTTP 404: an empty
   * result, not an error.
   */
  async findTraces(
    search: TraceSearch,
  ): Promise<ParsedTraces<NormalisedTrace>> {
    const query = new URLSearchParams({
      'query.service_name': search.service,
      'query.start_time_min': new Date(search.startMs).toISOString(),
      'query.start_time_max': new Date(search.endMs).toISOString(),
      'query.num_traces': String(search.limit),
    });
    const path = `/api/v3/traces?${query}`;
    const { status, body } = await this.get(path);
    if (status === 404 && this.gatewayError(body)?.httpCode === 404) {
      return { traces: [], problems: [] };
    }
    this.throwOnError(status, body, path);
    return parseV3TracesResponse(body, `${this.instance.name} /api/v3/traces`);
  }

  async services(): Promise<string[]> {
    const { status, body } = await this.get('/api/v3/services');
    this.throwOnError(status, body, '/api/v3/services');
    return parseV3Services(body, `${this.instance.name} /api/v3/services`);
  }

  private gatewayError(body: unknown) {
    const parsed = v3ErrorSchema.safeParse(body);
    return parsed.success ? parsed.data.error : undefined;
  }

  private throwOnError(status: number, body: unknown, path: string): void {
    if (status < 400) return;
    const message = this.gatewayError(body)?.message ?? 'no error message';
    throw this.error(
      status === 404 ? 'not-found' : 'upstream-status',
      status,
      path,
      message,
    );
  }
}

export function createTracingClient(
  instance: TracingInstanceConfig,
  policy?: UpstreamPolicyOptions,
): TracingClient {
  return instance.kind === 'jaeger-v3'
    ? new JaegerV3Client(instance, policy)
    : new JaegerV1Client(instance, policy);
}
