import { kindForStatus, UpstreamError } from './UpstreamError';
import type { UpstreamPolicy } from './UpstreamPolicy';

/** How to reach one upstream instance. */
export interface UpstreamEndpoint {
  /** Instance name, for error messages. */
  instance: string;
  baseUrl: string;
  timeoutMs: number;
  headers?: Record<string, string>;
  /** Responses larger than this are refused, so one upstream cannot exhaust memory. */
  maxBodyBytes?: number;
  /** Concurrency limit, retries and circuit breaker of the instance; every call goes through it. */
  policy?: UpstreamPolicy;
}

const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * Joins a base URL and a path without letting the path change the origin: a path is always
 * resolved below the base, never as an absolute URL or a protocol-relative one.
 */
export function joinUpstreamUrl(baseUrl: string, pathAndQuery: string): URL {
  if (!pathAndQuery.startsWith('/') || pathAndQuery.startsWith('//')) {
    throw new Error(`refusing upstream path "${pathAndQuery}": not a relative path`);
  }
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const url = new URL(`${base.origin}${basePath}${pathAndQuery}`);
  if (url.origin !== base.origin) {
    throw new Error(`refusing upstream path "${pathAndQuery}": leaves ${base.origin}`);
  }
  return url;
}

/** Result of a GET: the parsed JSON body and the HTTP status. */
export interface JsonResponse<T> {
  status: number;
  body: T;
  /** An accepted 429 or 503's `Retry-After`, in milliseconds. */
  retryAfterMs?: number;
}

/** A 5xx the caller asked to read, carried through the upstream policy as the failure it is. */
class AcceptedServerError extends UpstreamError {
  constructor(instance: string, path: string, readonly response: JsonResponse<unknown>) {
    super({
      kind: 'upstream-status',
      instance,
      status: response.status,
      retryAfterMs: response.retryAfterMs,
      message: `${instance} ${path}: HTTP ${response.status}`,
    });
  }
}

/**
 * GETs JSON from an upstream with a timeout. Non-2xx statuses listed in `acceptStatuses` are
 * returned; any other failure becomes an {@link UpstreamError} naming what went wrong.
 */
export async function getJson<T = unknown>(
  endpoint: UpstreamEndpoint,
  pathAndQuery: string,
  options: { acceptStatuses?: number[] } = {},
): Promise<JsonResponse<T>> {
  const url = joinUpstreamUrl(endpoint.baseUrl, pathAndQuery);
  if (!endpoint.policy) {
    return getJsonOnce<T>(endpoint, url, options, endpoint.timeoutMs);
  }
  // Each attempt gets the instance's timeout, or what is left of the call's deadline. A 5xx the
  // caller accepts (to read the upstream's error envelope) still counts against the instance's
  // health: it goes through the policy as a failure and comes back to the caller as a response.
  try {
    return await endpoint.policy.run(async ({ timeoutMs }) => {
      const response = await getJsonOnce<T>(endpoint, url, options, timeoutMs);
      if (response.status >= 500) throw new AcceptedServerError(endpoint.instance, url.pathname, response);
      return response;
    }, endpoint.timeoutMs);
  } catch (error) {
    if (error instanceof AcceptedServerError) return error.response as JsonResponse<T>;
    throw error;
  }
}



/** Reads `Retry-After` (seconds or an HTTP date) as milliseconds from now. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

async function getJsonOnce<T>(
  endpoint: UpstreamEndpoint,
  url: URL,
  options: { acceptStatuses?: number[] },
  timeoutMs: number,
): Promise<JsonResponse<T>> {
  const where = `${endpoint.instance} ${url.pathname}`;
  let response: Response;
  // One deadline for the whole exchange, headers and body alike.
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    response = await fetch(url, {
      method: 'GET',
      headers: { accept: 'application/json', ...endpoint.headers },
      redirect: 'error',
      signal,
    });
  } catch (error) {
    const timedOut = signal.aborted;
    throw new UpstreamError({
      kind: timedOut ? 'timeout' : 'unreachable',
      instance: endpoint.instance,
      message: timedOut
        ? `${where}: no answer within ${timeoutMs} ms`
        : `${where}: ${describeNetworkError(error)}`,
      cause: error,
    });
  }

  const text = await readBody(response, endpoint, where, signal, timeoutMs);
  const accepted =
    response.ok || options.acceptStatuses?.includes(response.status);
  if (!accepted) {
    const retryAfterMs =
      response.status === 429 || response.status === 503
        ? parseRetryAfter(response.headers.get('retry-after'))
        : undefined;
    throw new UpstreamError({
      retryAfterMs,
      kind: kindForStatus(response.status),
      instance: endpoint.instance,
      status: response.status,
      message: `${where}: HTTP ${response.status}${upstreamMessage(text)}${retryAfterMs !== undefined ? ` (Retry-After ${Math.ceil(retryAfterMs / 1000)} s)` : ''}`,
    });
  }
  try {
    const body = JSON.parse(text) as T;
    const retryAfterMs =
      response.status === 429 || response.status === 503
        ? parseRetryAfter(response.headers.get('retry-after'))
        : undefined;
    return retryAfterMs === undefined ? { status: response.status, body } : { status: response.status, body, retryAfterMs };
  } catch (error) {
    throw new UpstreamError({
      kind: 'bad-response',
      instance: endpoint.instance,
      status: response.status,
      message: `${where}: response is not valid JSON`,
      cause: error,
    });
  }
}

async function readBody(
  response: Response,
  endpoint: UpstreamEndpoint,
  where: string,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<string> {
  const limit = endpoint.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel();
    throw new UpstreamError({
      kind: 'bad-response',
      instance: endpoint.instance,
      message: `${where}: response of ${declared} bytes is over the ${limit} byte limit`,
    });
  }
  try {
    const text = await response.text();
    if (text.length > limit) {
      throw new UpstreamError({
        kind: 'bad-response',
        instance: endpoint.instance,
        message: `${where}: response is over the ${limit} byte limit`,
      });
    }
    return text;
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    const timedOut = signal.aborted;
    throw new UpstreamError({
      kind: timedOut ? 'timeout' : 'bad-response',
      instance: endpoint.instance,
      message: timedOut
        ? `${where}: response body not complete within ${timeoutMs} ms`
        : `${where}: response body truncated: ${describeNetworkError(error)}`,
      cause: error,
    });
  }
}

/** Upstream error messages are short JSON like Kong's `{"message": "..."}`; show that only. */
function upstreamMessage(text: string): string {
  try {
    const parsed = JSON.parse(text);
    const message = parsed?.message ?? parsed?.error?.message ?? parsed?.error;
    if (typeof message === 'string' && message.length > 0) {
      return ` (${message.slice(0, 200)})`;
    }
  } catch {
    // not JSON: say nothing of the body
  }
  return '';
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string; socket?: { bytesRead?: number } } })
    ?.cause;
  if (cause?.code === 'UND_ERR_SOCKET') {
    // undici: the upstream closed the connection while the request was in flight.
    const bytes = cause.socket?.bytesRead;
    return `connection closed before the response was complete (${cause.code}${bytes ? `, after ${bytes} bytes` : ''})`;
  }
  if (cause?.code === 'ECONNRESET') {
    return `connection reset by the upstream (${cause.code})`;
  }
  if (cause?.code) {
    return `connection failed (${cause.code})`;
  }
  if (cause?.message) {
    return `connection failed (${cause.message})`;
  }
  return error instanceof Error ? error.message : String(error);
}
