import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ADR_KONG_SECRETS,
  buildAdrCluster,
  buildAdrKongDataset,
  KongAdminServer,
  KongDatasetBuilder,
  KubernetesApiServer,
  startKongAdminServer,
  startKubernetesApiServer,
} from '@internal/mesh-sandbox';
import request from 'supertest';
import { meshGatewayPlugin } from '../plugin';

/**
 * The secrets corpus: every secret-bearing field of the upstream facts (plugin configs, consumer
 * credentials, oauth2 tokens, certificates, keys, vaults) loaded into the sandbox with a unique
 * sentinel value. None may appear in any response of the HTTP API or in any line the backend logs.
 * The sandbox itself must serve every sentinel (checked first), so that the test fails as soon as
 * the backend reads one of these endpoints and passes a value on.
 *
 * Not in the corpus: the oauth2 authorization `code` (FACTS.md). Kong keeps codes in
 * `oauth2_authorization_codes`, which has no Admin API (`generate_admin_api = false` in
 * kong/plugins/oauth2/daos.lua), so no Kong answer can carry one.
 */
describe('no secret leaves the backend', () => {
  const sentinels: string[] = [];
  const s = (field: string) => {
    const value = `SENTINEL-${sentinels.length + 1}-${field.replace(/[^a-z0-9]/gi, '')}`;
    sentinels.push(value);
    return value;
  };
  /** The documents' backup job with a Kong admin token in its command and env (Kubernetes side). */
  const kubernetesSentinels = ['SENTINEL-K1-deckheader', 'SENTINEL-K2-deckenv'];
  const backupJobWithToken = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'ai-agent-kong-backup', namespace: 'parallel-ai', labels: { 'backstage.io/kubernetes-id': 'ai-agent-service' } },
    spec: {
      schedule: '0 2 * * *',
      jobTemplate: {
        spec: {
          template: {
            spec: {
              restartPolicy: 'OnFailure',
              containers: [
                {
                  name: 'deck',
                  image: 'kong/deck:v1.40.0',
                  command: ['/bin/sh', '-c', `deck dump --kong-addr http://kong-admin:8001 --headers Kong-Admin-Token:${kubernetesSentinels[0]} -o /backup/kong.yaml`],
                  env: [{ name: 'DECK_KONG_ADMIN_TOKEN', value: kubernetesSentinels[1] }],
                },
              ],
            },
          },
        },
      },
    },
  };
  let kong: KongAdminServer;
  let kube: KubernetesApiServer;
  let server: any;
  const logger = mockServices.logger.mock();
  const bodies: string[] = [];
  let logged = '';
  /** Where each sentinel shows up in the backend's HTTP answers and log lines. */
  const leaksOf = (secrets: string[]) =>
    secrets
      .map(secret => ({ secret, inResponse: bodies.some(b => b.includes(secret)), inLogs: logged.includes(secret) }))
      .filter(found => found.inResponse || found.inLogs);

  beforeAll(async () => {
    const data = KongDatasetBuilder.from(buildAdrKongDataset());
    const service = { name: 'ai-agent-service' };
    const plugins: [string, Record<string, unknown>][] = [
      ['response-ratelimiting', { limits: { sms: { minute: 10 } }, redis: { host: 'redis', password: s('redis.password'), username: s('redis.username') } }],
      ['oauth2', { scopes: ['read'], provision_key: s('provision_key'), enable_client_credentials: true }],
      ['session', { secret: s('session.secret'), secret_fallbacks: [s('session.secret_fallbacks')], cookie_name: 'session' }],
      ['acme', { account_email: 'ops@example.com', eab_hmac_key: s('eab_hmac_key'), account_key: { key_id: s('account_key.key_id'), key_set: 'acme' }, storage_config: { redis: { host: 'redis', password: s('storage.redis.password'), username: s('storage.redis.username') }, consul: { token: s('storage.consul.token') }, vault: { token: s('storage.vault.token') } } }],
      ['aws-lambda', { function_name: 'f', aws_key: s('aws_key'), aws_secret: s('aws_secret'), aws_assume_role_arn: s('aws_assume_role_arn') }],
      ['azure-functions', { functionname: 'f', appname: 'a', apikey: s('apikey'), clientid: s('clientid') }],
      ['loggly', { key: s('loggly.key'), host: 'logs-01.loggly.com' }],
      ['http-log', { http_endpoint: `https://user:${s('http_endpoint.userinfo')}@logs.example.com/in?token=${s('http_endpoint.query')}`, headers: { Authorization: s('http-log.headers') } }],
      ['standard-webhooks', { secret_v1: s('secret_v1') }],
      ['ai-proxy', { route_type: 'llm/v1/chat', auth: { header_name: 'Authorization', header_value: s('auth.header_value'), param_value: s('auth.param_value'), aws_access_key_id: s('auth.aws_access_key_id'), aws_secret_access_key: s('auth.aws_secret_access_key'), gcp_service_account_json: s('auth.gcp_service_account_json') }, model: { provider: 'openai', name: 'gpt' } }],
      ['zipkin', { http_endpoint: 'http://zipkin:9411/api/v2/spans', headers: { 'x-api-key': s('zipkin.headers') } }],
      ['openid-connect', { issuer: 'https://idp.example.com', client_secret: [s('oidc.client_secret')], session_secret: s('oidc.session_secret') }],
      // AI plugins with Redis (Kong Enterprise): rate-limiting counters and the semantic cache's vector store.
      ['ai-rate-limiting-advanced', { llm_providers: [{ name: 'openai', limit: [100], window_size: [60] }], strategy: 'redis', redis: { host: 'redis', password: s('ai-rate-limiting.redis.password'), username: s('ai-rate-limiting.redis.username') } }],
      ['ai-semantic-cache', { vectordb: { strategy: 'redis', dimensions: 1536, distance_metric: 'cosine', threshold: 0.1, redis: { host: 'redis', password: s('ai-semantic-cache.redis.password'), username: s('ai-semantic-cache.redis.username') } } }],
    ];
    for (const [name, config] of plugins) data.addPlugin({ name, service, config });
    data.addPlugin({ name: 'rate-limiting', route: { name: 'ai-agent-service-api' }, config: { minute: 5, redis: { host: 'redis', password: s('rate-limiting.redis.password'), username: s('rate-limiting.redis.username') } } });
    data.addPlugin({ name: 'opentelemetry', route: { name: 'ai-agent-service-api' }, config: { traces_endpoint: 'http://otel:4318/v1/traces', headers: { Authorization: s('otel.headers') } } });

    const consumer = data.addConsumer({ username: 'sentinel-consumer' });
    data.addKeyAuth({ consumer: { id: consumer.id }, key: s('key-auth.key') });
    // Kong serves the stored hash: loaded as the stored value, so that the sentinel is what Kong serves.
    data.addBasicAuth({ consumer: { id: consumer.id }, username: 'u', password: s('basic-auth.password'), hashed: true });
    data.addHmacAuth({ consumer: { id: consumer.id }, username: 'h', secret: s('hmac-auth.secret') });
    data.addJwtSecret({ consumer: { id: consumer.id }, key: 'sentinel-iss', secret: s('jwt.secret') });
    // oauth2: the credential's client_secret, and an issued token's access and refresh tokens.
    const oauth2 = data.addOAuth2Credential({ consumer: { id: consumer.id }, name: 'sentinel-app', client_id: 'sentinel-client', client_secret: s('oauth2.client_secret') });
    data.addOAuth2Token({ credential: oauth2.id, service, access_token: s('oauth2_tokens.access_token'), refresh_token: s('oauth2_tokens.refresh_token'), scope: 'read', ttl: 1209600 });
    data.addPlugin({ name: 'request-termination', consumer: { id: consumer.id }, config: { status_code: 403 } });
    // keys entity: a JWK (private parts inside the JSON string) in a key set, and a PEM pair.
    const keySet = data.addKeySet({ name: 'sentinel-keys' });
    data.addKey({ name: 'sentinel-jwk', set: keySet.id, kid: 'sentinel-kid', jwk: JSON.stringify({ kty: 'RSA', kid: 'sentinel-kid', n: 'AQAB', e: 'AQAB', d: s('keys.jwk') }) });
    data.addKey({ name: 'sentinel-pem', kid: 'sentinel-pem-kid', pem: { private_key: s('keys.pem.private_key'), public_key: '-----BEGIN PUBLIC KEY-----' } });
    data.addVault({ name: 'hcv', prefix: 'sentinel-vault', config: { token: s('vault.token'), approle_role_id: s('vault.approle_role_id'), approle_secret_id: s('vault.approle_secret_id'), host: 'vault', mount: 'secret', kv: 'v2' } });
    // A certificate for the route's host, with both keys set (ECDSA and RSA pairs in Kong).
    const { cert } = data.build().certificates[0];
    data.addCertificate({ cert, key: s('certificate.key'), cert_alt: cert, key_alt: s('certificate.key_alt'), snis: ['sentinel.parallel-ai.example.com'] });
    kong = await startKongAdminServer({ port: 0, dataset: data.build() });
    kube = await startKubernetesApiServer({ objects: buildAdrCluster([backupJobWithToken]) });

    ({ server } = await startTestBackend({
      features: [
        meshGatewayPlugin,
        logger.factory,
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: {
                name: 'ai-agent-service',
                namespace: 'default',
                annotations: {
                  'mesh-gateway.io/kong-services': 'ai-agent-service',
                  'backstage.io/kubernetes-id': 'ai-agent-service',
                  'backstage.io/kubernetes-namespace': 'parallel-ai',
                },
              },
              spec: {},
            } as Entity,
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            meshGateway: { kong: { instances: [{ name: 'default', adminUrl: kong.url }] } },
            kubernetes: { clusterLocatorMethods: [{ type: 'config', clusters: [{ name: 'sandbox', url: kube.url, skipTLSVerify: true, authProvider: 'serviceAccount' }] }] },
          },
        }),
      ],
    }));
  });
  afterAll(async () => {
    await kong.close();
    await kube.close();
  });

  it('the sandbox really serves every sentinel of the corpus', async () => {
    expect(sentinels.length).toBeGreaterThanOrEqual(50);
    const served: Record<string, string> = {};
    for (const path of ['/plugins', '/key-auths', '/basic-auths', '/hmac-auths', '/jwts', '/vaults', '/certificates', '/keys', '/key-sets/sentinel-keys/keys', '/oauth2', '/consumers/sentinel-consumer/oauth2', '/oauth2_tokens', '/services/ai-agent-service/oauth2_tokens']) {
      const res = await request(kong.url).get(`${path}?size=1000`);
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      served[path] = res.text;
    }
    expect(served['/keys']).toContain(sentinels.find(x => x.endsWith('-keysjwk')));
    expect(served['/keys']).toContain(sentinels.find(x => x.endsWith('-keyspemprivatekey')));
    expect(served['/oauth2']).toContain(sentinels.find(x => x.endsWith('-oauth2clientsecret')));
    expect(served['/oauth2_tokens']).toContain(sentinels.find(x => x.endsWith('-oauth2tokensaccesstoken')));
    expect(served['/oauth2_tokens']).toContain(sentinels.find(x => x.endsWith('-oauth2tokensrefreshtoken')));
    const all = Object.values(served).join('\n');
    expect(sentinels.filter(secret => !all.includes(secret))).toEqual([]);
    const cronJobs = await request(kube.url).get('/apis/batch/v1/namespaces/parallel-ai/cronjobs');
    expect(kubernetesSentinels.filter(secret => !cronJobs.text.includes(secret))).toEqual([]);
  });

  it('redacts every field of the corpus in every section and log line', async () => {
    expect(sentinels.length).toBeGreaterThanOrEqual(50);
    const known = [...sentinels, ...kubernetesSentinels, ADR_KONG_SECRETS.rateLimitingRedisPassword, ADR_KONG_SECRETS.mobileAppKeyAuthKey, ADR_KONG_SECRETS.opentelemetryAuthorization, 'PRIVATE KEY'];
    for (const path of ['', '/kong', '/istio', '/traces']) {
      const res = await request(server)
        .get(`/api/mesh-gateway/v1/entities/default/component/ai-agent-service${path}?refresh=true`)
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      bodies.push(res.text);
    }
    const overview = JSON.parse(bodies[0]);
    expect(overview.sections.kong.status).toBe('ok');
    // The job was read: its deprecated `deck dump` is reported, its token is not shown.
    expect(overview.sections.istio.findings.map((f: { code: string }) => f.code)).toContain('MG-OPS-001');
    expect(bodies[1]).toContain('<redacted>');
    logged = JSON.stringify(
      [logger.info, logger.warn, logger.error, logger.debug].map(fn => (fn as jest.Mock).mock.calls),
    );
    expect(leaksOf(known)).toEqual([]);
  });

});
