import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  ADR_KONG_SECRETS,
  buildAdrKongDataset,
  scaleKongDataset,
} from './adrDataset';
import { KongDatasetBuilder } from './dataset';
import { loadDeckDump } from './deck';
import type { KongDataset, KongPlugin } from './types';

const DECK_EXAMPLE = path.resolve(
  __dirname,
  '../../../../../shared/contracts/deck/example-dump-format-3.0-with-credentials.yaml',
);

describe('buildAdrKongDataset', () => {
  const ds = buildAdrKongDataset();
  const service = (name: string) => ds.services.find(s => s.name === name)!;
  const pluginsOf = (filter: (p: KongPlugin) => boolean) =>
    ds.plugins
      .filter(filter)
      .map(p => p.name)
      .sort();

  it('holds the three services of the architecture documents as Kong services', () => {
    expect(ds.services.map(s => s.name).sort()).toEqual([
      'ai-agent-service',
      'analytics-service',
      'user-service',
    ]);
    for (const s of ds.services) {
      expect(s).toMatchObject({
        protocol: 'http',
        port: 8080,
        retries: 3,
        connect_timeout: 30000,
        read_timeout: 30000,
        write_timeout: 30000,
        path: null,
        enabled: true,
      });
      expect(s.tags).toEqual([
        expect.stringMatching(/^team:/),
        `service:${s.name}`,
      ]);
    }
    expect(service('ai-agent-service').host).toBe(
      'ai-agent-service.parallel-ai.svc.cluster.local',
    );
    expect(service('user-service').host).toBe(
      'user-service.parallel-ai.svc.cluster.local',
    );
    expect(service('analytics-service').host).toBe('analytics-upstream');
  });

  it('routes /api/v1/<service> for GET and POST over HTTPS, user-service also over HTTP (demo fault)', () => {
    const expected: Record<string, [string, string[]]> = {
      'ai-agent-service': ['/api/v1/ai-agent', ['https']],
      'analytics-service': ['/api/v1/analytics', ['https']],
      'user-service': ['/api/v1/users', ['http', 'https']],
    };
    for (const [name, [p, protocols]] of Object.entries(expected)) {
      const routes = ds.routes.filter(r => r.service?.id === service(name).id);
      expect(routes).toHaveLength(1);
      expect(routes[0]).toMatchObject({
        paths: [p],
        methods: ['GET', 'POST'],
        strip_path: false,
        protocols,
      });
    }
  });

  it('attaches jwt and request-transformer to every service, rate-limiting to ai-agent-service', () => {
    expect(
      pluginsOf(p => p.service?.id === service('ai-agent-service').id),
    ).toEqual(['jwt', 'rate-limiting', 'request-transformer']);
    for (const name of ['analytics-service', 'user-service']) {
      expect(pluginsOf(p => p.service?.id === service(name).id)).toEqual([
        'jwt',
        'request-transformer',
      ]);
    }
    for (const jwt of ds.plugins.filter(p => p.name === 'jwt')) {
      expect(jwt.config).toMatchObject({
        claims_to_verify: ['exp'],
        key_claim_name: 'iss',
        header_names: ['authorization'],
        uri_param_names: ['jwt'],
      });
    }
    for (const rt of ds.plugins.filter(p => p.name === 'request-transformer')) {
      expect((rt.config.add as { headers: string[] }).headers).toEqual([
        'x-request-source:kong-gateway',
      ]);
    }
    const rateLimiting = ds.plugins.find(p => p.name === 'rate-limiting')!;
    expect(rateLimiting.config).toMatchObject({
      policy: 'redis',
      redis: {
        password: ADR_KONG_SECRETS.rateLimitingRedisPassword,
        port: 6379,
        ssl: false,
      },
    });
  });

  it('runs prometheus and opentelemetry globally, with tracing switched off on the analytics route', () => {
    const global = ds.plugins.filter(
      p => !p.service && !p.route && !p.consumer,
    );
    expect(global.map(p => p.name).sort()).toEqual([
      'opentelemetry',
      'prometheus',
    ]);
    expect(global.find(p => p.name === 'prometheus')!.config).toEqual({
      per_consumer: false,
      status_code_metrics: true,
      ai_metrics: false,
      latency_metrics: true,
      bandwidth_metrics: true,
      upstream_health_metrics: true,
    });
    const analyticsRoute = ds.routes.find(
      r => r.service?.id === service('analytics-service').id,
    )!;
    const override = ds.plugins.filter(p => p.route?.id === analyticsRoute.id);
    expect(override).toEqual([
      expect.objectContaining({ name: 'opentelemetry', enabled: false }),
    ]);
  });

  it('has consumer mobile-app with a key-auth credential', () => {
    expect(ds.consumers.map(c => c.username)).toEqual(['mobile-app']);
    expect(ds.keyAuthCredentials).toEqual([
      expect.objectContaining({
        consumer: { id: ds.consumers[0].id },
        key: ADR_KONG_SECRETS.mobileAppKeyAuthKey,
      }),
    ]);
  });

  it('balances analytics-service over one healthy and one unhealthy target', () => {
    expect(ds.upstreams.map(u => u.name)).toEqual(['analytics-upstream']);
    expect(ds.targets.map(t => [t.target, t.health])).toEqual([
      ['10.42.1.17:8080', 'HEALTHY'],
      ['10.42.2.23:8080', 'UNHEALTHY'],
    ]);
    expect(
      ds.upstreams[0].healthchecks.active.healthy.interval,
    ).toBeGreaterThan(0);
  });

  it('derives the same ids on every build, and other ids from another seed', () => {
    const again = buildAdrKongDataset();
    expect(again).toEqual(ds);
    const other = buildAdrKongDataset({ idSeed: 'kong-enterprise' });
    expect(other.services[0].name).toBe(ds.services[0].name);
    expect(other.services[0].id).not.toBe(ds.services[0].id);
    const ids = Object.values(ds).flatMap(v =>
      Array.isArray(v) ? v.map((e: { id: string }) => e.id) : [],
    );
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids)
      expect(id).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
  });
});

