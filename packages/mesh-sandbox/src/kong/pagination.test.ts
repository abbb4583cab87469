import { httpGet, walkPages } from '../testing/httpGet';
import { KongDatasetBuilder } from './dataset';
import { KongAdminServer, startKongAdminServer } from './server';
import type { KongDataset } from './types';

/** One service `catalog` holding `count` routes; every third route tagged `blue`, every fifth `red`. */
function datasetWithRoutes(count: number): KongDataset {
  const kong = new KongDatasetBuilder({ idSeed: `pagination-${count}` });
  kong.addService({
    name: 'catalog',
    host: 'catalog.shop.svc.cluster.local',
    port: 8080,
  });
  for (let i = 0; i < count; i++) {
    const tags = [
      ...(i % 3 === 0 ? ['blue'] : []),
      ...(i % 5 === 0 ? ['red'] : []),
      'team:shop',
    ];
    kong.addRoute({
      name: `route-${i}`,
      service: 'catalog',
      paths: [`/r/${i}`],
      tags,
    });
  }
  return kong.build();
}

function idsOf(pages: any[]): string[] {
  return pages.flatMap(page =>
    page.data.map((item: { id: string }) => item.id),
  );
}

/** The checks every walk must pass: envelope on each page, every item exactly once, in id order. */
function expectCompleteWalk(
  pages: any[],
  dataset: KongDataset,
  expectedIds: string[],
) {
  const ids = idsOf(pages);
  expect(ids).toHaveLength(expectedIds.length);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual([...expectedIds].sort());
  expect(ids).toEqual([...ids].sort());
  pages.forEach((page, i) => {
    const last = i === pages.length - 1;
    if (last) {
      expect(page.next).toBeNull();
      expect(Object.keys(page)).not.toContain('offset');
    } else {
      expect(typeof page.offset).toBe('string');
      expect(page.next).toMatch(/^\/[^/]/);
      expect(page.next).toContain(`offset=${encodeURIComponent(page.offset)}`);
    }
  });
  expect(dataset.routes.length).toBeGreaterThanOrEqual(expectedIds.length);
}

describe.each([1, 1000, 1001, 2500])(
  'walking %i routes by following next',
  count => {
    const dataset = datasetWithRoutes(count);
    const allIds = dataset.routes.map(r => r.id);
    const service = dataset.services[0];
    let server: KongAdminServer;
    beforeAll(async () => {
      server = await startKongAdminServer({ dataset });
    });
    afterAll(() => server.close());

    it.each([undefined, 1000, 7])(
      '/routes with size %s yields every route once',
      async size => {
        const first = size === undefined ? '/routes' : `/routes?size=${size}`;
        const pages = await walkPages(server.url, first);
        expectCompleteWalk(pages, dataset, allIds);
        const pageSize = size ?? 100;
        expect(pages).toHaveLength(Math.max(1, Math.ceil(count / pageSize)));
        for (const page of pages.slice(0, -1)) {
          expect(page.data).toHaveLength(pageSize);
          // Top-level `next` repeats the size the client asked for, and only then.
          expect(page.next).toMatch(
            new RegExp(
              `^/routes\\?offset=[^&]+${size === undefined ? '' : `&size=${size}`}$`,
            ),
          );
        }
      },
    );

    it('/services/{name}/routes: next names the service by id and drops size', async () => {
      const pages = await walkPages(
        server.url,
        `/services/${service.name}/routes?size=7`,
      );
      expectCompleteWalk(pages, dataset, allIds);
      for (const page of pages.slice(0, -1)) {
        expect(page.next).toMatch(
          new RegExp(`^/services/${service.id}/routes\\?offset=[^&]+$`),
        );
      }
      // After the first page the default size (100) applies, since `next` has no size.
      expect(pages.slice(0, 2).map(page => page.data.length)).toEqual(
        count > 7 ? [7, Math.min(100, count - 7)] : [count],
      );
    });

    it('tags filters across pages and next carries the filter before the size', async () => {
      const blueOrRed = dataset.routes
        .filter(r => r.tags!.includes('blue') || r.tags!.includes('red'))
        .map(r => r.id);
      const orPages = await walkPages(
        server.url,
        '/routes?tags=blue/red&size=50',
      );
      expectCompleteWalk(orPages, dataset, blueOrRed);
      expect(orPages).toHaveLength(
        Math.max(1, Math.ceil(blueOrRed.length / 50)),
      );
      const firstNext: string | null = orPages[0].next;
      expect(
        firstNext === null ||
          /^\/routes\?offset=[^&]+&tags=blue%2Fred&size=50$/.test(firstNext),
      ).toBe(true);

      const blueAndRed = dataset.routes
        .filter(r => r.tags!.includes('blue') && r.tags!.includes('red'))
        .map(r => r.id);
      const andPages = await walkPages(server.url, '/routes?tags=blue,red');
      expectCompleteWalk(andPages, dataset, blueAndRed);
    });
  },
);

