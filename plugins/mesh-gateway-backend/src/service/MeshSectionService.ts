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
import type { SectionProvider } from './SectionProvider';

export interface MeshSectionServiceOptions {
  providers: SectionProvider[];
  cache: CacheService;
  logger: LoggerService;
  /** How long a section result is served from the cache. */
  ttlMs: number;
}

/**
 * Fills an entity's sections through their providers, with one cache entry per section and
 * entity (keyed also by the entity's annotations, so editing them takes effect at once) and
 * single-flight, so concurrent viewers of one entity cause one upstream fetch.
 */
export class MeshSectionService {
  private readonly providers: Map<MeshGatewaySectionName, SectionProvider>;
  private readonly cache: CacheService;
  private readonly logger: LoggerService;
  private readonly ttlMs: number;
  private readonly inFlight = new Map<string, Promise<SectionResult<unknown>>>();

  constructor(options: MeshSectionServiceOptions) {
    this.providers = new Map(options.providers.map(p => [p.section, p]));
    this.cache = options.cache;
    this.logger = options.logger;
    this.ttlMs = options.ttlMs;
  }

  get sections(): MeshGatewaySectionName[] {
    return [...this.providers.keys()];
  }

  async getSection<S extends MeshGatewaySectionName>(
    entity: Entity,
    section: S,
  ): Promise<SectionResult<MeshGatewaySectionData[S]>> {
    const provider = this.providers.get(section);
    if (!provider) {
      throw new Error(`no provider for section ${section}`);
    }
    const key = this.cacheKey(entity, section);
    const cached = await this.readCache(key);
    if (cached) {
      return cached as SectionResult<MeshGatewaySectionData[S]>;
    }
    const running = this.inFlight.get(key);
    if (running) {
      return (await running) as SectionResult<MeshGatewaySectionData[S]>;
    }
    const load = this.load(provider, entity, key).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, load);
    return (await load) as SectionResult<MeshGatewaySectionData[S]>;
  }

  async getOverview(entity: Entity): Promise<EntityMeshOverview> {
    const names = this.sections;
    const results = await Promise.all(names.map(name => this.getSection(entity, name)));
    return {
      entityRef: stringifyEntityRef(entity),
      sections: Object.fromEntries(
        names.map((name, i) => [name, results[i]]),
      ) as EntityMeshOverview['sections'],
    };
  }

  private async load(
    provider: SectionProvider,
    entity: Entity,
    key: string,
  ): Promise<SectionResult<unknown>> {
    let result: SectionResult<unknown>;
    try {
      result = await provider.getSection(entity, {
        getSection: other => {
          if (other === provider.section) {
            throw new Error(`section ${other} cannot read itself`);
          }
          return this.getSection(entity, other);
        },
      });
    } catch (error) {
      this.logger.error(
        `mesh-gateway ${provider.section} section of ${stringifyEntityRef(entity)} failed: ${toSectionError(error).message}`,
      );
      result = {
        section: provider.section,
        status: 'error',
        errors: [toSectionError(error)],
        findings: [],
        fetchedAt: new Date().toISOString(),
      };
    }
    // Errors are cached briefly too, so a down upstream is not hammered by every viewer.
    const ttl = result.status === 'error' ? Math.min(this.ttlMs, 5_000) : this.ttlMs;
    try {
      await this.cache.set(key, result as unknown as JsonValue, { ttl });
    } catch (error) {
      this.logger.warn(`mesh-gateway cache write failed: ${(error as Error).message}`);
    }
    return result;
  }

  private async readCache(key: string): Promise<SectionResult<unknown> | undefined> {
    try {
      return (await this.cache.get(key)) as SectionResult<unknown> | undefined;
    } catch (error) {
      this.logger.warn(`mesh-gateway cache read failed: ${(error as Error).message}`);
      return undefined;
    }
  }

  private cacheKey(entity: Entity, section: MeshGatewaySectionName): string {
    const annotations = Object.entries(entity.metadata.annotations ?? {}).sort(
      ([a], [b]) => a.localeCompare(b),
    );
    const digest = createHash('sha256')
      .update(JSON.stringify(annotations))
      .digest('hex')
      .slice(0, 16);
    return `section:${section}:${stringifyEntityRef(entity)}:${digest}`;
  }
}