describe('scaleKongDataset', () => {
  it('adds 10,000 routes and 50,000 plugins, each plugin name at most once per scope', () => {
    const base = buildAdrKongDataset();
    const big = scaleKongDataset(base, { routes: 10_000, plugins: 50_000 });
    expect(big.routes).toHaveLength(base.routes.length + 10_000);
    expect(big.services).toHaveLength(base.services.length + 1000);
    expect(big.plugins).toHaveLength(base.plugins.length + 50_000);
    const scopes = new Set(
      big.plugins.map(
        p => `${p.name}|${p.route?.id}|${p.service?.id}|${p.consumer?.id}`,
      ),
    );
    expect(scopes.size).toBe(big.plugins.length);
    const routeIds = new Set(big.routes.map(r => r.id));
    expect(big.plugins.every(p => !p.route || routeIds.has(p.route.id))).toBe(
      true,
    );
    // The base is left as it was.
    expect(base.routes).toHaveLength(3);
  });

  it('refuses more plugins than fit', () => {
    expect(() =>
      scaleKongDataset(buildAdrKongDataset(), { routes: 10, plugins: 1000 }),
    ).toThrow(/do not fit/);
  });
});

describe('loadDeckDump', () => {
  const text = readFileSync(DECK_EXAMPLE, 'utf8');

  it('loads the decK example as Kong would store it', () => {
    const ds: KongDataset = loadDeckDump(text);
    expect(ds.services.map(s => s.name)).toEqual(['svc1', 'svc2', 'svc3']);
    expect(
      ds.routes.map(r => [
        r.name,
        ds.services.find(s => s.id === r.service?.id)?.name,
      ]),
    ).toEqual([
      ['r1', 'svc1'],
      ['r2', 'svc2'],
      ['r3', 'svc3'],
    ]);
    expect(ds.routes[2]).toMatchObject({
      methods: ['GET'],
      https_redirect_status_code: 301,
      hosts: null,
    });
    expect(ds.plugins).toEqual([
      expect.objectContaining({
        name: 'prometheus',
        service: null,
        route: null,
        protocols: ['http', 'https'],
      }),
    ]);
    expect(ds.certificates).toHaveLength(1);
    expect(ds.certificates[0].key).toContain('BEGIN PRIVATE KEY');
    expect(ds.snis.map(s => s.name)).toEqual([
      'demo1.example.com',
      'demo2.example.com',
      'demo3.example.com',
    ]);
    expect(ds.snis.every(s => s.certificate.id === ds.certificates[0].id)).toBe(
      true,
    );
    expect(ds.consumers.map(c => c.username)).toEqual(['harry']);
    expect(ds.keyAuthCredentials.map(c => c.key)).toEqual([
      'iwb6Djkk4HhUlOCmLilDIKh6nZrn90ts',
    ]);
    expect(ds.jwtSecrets.map(c => c.secret)).toEqual([
      '6gkrxTKAraykMSpmnLNEGiEE3Yz8XL6U',
    ]);
    expect(ds.hmacAuthCredentials.map(c => c.username)).toEqual(['hmac-user']);
    expect(ds.acls.map(c => c.group)).toEqual(['foo-group']);
    expect(ds.targets.map(t => t.target)).toEqual([
      '198.51.100.11:80',
      '198.51.100.12:80',
      '198.51.100.13:80',
    ]);
    expect(
      ds.upstreams[0].healthchecks.passive.unhealthy.http_statuses,
    ).toEqual([429, 500, 503]);
  });

  it('loads on top of another dataset and resolves references by name', () => {
    const ds = loadDeckDump(
      [
        '_format_version: "3.0"',
        'routes:',
        '- name: extra-route',
        '  service: user-service',
        '  paths: [/extra]',
        'plugins:',
        '- name: cors',
        '  route: extra-route',
        '- name: rate-limiting',
        '  consumer: mobile-app',
        '  service: { name: ai-agent-service }',
        '  config: { minute: 10 }',
      ].join('\n'),
      { base: buildAdrKongDataset() },
    );
    const route = ds.routes.find(r => r.name === 'extra-route')!;
    expect(route.service).toEqual({
      id: ds.services.find(s => s.name === 'user-service')!.id,
    });
    expect(ds.plugins.find(p => p.name === 'cors')!.route).toEqual({
      id: route.id,
    });
    const consumerScoped = ds.plugins.find(
      p => p.name === 'rate-limiting' && p.consumer,
    )!;
    expect(consumerScoped.config).toMatchObject({
      minute: 10,
      policy: 'local',
      redis: { port: 6379 },
    });
  });

  it.each([
    ['_format_version: "9.9"\n', /_format_version/],
    ['_format_version: "3.0"\nservices:\n- host: x\n', /services\.0\.name/],
    [
      '_format_version: "3.0"\nroutes:\n- name: r\n  service: missing\n  paths: [/]\n',
      /does not reference an existing 'services'/,
    ],
    [
      '_format_version: "3.0"\nplugins:\n- name: cors\n- name: cors\n',
      /UNIQUE violation/,
    ],
  ])('rejects %j', (yamlText, message) => {
    expect(() => loadDeckDump(yamlText)).toThrow(message);
  });
});

describe('KongDatasetBuilder', () => {
  it('fills Kong defaults and checks uniqueness', () => {
    const kong = new KongDatasetBuilder();
    const service = kong.addService({
      name: 'echo',
      url: 'https://echo.internal:8443/v1',
    });
    expect(service).toMatchObject({
      protocol: 'https',
      host: 'echo.internal',
      port: 8443,
      path: '/v1',
      retries: 5,
      tags: null,
    });
    expect(() => kong.addService({ name: 'echo', host: 'x' })).toThrow(
      /UNIQUE violation/,
    );
    const target = kong.addTarget({
      upstream: kong.addUpstream({ name: 'u' }).id,
      target: 'host.internal',
    });
    expect(target.target).toBe('host.internal:8000');
    const basic = kong.addBasicAuth({
      consumer: kong.addConsumer({ username: 'c' }).id,
      username: 'u',
      password: 'pw',
    });
    // Stored hashed, as Kong does (SHA-1 of password + consumer id).
    expect(basic.password).toMatch(/^[0-9a-f]{40}$/);
  });
});
