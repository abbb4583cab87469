import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { CacheManager } from '@backstage/backend-defaults/cache';
import type { SectionResult } from '@internal/plugin-mesh-gateway-common';
import { MeshSectionService } from './MeshSectionService';
import type { SectionProvider } from './SectionProvider';

const entity = (annotation = 'a'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'svc', namespace: 'default', annotations: { 'mesh-gateway.io/kong-services': annotation } },
  spec: {},
});

function countingProvider(status: 'ok' | 'error' = 'ok', delayMs = 0) {
  let calls = 0;
  const provider: SectionProvider<'kong'> & { calls: () => number; status: 'ok' | 'error' } = {
    section: 'kong',
    status,
    calls: () => calls,
    async getSection() {
      calls++;
      await new Promise(resolve => setTimeout(resolve, delayMs));
      return { section: 'kong', status: provider.status, findings: [], fetchedAt: String(calls), data: { services: [], nodes: [] } } as SectionResult<any>;
    },
  };
  return provider;
}

function setup(provider: SectionProvider, now: () => number) {
  const cache = CacheManager.fromConfig(mockServices.rootConfig()).forPlugin('mesh-gateway');
  return new MeshSectionService({
    providers: [provider],
    cache,
    logger: mockServices.logger.mock(),
    cachePolicy: { ttlMs: 1000, staleMs: 5000, errorTtlMs: 200 },
    now,
  });
}

describe('MeshSectionService', () => {
  let t = 0;
  const now = () => t;
  beforeEach(() => {
    t = 1_000_000;
  });

  it('serves fresh results from the cache, stale ones while refreshing, and refetches after', async () => {
    const provider = countingProvider();
    const service = setup(provider, now);
    const outcomes: string[] = [];
    const get = () => service.getSection(entity(), 'kong', { onOutcome: o => outcomes.push(o) });

    expect((await get()).fetchedAt).toBe('1');
    t += 500;
    expect((await get()).fetchedAt).toBe('1');
    t += 1000; // stale: served, refreshed behind
    expect((await get()).fetchedAt).toBe('1');
    await new Promise(resolve => setTimeout(resolve, 10));
    expect(provider.calls()).toBe(2);
    expect((await get()).fetchedAt).toBe('2');
    t += 10_000; // past stale: a blocking refetch
    expect((await get()).fetchedAt).toBe('3');
    expect(outcomes).toEqual(['miss', 'hit', 'stale', 'hit', 'miss']);
  });

  it('stores nothing when the TTL is zero, whatever the stale period', async () => {
    const provider = countingProvider();
    const stored: string[] = [];
    const cache = CacheManager.fromConfig(mockServices.rootConfig()).forPlugin('mesh-gateway');
    const service = new MeshSectionService({
      providers: [provider],
      cache: { ...cache, get: cache.get.bind(cache), delete: cache.delete.bind(cache), withOptions: cache.withOptions.bind(cache), set: async (key, value, options) => { stored.push(key); return cache.set(key, value, options); } },
      logger: mockServices.logger.mock(),
      cachePolicy: { ttlMs: 0, staleMs: 300_000, errorTtlMs: 5_000 },
      now,
    });
    await service.getSection(entity(), 'kong');
    await service.getSection(entity(), 'kong');
    expect(provider.calls()).toBe(2);
    expect(stored).toEqual([]);
  });

  it('makes one provider call for many concurrent viewers', async () => {
    const provider = countingProvider('ok', 20);
    const service = setup(provider, now);
    const results = await Promise.all(Array.from({ length: 50 }, () => service.getSection(entity(), 'kong')));
    expect(provider.calls()).toBe(1);
    expect(new Set(results.map(r => r.fetchedAt))).toEqual(new Set(['1']));
  });

  it('keeps errors only briefly and never serves them stale', async () => {
    const provider = countingProvider('error');
    const service = setup(provider, now);
    await service.getSection(entity(), 'kong');
    t += 100;
    await service.getSection(entity(), 'kong');
    expect(provider.calls()).toBe(1);
    t += 200;
    provider.status = 'ok';
    expect((await service.getSection(entity(), 'kong')).status).toBe('ok');
    expect(provider.calls()).toBe(2);
  });

  it('bypasses the cache on refresh and keys by annotations', async () => {
    const provider = countingProvider();
    const service = setup(provider, now);
    await service.getSection(entity(), 'kong');
    await service.getSection(entity(), 'kong', { refresh: true });
    await service.getSection(entity('b'), 'kong');
    expect(provider.calls()).toBe(3);
  });

  it('turns a provider that throws into a section error', async () => {
    const service = setup({ section: 'kong', getSection: async () => { throw new Error('boom'); } }, now);
    expect(await service.getSection(entity(), 'kong')).toMatchObject({ status: 'error', errors: [{ name: 'internal', message: 'boom' }] });
  });
});
