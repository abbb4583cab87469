import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { REDACTED } from '@internal/plugin-mesh-gateway-common';
import {
  buildAdrKongDataset,
  FaultInjector,
  KongAdminServer,
  KongDatasetBuilder,
  loadDeckDump,
  startKongAdminServer,
} from '@internal/mesh-sandbox';
import { createServer, Server, Socket } from 'node:net';
import { readContract } from '../__testUtils__/contracts';
import { KongRequestContract } from '../__testUtils__/kongRequestContract';
import { DEFAULT_UPSTREAM_POLICY } from '../http/UpstreamPolicy';
import type { KongInstanceConfig } from './config';
import { KongSectionProvider } from './KongSectionProvider';

const entity = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'test', annotations },
  spec: {},
});
const instance = (name: string, adminUrl: string, extra: Partial<KongInstanceConfig> = {}): KongInstanceConfig => ({
  name,
  adminUrl,
  authHeaderName: 'Kong-Admin-Token',
  timeoutMs: 2000,
  pageSize: 1000,
  ...extra,
});
const provider = (instances: KongInstanceConfig[], logger = mockServices.logger.mock()) =>
  new KongSectionProvider({ instances, logger, instanceListTtlMs: 0 });

function datasetWithRoutes(count: number) {
  const kong = new KongDatasetBuilder();
  kong.addService({ name: 'big-service', host: 'big-service.parallel-ai.svc.cluster.local', port: 8080 });
  kong.addService({ name: 'other-service', host: 'other.parallel-ai.svc.cluster.local', port: 8080 });
  for (let i = 0; i < count; i++) {
    kong.addRoute({ name: `big-${i}`, service: { name: 'big-service' }, paths: [`/api/v1/big/${i}`], methods: ['GET'], protocols: ['https'] });
  }
  for (let i = 0; i < 50; i++) {
    kong.addRoute({ name: `other-${i}`, service: { name: 'other-service' }, paths: [`/api/v1/other/${i}`] });
  }
  kong.addPlugin({ name: 'prometheus', config: {} });
  kong.addPlugin({ name: 'jwt', service: { name: 'big-service' }, config: { claims_to_verify: ['exp'] } });
  kong.addPlugin({ name: 'cors', route: { name: 'big-0' }, config: {} });
  return kong.build();
}

const contract = new KongRequestContract();
/** Every request the client sent is one the Admin API's OpenAPI document allows. */
function expectRequestsInContract(server: KongAdminServer) {
  expect(server.requests.length).toBeGreaterThan(0);
  for (const request of server.requests) {
    expect({ path: request.path, problems: contract.check(request) }).toEqual({ path: request.path, problems: [] });
  }
}

