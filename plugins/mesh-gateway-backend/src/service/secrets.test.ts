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
 * credentials, certificates, vaults) loaded into the sandbox with a unique sentinel value. None
 * may appear in any response of the HTTP API or in any line the backend logs.
 */
describe('no secret leaves the backend', () => {
  const sentinels: string[] = [];
  const s = (field: string) => {
    const value = `SENTINEL-${sentinels.length + 1}-${field.replace(/[^a-z0-9]/gi, '')}`;
    sentinels.push(value);
    return value;
  };
  let kong: KongAdminServer;
  let kube: KubernetesApiServer;
  let server: any;
  const logger = mockServices.logger.mock();

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
    ];
    for (const [name, config] of plugins) data.addPlugin({ name, service, config });
    data.addPlugin({ name: 'rate-limiting', route: { name: 'ai-agent-service-api' }, config: { minute: 5, redis: { host: 'redis', password: s('rate-limiting.redis.password'), username: s('rate-limiting.redis.username') } } });
    data.addPlugin({ name: 'opentelemetry', route: { name: 'ai-agent-service-api' }, config: { traces_endpoint: 'http://otel:4318/v1/traces', headers: { Authorization: s('otel.headers') } } });

    const consumer = data.addConsumer({ username: 'sentinel-consumer' });
    data.addKeyAuth({ consumer: { id: consumer.id }, key: s('key-auth.key') });
    data.addBasicAuth({ consumer: { id: consumer.id }, username: 'u', password: s('basic-auth.password') });
    data.addHmacAuth({ consumer: { id: consumer.id }, username: 'h', secret: s('hmac-auth.secret') });
    data.addJwtSecret({ consumer: { id: consumer.id }, key: 'sentinel-iss', secret: s('jwt.secret') });
    data.addPlugin({ name: 'request-termination', consumer: { id: consumer.id }, config: { status_code: 403 } });
    data.addVault({ name: 'hcv', prefix: 'sentinel-vault', config: { token: s('vault.token'), approle_role_id: s('vault.approle_role_id'), approle_secret_id: s('vault.approle_secret_id'), host: 'vault', mount: 'secret', kv: 'v2' } });
    // A certificate for the route's host, with both keys set (ECDSA and RSA pairs in Kong).
    const { cert } = data.build().certificates[0];
    data.addCertificate({ cert, key: s('certificate.key'), cert_alt: cert, key_alt: s('certificate.key_alt'), snis: ['sentinel.parallel-ai.example.com'] });
    kong = await startKongAdminServer({ port: 0, dataset: data.build() });
    kube = await startKubernetesApiServer({ objects: buildAdrCluster() });

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

  it('redacts every field of the corpus in every section and log line', async () => {
    expect(sentinels.length).toBeGreaterThanOrEqual(40);
    const known = [...sentinels, ADR_KONG_SECRETS.rateLimitingRedisPassword, ADR_KONG_SECRETS.mobileAppKeyAuthKey, ADR_KONG_SECRETS.opentelemetryAuthorization, 'PRIVATE KEY'];
    const bodies: string[] = [];
    for (const path of ['', '/kong', '/istio', '/traces']) {
      const res = await request(server)
        .get(`/api/mesh-gateway/v1/entities/default/component/ai-agent-service${path}?refresh=true`)
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      bodies.push(res.text);
    }
    const overview = JSON.parse(bodies[0]);
    expect(overview.sections.kong.status).toBe('ok');
    expect(bodies[1]).toContain('<redacted>');
    const logged = JSON.stringify(
      [logger.info, logger.warn, logger.error, logger.debug].map(fn => (fn as jest.Mock).mock.calls),
    );
    for (const secret of known) {
      expect({ secret, inResponse: bodies.some(b => b.includes(secret)), inLogs: logged.includes(secret) }).toEqual({ secret, inResponse: false, inLogs: false });
    }
  });
});
