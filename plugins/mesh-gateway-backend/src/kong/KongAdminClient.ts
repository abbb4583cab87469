import { getJson, UpstreamEndpoint } from '../http/fetchJson';
import { UpstreamError } from '../http/UpstreamError';
import { DEFAULT_UPSTREAM_POLICY, UpstreamPolicy, UpstreamPolicyOptions } from '../http/UpstreamPolicy';
import type { KongInstanceConfig } from './config';

/** Kong's list envelope (kong/api/endpoints.lua). */
interface KongPage<T> {
  data: T[];
  offset?: string;
  next: string | null;
}

/** Above this many pages a list is treated as runaway rather than followed forever. */
const MAX_PAGES = 10_000;

/**
 * A read-only client of one Kong Admin API (OSS, or an Enterprise workspace). It knows Kong's
 * pagination and nothing about entities or secrets: callers parse and redact what it returns.
 */
export class KongAdminClient {
  readonly instance: KongInstanceConfig;
  private readonly endpoint: UpstreamEndpoint;
  private readonly prefix: string;

  readonly policy: UpstreamPolicy;

  constructor(instance: KongInstanceConfig, policy: UpstreamPolicyOptions = DEFAULT_UPSTREAM_POLICY) {
    this.instance = instance;
    this.policy = new UpstreamPolicy(instance.name, policy);
    this.prefix = instance.workspace
      ? `/${encodeURIComponent(instance.workspace)}`
      : '';
    this.endpoint = {
      instance: instance.name,
      baseUrl: instance.adminUrl,
      timeoutMs: instance.timeoutMs,
      headers: instance.authToken
        ? { [instance.authHeaderName]: instance.authToken }
        : undefined,
      policy: this.policy,
    };
  }

  /** GETs one entity; undefined when Kong answers 404. */
  async get<T>(path: string): Promise<T | undefined> {
    const response = await getJson<T>(this.endpoint, this.prefix + path, {
      acceptStatuses: [404],
    });
    return response.status === 404 ? undefined : response.body;
  }

  /** GETs a node-level endpoint (like `/status`) that has no workspace prefix. */
  async getNode<T>(path: string): Promise<T> {
    return (await getJson<T>(this.endpoint, path)).body;
  }

  /** Like {@link list}, but undefined when the collection's parent does not exist (404). */
  async listOrUndefined<T>(path: string, query: Record<string, string> = {}): Promise<T[] | undefined> {
    try {
      return await this.list<T>(path, query);
    } catch (error) {
      if (error instanceof UpstreamError && error.kind === 'not-found') return undefined;
      throw error;
    }
  }

  /**
   * Lists every item of a collection: asks for the configured page size and follows `next`,
   * a path relative to the Admin API root, until Kong answers `next: null`.
   */
  async list<T>(path: string, query: Record<string, string> = {}): Promise<T[]> {
    const params = new URLSearchParams({
      ...query,
      size: String(this.instance.pageSize),
    });
    let next: string | null = `${this.prefix}${path}?${params}`;
    const items: T[] = [];
    for (let page = 0; next !== null; page++) {
      if (page >= MAX_PAGES) {
        throw new UpstreamError({
          kind: 'bad-response',
          instance: this.instance.name,
          message: `${this.instance.name} ${path}: more than ${MAX_PAGES} pages`,
        });
      }
      const { body } = await getJson<KongPage<T>>(this.endpoint, next);
      if (!body || !Array.isArray(body.data)) {
        throw new UpstreamError({
          kind: 'bad-response',
          instance: this.instance.name,
          message: `${this.instance.name} ${path}: not a Kong list (no "data" array)`,
        });
      }
      items.push(...body.data);
      next = this.nextPath(body.next, path, params);
    }
    return items;
  }

  private nextPath(next: unknown, path: string, params: URLSearchParams): string | null {
    if (next === null || next === undefined) {
      return null;
    }
    if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//')) {
      throw new UpstreamError({
        kind: 'bad-response',
        instance: this.instance.name,
        message: `${this.instance.name} ${path}: "next" is not a relative path`,
      });
    }
    // Kong's `next` for nested lists (`/services/{id}/routes`) carries neither `size` nor
    // `tags`: followed as is, later pages fall back to 100 items and drop the tag filter.
    const url = new URL(next, 'http://kong');
    for (const [key, value] of params) {
      if (!url.searchParams.has(key)) url.searchParams.set(key, value);
    }
    const relative = `${url.pathname}${url.search}`;
    // Enterprise may or may not echo the workspace in `next`; never add it twice.
    if (!this.prefix || relative.startsWith(`${this.prefix}/`)) {
      return relative;
    }
    return this.prefix + relative;
  }
}