describe('KongSectionProvider pagination', () => {
  let kong: KongAdminServer;
  beforeAll(async () => {
    kong = await startKongAdminServer({ port: 0, dataset: datasetWithRoutes(1) });
  });
  afterAll(() => kong.close());

  it.each([1, 1000, 1001, 2500])('reads all of %i routes following next, with calls independent of routes', async count => {
    kong.setDataset(datasetWithRoutes(count));
    kong.requests.length = 0;
    const result = await provider([instance('default', kong.url)]).getSection(entity({ 'mesh-gateway.io/kong-services': 'big-service' }));
    expect(result.errors).toBeUndefined();
    const [view] = result.data!.services;
    expect(view.routes).toHaveLength(count);
    expect(new Set(view.routes.map(r => r.name)).size).toBe(count);
    expect(view.routes.find(r => r.name === 'big-0')!.plugins.map(p => p.name)).toEqual(['cors', 'jwt', 'prometheus']);

    const routePages = kong.requests.filter(r => /\/services\/[^/]+\/routes/.test(r.path));
    expect(routePages).toHaveLength(Math.ceil(count / 1000));
    expect(routePages[0].path).toContain('size=1000');
    // No request per route: the call count depends only on the number of pages.
    expect(kong.requests.filter(r => /\/routes\/[^/?]+/.test(r.path))).toEqual([]);
    expect(kong.requests.length).toBeLessThanOrEqual(routePages.length + 8);
    expectRequestsInContract(kong);
  });

  it('asks for the service, its routes and the plugin list at once, and reuses warmed lists', async () => {
    kong.setDataset(buildAdrKongDataset());
    const warm = new KongSectionProvider({ instances: [instance('default', kong.url)], logger: mockServices.logger.mock(), instanceListTtlMs: 60_000 });
    await warm.refreshInstanceLists();
    kong.requests.length = 0;
    const result = await warm.getSection(entity({ 'mesh-gateway.io/kong-services': 'user-service' }));
    expect(result.status).toBe('ok');
    expect(kong.requests.map(r => r.path.split('?')[0]).sort()).toEqual([
      '/services/user-service',
      '/services/user-service/routes',
    ]);
    // A service whose host is an upstream also gets its targets' health, by name.
    kong.requests.length = 0;
    await warm.getSection(entity({ 'mesh-gateway.io/kong-services': 'analytics-service' }));
    expect(kong.requests.map(r => r.path.split('?')[0])).toContain('/upstreams/analytics-upstream/health');
  });

  it('on a refresh asks for the upstream health of the host the service had, without waiting for the service', async () => {
    const dataset = buildAdrKongDataset();
    const faults = new FaultInjector();
    const server = await startKongAdminServer({ port: 0, dataset, faults });
    try {
      const hinted = new KongSectionProvider({
        instances: [instance('default', server.url, { timeoutMs: 300 })],
        logger: mockServices.logger.mock(),
        instanceListTtlMs: 60_000,
        policy: { ...DEFAULT_UPSTREAM_POLICY, retries: 0 },
      });
      await hinted.refreshInstanceLists();
      const analytics = entity({ 'mesh-gateway.io/kong-services': 'analytics-service' });
      expect((await hinted.getSection(analytics)).data!.services[0].upstream?.name).toBe('analytics-upstream');

      // The service never answers now: the health request is sent all the same.
      faults.set([{ pathIncludes: '/services/analytics-service', fault: { type: 'hang' } }]);
      server.requests.length = 0;
      const hung = await hinted.getSection(analytics);
      expect(hung.status).toBe('error');
      expect(server.requests.map(r => r.path.split('?')[0])).toContain('/upstreams/analytics-upstream/health');
      faults.clear();

      // Kong changed the service's host: the remembered host is not trusted.
      server.setDataset({
        ...dataset,
        services: dataset.services.map(s => (s.name === 'analytics-service' ? { ...s, host: 'analytics-service.parallel-ai.svc.cluster.local' } : s)),
      });
      const afterMove = await hinted.getSection(analytics);
      expect(afterMove.data!.services[0].service.host).toBe('analytics-service.parallel-ai.svc.cluster.local');
      expect(afterMove.data!.services[0].upstream).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it('reports Kong\'s 400 for a bad page size instead of swallowing it', async () => {
    kong.setDataset(datasetWithRoutes(3));
    // Config validation keeps pageSize in 1..1000; this instance bypasses it on purpose.
    const result = await provider([instance('default', kong.url, { pageSize: 1001 })]).getSection(entity({ 'mesh-gateway.io/kong-services': 'big-service' }));
    expect(result.status).toBe('error');
    expect(result.errors).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'upstream-status', message: expect.stringContaining('HTTP 400') })]));
  });

  it('selects services by tags', async () => {
    kong.setDataset(buildAdrKongDataset());
    kong.requests.length = 0;
    const result = await provider([instance('default', kong.url)]).getSection(entity({ 'mesh-gateway.io/kong-tags': 'service:user-service' }));
    expect(result.data!.services.map(s => s.service.name)).toEqual(['user-service']);
    expect(kong.requests.some(r => r.path.startsWith('/services?') && r.path.includes('tags=service%3Auser-service'))).toBe(true);
    expectRequestsInContract(kong);
  });

  it('names a service that does not exist', async () => {
    kong.setDataset(buildAdrKongDataset());
    const result = await provider([instance('default', kong.url)]).getSection(entity({ 'mesh-gateway.io/kong-services': 'nope' }));
    expect(result).toMatchObject({ status: 'error', errors: [{ name: 'not-found', message: expect.stringContaining('"nope"') }] });
  });

  it('shows upstream target health and node status, and the ADR demo faults as findings', async () => {
    kong.setDataset(buildAdrKongDataset());
    kong.requests.length = 0;
    const result = await provider([instance('default', kong.url)]).getSection(
      entity({ 'mesh-gateway.io/kong-services': 'analytics-service,user-service' }),
    );
    expect(kong.requests.map(r => r.path.split('?')[0])).toContain('/upstreams/analytics-upstream/health');
    expectRequestsInContract(kong);
    const analytics = result.data!.services.find(s => s.service.name === 'analytics-service')!;
    expect(analytics.upstream!.targets.map(t => t.health).sort()).toEqual(['HEALTHY', 'UNHEALTHY']);
    expect(result.data!.nodes[0]).toMatchObject({ instance: 'default', status: { databaseReachable: true } });
    const codes = result.findings.map(f => f.code);
    expect(codes).toContain('MG-KONG-012');
    expect(codes).toContain('MG-KONG-011');
  });
});

