import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PortInUseError } from '../listen';
import { httpGet, walkPages } from '../testing/httpGet';
import { ADR_KONG_SECRETS, buildAdrKongDataset } from './adrDataset';
import { KongDatasetBuilder } from './dataset';
import { KongAdminServer, startKongAdminServer } from './server';

const adr = buildAdrKongDataset();

describe('Kong Enterprise-style instance: workspace and Kong-Admin-Token', () => {
  let server: KongAdminServer;
  const token = { 'Kong-Admin-Token': 'ws-token-1' };
  beforeAll(async () => {
    server = await startKongAdminServer({
      dataset: buildAdrKongDataset({
        node: { edition: 'enterprise', version: '3.10.0.0' },
      }),
      workspace: 'platform',
      adminToken: 'ws-token-1',
    });
  });
  afterAll(() => server.close());

  it('answers 401 without the token, and with a wrong one', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { 'Kong-Admin-Token': 'nope' },
      { apikey: 'ws-token-1' },
    ];
    for (const headers of attempts) {
      const response = await httpGet(server.url, '/platform/services', headers);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        message: 'Invalid credentials. Token or User credentials required',
      });
    }
    // Even unknown paths are behind the token.
    expect((await httpGet(server.url, '/nowhere')).status).toBe(401);
  });

  it('answers 200 with the token, under the workspace prefix', async () => {
    const response = await httpGet(server.url, '/platform/services', token);
    expect(response.status).toBe(200);
    expect(
      response.body.data.map((s: { name: string }) => s.name).sort(),
    ).toEqual(['ai-agent-service', 'analytics-service', 'user-service']);
    const route = await httpGet(
      server.url,
      '/platform/routes/user-service-api',
      token,
    );
    expect(route.body.paths).toEqual(['/api/v1/users']);
  });

  it('requires the workspace prefix for entities but not for node endpoints', async () => {
    expect((await httpGet(server.url, '/services', token)).status).toBe(404);
    expect((await httpGet(server.url, '/other/services', token)).body).toEqual({
      message: 'Not found',
    });
    expect((await httpGet(server.url, '/status', token)).status).toBe(200);
    const info = await httpGet(server.url, '/', token);
    expect(info.body.edition).toBe('enterprise');
    expect(info.body.version).toBe('3.10.0.0');
  });

  it('serves Enterprise plugin fields and pages without the workspace in next by default', async () => {
    const plugins = await httpGet(
      server.url,
      '/platform/plugins?size=2',
      token,
    );
    expect(plugins.body.data[0]).toHaveProperty('consumer_group', null);
    expect(plugins.body.next).toMatch(/^\/plugins\?offset=/);
    const pages = await walkPages(
      server.url,
      '/platform/plugins?size=2',
      token,
    ).catch(e => e);
    // Followed literally, `next` leaves the workspace: a client must add the prefix itself.
    expect(pages).toBeInstanceOf(Error);
  });

  it('puts the workspace into next when configured to', async () => {
    const other = await startKongAdminServer({
      dataset: adr,
      workspace: 'platform',
      nextIncludesWorkspace: true,
    });
    try {
      const pages = await walkPages(other.url, '/platform/plugins?size=2');
      expect(pages[0].next).toMatch(
        /^\/platform\/plugins\?offset=[^&]+&size=2$/,
      );
      expect(pages.flatMap(p => p.data)).toHaveLength(adr.plugins.length);
    } finally {
      await other.close();
    }
  });
});