describe('page size and offset errors', () => {
  let server: KongAdminServer;
  beforeAll(async () => {
    server = await startKongAdminServer({ dataset: datasetWithRoutes(3) });
  });
  afterAll(() => server.close());

  it.each([
    ['0', 'size must be an integer between 1 and 1000'],
    ['1001', 'size must be an integer between 1 and 1000'],
    ['-5', 'size must be an integer between 1 and 1000'],
    ['5.5', 'size must be an integer between 1 and 1000'],
    ['abc', 'size must be a number'],
    ['', 'size must be a number'],
  ])('size=%s is 400 "%s"', async (size, message) => {
    for (const p of ['/routes', '/services/catalog/routes', '/plugins']) {
      const response = await httpGet(server.url, `${p}?size=${size}`);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ code: 9, name: 'invalid size', message });
    }
  });

  it('a repeated size is not a number, as in Kong', async () => {
    const response = await httpGet(server.url, '/routes?size=1&size=2');
    expect(response.body).toEqual({
      code: 9,
      name: 'invalid size',
      message: 'size must be a number',
    });
  });

  it.each([
    ['not-base64!', 'bad base64 encoding'],
    ['aGVsbG8', 'bad json encoding'],
  ])('offset=%s is 400 (%s)', async (offset, reason) => {
    const response = await httpGet(
      server.url,
      `/routes?offset=${encodeURIComponent(offset)}`,
    );
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      code: 7,
      name: 'invalid offset',
      message: `'${offset}' is not a valid offset: ${reason}`,
    });
  });

  it('mixing AND and OR in tags is an invalid option', async () => {
    const response = await httpGet(server.url, '/routes?tags=blue,red/green');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      code: 11,
      name: 'invalid options',
      message: 'invalid option (tags: invalid filter syntax)',
      options: { tags: 'invalid filter syntax' },
    });
  });

  it('a single page has next null and no offset key', async () => {
    const response = await httpGet(server.url, '/routes');
    expect(response.body.data).toHaveLength(3);
    expect(response.body.next).toBeNull();
    expect('offset' in response.body).toBe(false);
  });
});

describe('nested next options', () => {
  it('can echo the path segment instead of the parent id (what kong/api/endpoints.lua formats)', async () => {
    const dataset = datasetWithRoutes(5);
    const server = await startKongAdminServer({
      dataset,
      nestedNextUses: 'path-segment',
    });
    try {
      const first = await httpGet(
        server.url,
        '/services/catalog/routes?size=2',
      );
      expect(first.body.next).toMatch(
        /^\/services\/catalog\/routes\?offset=[^&]+$/,
      );
      const pages = await walkPages(
        server.url,
        '/services/catalog/routes?size=2',
      );
      expect(idsOf(pages).sort()).toEqual(dataset.routes.map(r => r.id).sort());
    } finally {
      await server.close();
    }
  });

  it('targets page by position and health pages name the upstream as called', async () => {
    const kong = new KongDatasetBuilder();
    const upstream = kong.addUpstream({ name: 'pool' });
    for (let i = 0; i < 5; i++)
      kong.addTarget({ upstream: 'pool', target: `10.0.0.${i}:80` });
    const server = await startKongAdminServer({ dataset: kong.build() });
    try {
      const targets = await walkPages(
        server.url,
        '/upstreams/pool/targets?size=2',
      );
      expect(targets[0].offset).toBe('2');
      expect(targets[0].next).toBe(
        `/upstreams/${upstream.id}/targets?offset=2`,
      );
      expect(idsOf(targets)).toHaveLength(5);
      const health = await walkPages(
        server.url,
        '/upstreams/pool/health?size=2',
      );
      expect(health[0].next).toBe('/upstreams/pool/health?offset=2');
      expect(idsOf(health)).toHaveLength(5);
      // Newest first, as kong/db/dao/targets.lua reads the history backwards.
      expect(
        idsOf(targets).map(
          id => kong.build().targets.find(t => t.id === id)!.target,
        ),
      ).toEqual([
        '10.0.0.4:80',
        '10.0.0.3:80',
        '10.0.0.2:80',
        '10.0.0.1:80',
        '10.0.0.0:80',
      ]);
    } finally {
      await server.close();
    }
  });
});