describe('KongSectionProvider with an Enterprise workspace and token', () => {
  let kong: KongAdminServer;
  beforeAll(async () => {
    kong = await startKongAdminServer({ port: 0, dataset: buildAdrKongDataset(), workspace: 'platform', adminToken: 'ee-token' });
  });
  afterAll(() => kong.close());

  it('prefixes the workspace, sends the token and follows next', async () => {
    kong.requests.length = 0;
    const result = await provider([instance('ee', kong.url, { workspace: 'platform', authToken: 'ee-token', managerUrl: 'https://manager.example.com/' })]).getSection(
      entity({ 'mesh-gateway.io/kong-services': 'ee/ai-agent-service' }),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.services[0]).toMatchObject({ workspace: 'platform', managerUrl: expect.stringMatching(/^https:\/\/manager\.example\.com\/platform\/services\/[0-9a-f-]+$/) });
    for (const request of kong.requests) {
      expect(request.headers['kong-admin-token']).toBe('ee-token');
      expect({ path: request.path, problems: contract.check(request, 'platform') }).toEqual({ path: request.path, problems: [] });
    }
  });

  it('reports a wrong token as unauthorized', async () => {
    const result = await provider([instance('ee', kong.url, { workspace: 'platform', authToken: 'wrong' })]).getSection(entity({ 'mesh-gateway.io/kong-services': 'ai-agent-service' }));
    expect(result).toMatchObject({ status: 'error', errors: [{ name: 'unauthorized', instance: 'ee' }] });
    expect(JSON.stringify(result)).not.toContain('wrong');
  });
});

describe('KongSectionProvider against unreachable and silent instances', () => {
  let silent: Server;
  const sockets: Socket[] = [];
  let silentPort: number;
  beforeAll(async () => {
    // Accepts connections and never answers.
    silent = createServer(socket => sockets.push(socket));
    await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    sockets.forEach(s => s.destroy());
    await new Promise(resolve => silent.close(resolve));
  });

  it('gives a timeout error naming the instance', async () => {
    const result = await provider([instance('slow', `http://127.0.0.1:${silentPort}`, { timeoutMs: 300 })]).getSection(entity({ 'mesh-gateway.io/kong-services': 'svc' }));
    expect(result).toMatchObject({ status: 'error', errors: [{ name: 'timeout', instance: 'slow', message: expect.stringContaining('300 ms') }] });
  });

  it('says an instance named in the annotation is not configured', async () => {
    const result = await provider([instance('default', `http://127.0.0.1:${silentPort}`)]).getSection(entity({ 'mesh-gateway.io/kong-services': 'other/svc' }));
    expect(result).toMatchObject({ status: 'error', errors: [{ name: 'bad-annotation', message: expect.stringContaining('"other" is not one of meshGateway.kong.instances') }] });
  });
});

/** The credential values of the decK fixture (key-auth keys, hmac/jwt secrets, passwords). */
function deckCredentialValues(): string[] {
  const text = readContract('deck/example-dump-format-3.0-with-credentials.yaml');
  return [...text.matchAll(/^\s+(?:key|secret|password):\s*(\S+)\s*$/gm)].map(m => m[1].replace(/^"|"$/g, '')).filter(v => v !== '|');
}