describe('an OSS Admin API behind key-auth (authHeader apikey)', () => {
  it('answers like the key-auth plugin', async () => {
    const server = await startKongAdminServer({
      dataset: adr,
      adminToken: 'k3y',
      authHeader: 'apikey',
    });
    try {
      const missing = await httpGet(server.url, '/services');
      expect(missing.status).toBe(401);
      expect(missing.body).toEqual({ message: 'No API key found in request' });
      expect(missing.headers['www-authenticate']).toBe('Key realm="kong"');
      const wrong = await httpGet(server.url, '/services', { apikey: 'nope' });
      expect(wrong.body).toEqual({ message: 'Unauthorized' });
      expect(
        (await httpGet(server.url, '/services', { apikey: 'k3y' })).status,
      ).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('Kong OSS instance over the ADR dataset', () => {
  let server: KongAdminServer;
  beforeAll(async () => {
    server = await startKongAdminServer({ dataset: adr });
  });
  afterAll(() => server.close());

  it('ignores Kong-Admin-Token and has no workspaces', async () => {
    expect(
      (
        await httpGet(server.url, '/services', {
          'Kong-Admin-Token': 'anything',
        })
      ).status,
    ).toBe(200);
    expect((await httpGet(server.url, '/default/services')).status).toBe(404);
  });

  it.each([
    '/nope',
    '/services/no-such-service',
    '/services/00000000-0000-4000-8000-000000000000',
    '/services/user-service/routes/ai-agent-service-api',
    '/services/user-service/nope',
    '/routes/user-service-api/plugins/00000000-0000-4000-8000-000000000000',
    '/upstreams/no-such/health',
    '/certificates/unknown.example.com',
    '/consumers/mobile-app/key-auth/00000000-0000-4000-8000-000000000000',
    '/services/user-service/routes/user-service-api/extra/segments',
  ])('GET %s is 404 {"message":"Not found"}', async p => {
    const response = await httpGet(server.url, p);
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ message: 'Not found' });
  });

  it('finds entities by id or by name, and a route through its service', async () => {
    const service = adr.services.find(s => s.name === 'user-service')!;
    expect((await httpGet(server.url, `/services/${service.id}`)).body).toEqual(
      service,
    );
    expect((await httpGet(server.url, '/services/user-service')).body).toEqual(
      service,
    );
    const route = await httpGet(
      server.url,
      '/services/user-service/routes/user-service-api',
    );
    expect(route.body.service).toEqual({ id: service.id });
    expect(
      (await httpGet(server.url, '/routes/user-service-api/service')).body,
    ).toEqual(service);
  });

  it('is read-only: other methods are 405', async () => {
    const response = await httpGet(server.url, '/services', {}, 'POST');
    expect(response.status).toBe(405);
    expect(response.body).toEqual({ message: 'Method not allowed' });
  });

  it('filters plugins by tags like Kong: a,b is AND, a/b is OR', async () => {
    const names = async (tags: string) =>
      (
        await httpGet(server.url, `/plugins?tags=${encodeURIComponent(tags)}`)
      ).body.data
        .map((p: { name: string }) => p.name)
        .sort();
    expect(await names('service:ai-agent-service')).toEqual([
      'jwt',
      'rate-limiting',
      'request-transformer',
    ]);
    expect(await names('team:ai-platform,service:user-service')).toEqual([]);
    expect(
      await names('service:ai-agent-service/service:user-service'),
    ).toEqual([
      'jwt',
      'jwt',
      'rate-limiting',
      'request-transformer',
      'request-transformer',
    ]);
  });

  it('serves secrets as Kong does: the backend, not Kong, must drop them', async () => {
    const certificates = await httpGet(server.url, '/certificates');
    expect(certificates.body.data[0].key).toBe(
      ADR_KONG_SECRETS.certificatePrivateKey,
    );
    expect(certificates.body.data[0].snis).toEqual([
      'api.parallel-ai.example.com',
    ]);
    const bySni = await httpGet(
      server.url,
      '/certificates/api.parallel-ai.example.com',
    );
    expect(bySni.body.id).toBe(certificates.body.data[0].id);
    const keys = await httpGet(server.url, '/consumers/mobile-app/key-auth');
    expect(keys.body.data[0].key).toBe(ADR_KONG_SECRETS.mobileAppKeyAuthKey);
    const rateLimiting = await httpGet(
      server.url,
      '/services/ai-agent-service/plugins',
    );
    const plugin = rateLimiting.body.data.find(
      (p: { name: string }) => p.name === 'rate-limiting',
    );
    expect(plugin.config.redis.password).toBe(
      ADR_KONG_SECRETS.rateLimitingRedisPassword,
    );
  });

  it('marks secret plugin fields in /schemas/plugins/{name} the way Kong does', async () => {
    const configFields = async (name: string) => {
      const { body } = await httpGet(server.url, `/schemas/plugins/${name}`);
      const config = body.fields.find((f: object) => 'config' in f).config;
      expect(config.type).toBe('record');
      return Object.assign({}, ...config.fields);
    };
    const rateLimiting = await configFields('rate-limiting');
    const redis = Object.assign({}, ...rateLimiting.redis.fields);
    expect(redis.password).toMatchObject({
      type: 'string',
      encrypted: true,
      referenceable: true,
    });
    expect(redis.username).toMatchObject({ referenceable: true });
    expect(redis.host.encrypted).toBeUndefined();
    const otel = await configFields('opentelemetry');
    expect(otel.headers).toMatchObject({
      type: 'map',
      values: { type: 'string', referenceable: true },
    });
    for (const name of [
      'jwt',
      'prometheus',
      'request-transformer',
      'key-auth',
    ]) {
      expect(await configFields(name)).toBeDefined();
    }
    const unknown = await httpGet(
      server.url,
      '/schemas/plugins/no-such-plugin',
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({
      message: "No plugin named 'no-such-plugin'",
    });
  });

  it('reports target health and balancer health from the upstream', async () => {
    const health = await httpGet(
      server.url,
      '/upstreams/analytics-upstream/health',
    );
    const byTarget = Object.fromEntries(
      health.body.data.map((t: { target: string; health: string }) => [
        t.target,
        t.health,
      ]),
    );
    expect(byTarget).toEqual({
      '10.42.1.17:8080': 'HEALTHY',
      '10.42.2.23:8080': 'UNHEALTHY',
    });
    expect(health.body.next).toBeNull();
    const balancer = await httpGet(
      server.url,
      '/upstreams/analytics-upstream/health?balancer_health=1',
    );
    expect(balancer.body).toMatchObject({
      data: {
        health: 'HEALTHY',
        balancer_health: 'HEALTHY',
        details: {
          healthy: true,
          weight: { total: 200, available: 100, unavailable: 100 },
        },
      },
      next: null,
      node_id: adr.node.nodeId,
    });
    // The plain targets list carries no health.
    const targets = await httpGet(
      server.url,
      '/upstreams/analytics-upstream/targets',
    );
    expect(targets.body.data[0]).not.toHaveProperty('health');
  });

  it('reports HEALTHCHECKS_OFF when the upstream runs no health checks', async () => {
    const kong = new KongDatasetBuilder();
    kong.addUpstream({ name: 'plain' });
    kong.addTarget({ upstream: 'plain', target: 'backend.internal' });
    const plain = await startKongAdminServer({ dataset: kong.build() });
    try {
      const { body } = await httpGet(plain.url, '/upstreams/plain/health');
      expect(body.data).toEqual([
        expect.objectContaining({
          target: 'backend.internal:8000',
          health: 'HEALTHCHECKS_OFF',
        }),
      ]);
    } finally {
      await plain.close();
    }
  });

  it('reports node status and counts requests', async () => {
    const before = (await httpGet(server.url, '/status')).body.server
      .total_requests;
    await httpGet(server.url, '/services');
    const status = await httpGet(server.url, '/status');
    expect(status.body.database).toEqual({ reachable: true });
    expect(status.body.server.total_requests).toBe(before + 2);
  });

  it('logs every request with method, path and headers', async () => {
    const count = server.requests.length;
    await httpGet(server.url, '/routes?size=5', { 'X-Probe': 'yes' });
    expect(server.requests.slice(count)).toEqual([
      {
        method: 'GET',
        path: '/routes?size=5',
        headers: expect.objectContaining({ 'x-probe': 'yes' }),
      },
    ]);
  });

  it('can switch to another dataset, as if Kong had been reconfigured', async () => {
    const kong = new KongDatasetBuilder();
    kong.addService({ name: 'only-one', host: 'one.internal' });
    server.setDataset(kong.build());
    try {
      const { body } = await httpGet(server.url, '/services');
      expect(body.data.map((s: { name: string }) => s.name)).toEqual([
        'only-one',
      ]);
    } finally {
      server.setDataset(adr);
    }
  });
});

describe('keys, key sets, oauth2 credentials and tokens', () => {
  let server: KongAdminServer;
  const kong = KongDatasetBuilder.from(adr);
  const set = kong.addKeySet({ name: 'idp', tags: ['team:identity'] });
  const jwkKey = kong.addKey({
    name: 'idp-2025',
    set: 'idp',
    kid: 'k1',
    jwk: JSON.stringify({ kty: 'oct', kid: 'k1', k: 'sbx-jwk-secret' }),
  });
  const pemKey = kong.addKey({
    name: 'edge',
    kid: 'k2',
    pem: { private_key: 'sbx-pem-private', public_key: 'sbx-pem-public' },
  });
  const credential = kong.addOAuth2Credential({
    consumer: 'mobile-app',
    name: 'mobile',
    client_id: 'mobile-client',
    client_secret: 'sbx-client-secret',
  });
  const hashed = kong.addOAuth2Credential({
    consumer: 'mobile-app',
    name: 'hashed',
    client_secret: 'sbx-hashed-secret',
    hash_secret: true,
  });
  const tokens = [1, 2, 3].map(i =>
    kong.addOAuth2Token({
      credential: 'mobile-client',
      service: i === 1 ? 'user-service' : null,
      access_token: `sbx-access-${i}`,
      refresh_token: `sbx-refresh-${i}`,
    }),
  );
  const dataset = kong.build();
  beforeAll(async () => {
    server = await startKongAdminServer({ dataset });
  });
  afterAll(() => server.close());

  it('serves keys by id or name, through their set, and the set of a key', async () => {
    expect((await httpGet(server.url, '/keys/idp-2025')).body).toEqual(jwkKey);
    expect((await httpGet(server.url, `/keys/${pemKey.id}`)).body).toEqual(
      pemKey,
    );
    expect(jwkKey.pem).toBeNull();
    expect(pemKey).toMatchObject({ jwk: null, set: null });
    const inSet = await httpGet(server.url, '/key-sets/idp/keys');
    expect(inSet.body).toEqual({ data: [jwkKey], next: null });
    expect((await httpGet(server.url, '/keys/idp-2025/set')).body).toEqual(set);
    expect((await httpGet(server.url, '/keys/edge/set')).status).toBe(404);
    expect((await httpGet(server.url, '/key-sets/idp/keys/edge')).status).toBe(
      404,
    );
  });

  it('serves oauth2 credentials by id or client_id, also under their consumer', async () => {
    expect((await httpGet(server.url, '/oauth2/mobile-client')).body).toEqual(
      credential,
    );
    const nested = await httpGet(server.url, '/consumers/mobile-app/oauth2');
    expect(nested.body.data).toHaveLength(2);
    expect(
      (await httpGet(server.url, `/consumers/mobile-app/oauth2/${hashed.id}`))
        .body,
    ).toEqual(hashed);
    expect(
      (await httpGet(server.url, '/oauth2/mobile-client/consumer')).body
        .username,
    ).toBe('mobile-app');
    // Generated client ids are Kong-like; hash_secret stores oauth2/secret.lua's PBKDF2 string.
    expect(hashed.client_id).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(hashed.client_secret).toMatch(
      /^\$pbkdf2-sha512\$i=10000,l=32\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/,
    );
    expect(credential).toMatchObject({
      client_secret: 'sbx-client-secret',
      hash_secret: false,
      client_type: 'confidential',
      redirect_uris: null,
    });
  });

  it('pages oauth2 tokens like Kong, ignoring tags (the entity has none)', async () => {
    const first = await httpGet(
      server.url,
      '/oauth2_tokens?size=2&tags=whatever',
    );
    expect(first.body.data).toHaveLength(2);
    expect(first.body.next).toMatch(
      /^\/oauth2_tokens\?offset=[^&]+&tags=whatever&size=2$/,
    );
    const pages = await walkPages(server.url, '/oauth2_tokens?size=1');
    expect(
      pages
        .flatMap(p => p.data)
        .map(t => t.access_token)
        .sort(),
    ).toEqual(tokens.map(t => t.access_token).sort());
    const byCredential = await walkPages(
      server.url,
      '/oauth2/mobile-client/oauth2_tokens?size=1',
    );
    expect(byCredential[0].next).toMatch(
      new RegExp(`^/oauth2/${credential.id}/oauth2_tokens\\?offset=`),
    );
    expect(byCredential.flatMap(p => p.data)).toHaveLength(3);
    const byService = await httpGet(
      server.url,
      '/services/user-service/oauth2_tokens',
    );
    expect(byService.body).toEqual({ data: [tokens[0]], next: null });
    const token = await httpGet(server.url, '/oauth2_tokens/sbx-access-2');
    expect(token.body).toEqual(tokens[1]);
    expect(token.body).toMatchObject({
      token_type: 'bearer',
      expires_in: 7200,
      ttl: null,
      service: null,
    });
    expect(
      (await httpGet(server.url, '/oauth2_tokens/sbx-access-1/credential'))
        .body,
    ).toEqual(credential);
    expect(
      (await httpGet(server.url, '/oauth2_tokens/sbx-access-2/service')).status,
    ).toBe(404);
    // Authorization codes have no Admin API in Kong.
    expect(
      (await httpGet(server.url, '/oauth2_authorization_codes')).status,
    ).toBe(404);
  });

  it("rejects what Kong's schemas reject, without echoing key material", () => {
    const b = KongDatasetBuilder.from(dataset);
    expect(() => b.addKey({ kid: 'x' })).toThrow(
      "at least one of these fields must be non-empty: 'jwk', 'pem'",
    );
    expect(() =>
      b.addKey({ kid: 'x', jwk: '{"kid":"x"}', pem: { public_key: 'p' } }),
    ).toThrow("only one or none of these fields must be set: 'jwk', 'pem'");
    expect(() =>
      b.addKey({ kid: 'x', jwk: '{"kid":"y","k":"sbx-leak"}' }),
    ).toThrow(/^key 'x': kid in jwk.kid must be equal to keys.kid$/);
    expect(() => b.addKey({ kid: 'x', jwk: 'sbx-not-json' })).toThrow(
      /^key 'x': could not json decode jwk string$/,
    );
    expect(() => b.addKey({ kid: 'x', pem: {} })).toThrow(
      'need to supply a PEM formatted public and/or private key.',
    );
    expect(() =>
      b.addKey({ kid: 'k1', set: set.id, jwk: '{"kid":"k1"}' }),
    ).toThrow(/UNIQUE violation/);
    // A vault reference is not validated (Kong cannot either).
    expect(b.addKey({ kid: 'v', jwk: '{vault://env/jwk}' }).jwk).toBe(
      '{vault://env/jwk}',
    );
    expect(() =>
      b.addOAuth2Token({
        credential: 'mobile-client',
        access_token: 'sbx-access-1',
      }),
    ).toThrow(
      'UNIQUE violation detected on \'{access_token="<access_token>"}\'',
    );
    expect(() =>
      b.addOAuth2Credential({
        consumer: 'mobile-app',
        name: 'again',
        client_id: 'mobile-client',
      }),
    ).toThrow(/client_id="mobile-client"/);
    expect(() => b.addOAuth2Token({ credential: 'no-such-client' })).toThrow(
      /does not reference an existing 'oauth2Credentials' entity/,
    );
  });

  it('keeps the new collections through KongDatasetBuilder.from', () => {
    const copy = KongDatasetBuilder.from(dataset).build();
    expect(copy.keys).toEqual(dataset.keys);
    expect(copy.keySets).toEqual(dataset.keySets);
    expect(copy.oauth2Credentials).toEqual(dataset.oauth2Credentials);
    expect(copy.oauth2Tokens).toEqual(dataset.oauth2Tokens);
  });

  it('serves datasets made before these collections existed', async () => {
    const {
      keys: _keys,
      keySets: _keySets,
      oauth2Credentials: _credentials,
      oauth2Tokens: _tokens,
      ...older
    } = dataset;
    const old = await startKongAdminServer({ dataset: older });
    try {
      for (const p of ['/keys', '/key-sets', '/oauth2', '/oauth2_tokens']) {
        expect((await httpGet(old.url, p)).body).toEqual({
          data: [],
          next: null,
        });
      }
    } finally {
      await old.close();
    }
  });
});

describe('DB-less node', () => {
  it('reports a configuration hash instead of the database in /status', async () => {
    const dataset = buildAdrKongDataset({
      node: { database: 'off', configurationHash: 'a'.repeat(32) },
    });
    const server = await startKongAdminServer({ dataset });
    try {
      const { body } = await httpGet(server.url, '/status');
      expect(body.configuration_hash).toBe('a'.repeat(32));
      expect(body).not.toHaveProperty('database');
    } finally {
      await server.close();
    }
  });
});

describe('port already in use', () => {
  it('rejects with an error naming the port and how to change it', async () => {
    const blocker = createServer();
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const attempt = startKongAdminServer({
        dataset: adr,
        port,
        portSetting: '--kong-port',
      });
      await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
      await expect(attempt).rejects.toThrow(
        `Kong Admin API sandbox: port ${port} on 127.0.0.1 is already in use. ` +
          'Stop whatever listens there or choose another port with --kong-port (0 picks a free port).',
      );
      await expect(
        startKongAdminServer({ dataset: adr, port }),
      ).rejects.toThrow(/the "port" option of startKongAdminServer/);
    } finally {
      await new Promise(resolve => blocker.close(resolve));
    }
  });

  it('rejects invalid options', async () => {
    await expect(
      startKongAdminServer({ dataset: adr, port: 70000 }),
    ).rejects.toThrow(/invalid option port/);
    await expect(
      startKongAdminServer({ dataset: adr, workspace: 'a/b' }),
    ).rejects.toThrow(/workspace/);
  });
});
