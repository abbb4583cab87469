import { createHash } from 'node:crypto';
import type { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { JsonValue } from '@backstage/types';
import type {
  EntityMeshOverview,
  MeshGatewaySectionData,
  MeshGatewaySectionName,
  SectionResult,
} from '@internal/plugin-mesh-gateway-common';
import { toSectionError } from '../http/UpstreamError';
import type { SectionProvider, SectionRequest } from './SectionProvider';

/** How long results live: fresh, then stale (served while a refresh runs). */
export interface SectionCachePolicy {
  /** A result younger than this is served as it is. */
  ttlMs: number;
  /** After ttlMs and until ttlMs + staleMs, the result is served and refreshed in the background. */
  staleMs: number;
  /** Results with status `error` are kept at most this long, so recovery shows quickly. */
  errorTtlMs: number;
}

export interface MeshSectionServiceOptions {
  providers: SectionProvider[];
  cache: CacheService;
  logger: LoggerService;
  cachePolicy: SectionCachePolicy;
  /** Per-section overrides of the cache policy. */
  sectionCachePolicies?: Partial<Record<MeshGatewaySectionName, Partial<SectionCachePolicy>>>;
  now?: () => number;
}

interface CachedSection {
  storedAt: number;
  result: SectionResult<unknown>;
}

/** How a result was obtained, for the response header and tests. */
export type CacheOutcome = 'hit' | 'stale' | 'miss' | 'shared';

/**
 * Fills an entity's sections through their providers. One cache entry per section and entity
 * (keyed also by the entity's annotations, so editing them takes effect at once) in
 * `coreServices.cache` (memory, Redis, ...), stale-while-revalidate, and single-flight so that
 * concurrent viewers of one entity cause one upstream fetch.
 */
export class MeshSectionService {
  private readonly providers: Map<MeshGatewaySectionName, SectionProvider>;
  private readonly inFlight = new Map<string, Promise<SectionResult<unknown>>>();
  private readonly now: () => number;

  constructor(private readonly options: MeshSectionServiceOptions) {
    this.providers = new Map(options.providers.map(p => [p.section, p]));
    this.now = options.now ?? Date.now;
  }

  get sections(): MeshGatewaySectionName[] {
    return [...this.providers.keys()];
  }

  async getSection<S extends MeshGatewaySectionName>(
    entity: Entity,
    section: S,
    options: SectionRequest & { refresh?: boolean; onOutcome?: (outcome: CacheOutcome) => void } = {},
  ): Promise<SectionResult<MeshGatewaySectionData[S]>> {
    const provider = this.providers.get(section);
    if (!provider) {
      throw new Error(`no provider for section ${section}`);
    }
    const policy = this.policyFor(section);
    const request: SectionRequest = options.window ? { window: options.window } : {};
    const key = this.cacheKey(entity, section, request);
    const report = options.onOutcome ?? (() => {});

    if (!options.refresh) {
      const cached = await this.readCache(key);
      if (cached) {
        const age = this.now() - cached.storedAt;
        const freshFor = cached.result.status === 'error' ? Math.min(policy.ttlMs, policy.errorTtlMs) : policy.ttlMs;
        if (age < freshFor) {
          report('hit');
          return cached.result as SectionResult<MeshGatewaySectionData[S]>;
        }
        if (cached.result.status !== 'error' && age < policy.ttlMs + policy.staleMs) {
          report('stale');
          this.load(provider, entity, key, request).catch(() => {});
          return cached.result as SectionResult<MeshGatewaySectionData[S]>;
        }
      }
    }
    report(this.inFlight.has(key) ? 'shared' : 'miss');
    return (await this.load(provider, entity, key, request)) as SectionResult<MeshGatewaySectionData[S]>;
  }

  async getOverview(entity: Entity, options: SectionRequest & { refresh?: boolean } = {}): Promise<EntityMeshOverview> {
    const names = this.sections;
    const results = await Promise.all(names.map(name => this.getSection(entity, name, options)));
    return {
      entityRef: stringifyEntityRef(entity),
      sections: Object.fromEntries(names.map((name, i) => [name, results[i]])) as EntityMeshOverview['sections'],
    };
  }

  /** Single-flight: one provider call per key at a time, whoever asks. */
  private load(provider: SectionProvider, entity: Entity, key: string, request: SectionRequest): Promise<SectionResult<unknown>> {
    const running = this.inFlight.get(key);
    if (running) return running;
    const promise = this.fetchAndStore(provider, entity, key, request).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  private async fetchAndStore(
    provider: SectionProvider,
    entity: Entity,
    key: string,
    request: SectionRequest,
  ): Promise<SectionResult<unknown>> {
    let result: SectionResult<unknown>;
    try {
      result = await provider.getSection(
        entity,
        {
          getSection: other => {
            if (other === provider.section) {
              throw new Error(`section ${other} cannot read itself`);
            }
            return this.getSection(entity, other);
          },
        },
        request,
      );
    } catch (error) {
      this.options.logger.error(
        `mesh-gateway ${provider.section} section of ${stringifyEntityRef(entity)} failed: ${toSectionError(error).message}`,
      );
      result = {
        section: provider.section,
        status: 'error',
        errors: [toSectionError(error)],
        findings: [],
        fetchedAt: new Date(this.now()).toISOString(),
      };
    }
    const policy = this.policyFor(provider.section);
    // A TTL of 0 turns the section's cache off, stale period included.
    let ttl = policy.ttlMs === 0 ? 0 : policy.ttlMs + policy.staleMs;
    if (result.status === 'error') ttl = Math.min(policy.ttlMs, policy.errorTtlMs);
    // A cache store keeps a zero-TTL entry forever: nothing to keep is not stored at all.
    if (ttl <= 0) return result;
    try {
      const entry: CachedSection = { storedAt: this.now(), result };
      await this.options.cache.set(key, entry as unknown as JsonValue, { ttl });
    } catch (error) {
      this.options.logger.warn(`mesh-gateway cache write failed: ${(error as Error).message}`);
    }
    return result;
  }

  private async readCache(key: string): Promise<CachedSection | undefined> {
    try {
      const entry = (await this.options.cache.get(key)) as CachedSection | undefined;
      return entry && typeof entry.storedAt === 'number' && entry.result ? entry : undefined;
    } catch (error) {
      this.options.logger.warn(`mesh-gateway cache read failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  private policyFor(section: MeshGatewaySectionName): SectionCachePolicy {
    return { ...this.options.cachePolicy, ...this.options.sectionCachePolicies?.[section] };
  }

  private cacheKey(entity: Entity, section: MeshGatewaySectionName, request: SectionRequest): string {
    const annotations = Object.entries(entity.metadata.annotations ?? {}).sort(([a], [b]) => a.localeCompare(b));
    const digest = createHash('sha256').update(JSON.stringify([annotations, request])).digest('hex').slice(0, 16);
    return `section:${section}:${stringifyEntityRef(entity)}:${digest}`;
  }
}