describe('KongSectionProvider never returns or logs a secret', () => {
  const sentinel = (n: number) => `SENTINEL-SECRET-${String(n).padStart(3, '0')}`;
  let kong: KongAdminServer;
  let counter = 0;
  const sentinels: string[] = [];
  const s = () => {
    const value = sentinel(++counter);
    sentinels.push(value);
    return value;
  };

  beforeAll(async () => {
    // A real decK dump (certificates with private keys, consumer credentials) plus every
    // secret-bearing plugin field of FACTS.md on its service svc1.
    const kongData = KongDatasetBuilder.from(loadDeckDump(readContract('deck/example-dump-format-3.0-with-credentials.yaml')));
    const service = { name: 'svc1' };
    const secretPlugins: [string, Record<string, unknown>][] = [
      ['response-ratelimiting', { limits: { sms: { minute: 10 } }, redis: { host: 'redis', password: s(), username: s() } }],
      ['oauth2', { scopes: ['read'], provision_key: s(), enable_client_credentials: true }],
      ['session', { secret: s(), cookie_name: 'session' }],
      ['acme', { account_email: 'ops@example.com', eab_hmac_key: s(), account_key: { key_id: s(), key_set: 'acme' }, storage_config: { redis: { host: 'redis', password: s(), username: s() }, consul: { token: s() }, vault: { token: s() } } }],
      ['aws-lambda', { function_name: 'f', aws_key: s(), aws_secret: s(), aws_assume_role_arn: s() }],
      ['azure-functions', { functionname: 'f', appname: 'a', apikey: s(), clientid: s() }],
      ['loggly', { key: s(), host: 'logs-01.loggly.com' }],
      ['http-log', { http_endpoint: `https://user:${s()}@logs.example.com/in?token=${s()}`, headers: { Authorization: s() } }],
      ['standard-webhooks', { secret_v1: s() }],
      ['ai-proxy', { route_type: 'llm/v1/chat', auth: { header_name: 'Authorization', header_value: s(), param_value: s(), aws_access_key_id: s(), aws_secret_access_key: s(), gcp_service_account_json: s() }, model: { provider: 'openai', name: 'gpt' } }],
      ['zipkin', { http_endpoint: 'http://zipkin:9411/api/v2/spans', headers: { 'x-api-key': s() } }],
    ];
    for (const [name, config] of secretPlugins) {
      kongData.addPlugin({ name, service, config });
    }
    kongData.addPlugin({ name: 'rate-limiting', route: { name: 'r1' }, config: { minute: 5, redis: { host: 'redis', password: '{vault://env/redis-password}', username: s() } } });
    kongData.addPlugin({ name: 'opentelemetry', service, config: { traces_endpoint: 'http://otel:4318/v1/traces', headers: { Authorization: s() } } });
    kong = await startKongAdminServer({ port: 0, dataset: kongData.build() });
  });
  afterAll(() => kong.close());

  it('redacts every secret plugin field and keeps vault references', async () => {
    const logger = mockServices.logger.mock();
    const result = await provider([instance('default', kong.url)], logger).getSection(
      entity({ 'mesh-gateway.io/kong-services': 'svc1,svc2,svc3' }),
    );
    expect(result.status).toBe('ok');
    const json = JSON.stringify(result);
    const deckSecrets = ['BEGIN PRIVATE KEY', 'BEGIN RSA PRIVATE KEY', ...deckCredentialValues()];
    const known = [...sentinels, ...deckSecrets];
    expect(deckSecrets.length).toBeGreaterThan(2);
    expect(sentinels.length).toBeGreaterThanOrEqual(25);
    for (const secret of known) {
      expect(json).not.toContain(secret);
    }
    const logged = JSON.stringify([logger.info, logger.warn, logger.error, logger.debug].map(fn => (fn as jest.Mock).mock.calls));
    for (const secret of known) {
      expect(logged).not.toContain(secret);
    }
    expect(json).toContain(REDACTED);
    expect(json).toContain('{vault://env/redis-password}');
    // Nothing of the credential or certificate endpoints was asked for.
    expect(kong.requests.filter(r => /\/(consumers|certificates|key-auths|jwts|basic-auths|hmac-auths|keys|vaults)/.test(r.path))).toEqual([]);
  });
});
