import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { buildAdrKongDataset, KongAdminServer, startKongAdminServer } from '@internal/mesh-sandbox';
import fc from 'fast-check';
import request from 'supertest';
import { meshGatewayPlugin } from '../plugin';
import { closeRawHttpAgent, rawGet } from '../__testUtils__/rawHttp';

/** The default run stays quick; `FUZZ_RUNS=10000 yarn test:fuzz` is the full suite. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

const entity = (name: string, annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {},
});

/** Path segments an attacker or a confused client might send. */
const segment = fc.oneof(
  fc.constantFrom('default', 'component', 'ai-agent-service', 'kong', 'istio', '..', '.', '%2e%2e', '%2F', '%00', '%', '%zz', 'a'.repeat(300), '😀', 'a b', 'a/b', '__proto__', 'constructor'),
  fc.string({ maxLength: 40 }),
  fc.stringMatching(/^[a-zA-Z0-9._~%-]{1,80}$/),
);
const query = fc.dictionary(
  fc.oneof(fc.constantFrom('refresh', 'window', '__proto__', 'refresh[]'), fc.string({ maxLength: 12 })),
  fc.oneof(fc.constantFrom('true', 'false', '', 'yes'), fc.string({ maxLength: 20 })),
  { maxKeys: 3 },
);

/**
 * Headers the fuzzer leaves to the HTTP client: they frame the message (a random Content-Length
 * would only make the server wait for a body) or are set by the auth arbitrary below.
 */
const FRAMING = new Set([
  'host', 'content-length', 'transfer-encoding', 'connection', 'upgrade', 'expect', 'te', 'trailer',
  'keep-alive', 'proxy-connection', 'http2-settings', 'authorization',
]);

/** Any RFC 9110 token: every header name Node's http client sends. */
const headerName = fc
  .stringMatching(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,40}$/)
  .filter(name => !FRAMING.has(name.toLowerCase()));

/** Any value Node's http client sends: tab, visible ASCII, space and Latin-1 (no CR, LF or NUL). */
const headerValue = fc.oneof(
  fc.string({
    unit: fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }),
      fc.constant(0x09),
      fc.integer({ min: 0x80, max: 0xff }),
    ).map(code => String.fromCharCode(code)),
    maxLength: 200,
  }),
  fc.constantFrom(
    '', ' ', '\t', '*', '%00', '%0d%0aX-Injected: 1', '${jndi:ldap://127.0.0.1/a}', '{{7*7}}', '../../etc/passwd',
    'http://127.0.0.1:1/', '__proto__', '{"__proto__":{"admin":true}}', '\u00ff\u00fe', 'a'.repeat(8000),
  ),
  // Huge, within Node's 16 KiB header limit together with the rest.
  fc.integer({ min: 1000, max: 9000 }).map(n => 'x'.repeat(n)),
);

/** Headers with a meaning to Express, proxies, caches or Backstage, and values chosen to confuse them. */
const meaningfulHeader: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(
    fc.constantFrom('Accept', 'accept'),
    fc.oneof(
      fc.constantFrom('*/*', 'application/json', 'application/xml', 'text/html', 'text/html;q=0, application/json;q=0', 'image/*', '', ';;;', 'application/json; charset=utf-7'),
      headerValue,
    ),
  ),
  fc.tuple(
    fc.constant('Content-Type'),
    fc.oneof(
      fc.constantFrom('application/json', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=', 'text/plain', '', '/', 'application/json; charset=nope'),
      headerValue,
    ),
  ),
  fc.tuple(
    fc.constantFrom('X-Forwarded-For', 'X-Forwarded-Host', 'X-Forwarded-Proto', 'X-Forwarded-Prefix', 'X-Forwarded-Port', 'Forwarded', 'X-Real-IP', 'X-Original-URL', 'X-Rewrite-URL'),
    fc.oneof(
      fc.constantFrom('127.0.0.1', '::1', '127.0.0.1, 10.0.0.1, unknown', 'evil.example.com', 'evil.example.com:8443', 'gopher', 'for=127.0.0.1;host=evil;proto=https', '/v1/entities/default/component/secret', '-1', '99999999999'),
      headerValue,
    ),
  ),
  fc.tuple(
    fc.constant('Cookie'),
    fc.oneof(
      fc.constantFrom('backstage-auth=mock-user-token', 'backstage-auth=', '=', ';;', 'a=b; a=c', '__proto__=x', `big=${'c'.repeat(6000)}`),
      headerValue,
    ),
  ),
  fc.tuple(
    fc.constantFrom('If-None-Match', 'If-Match', 'If-Modified-Since', 'If-Unmodified-Since', 'If-Range', 'Range', 'Cache-Control', 'Pragma'),
    fc.oneof(
      fc.constantFrom('*', 'W/"x"', '"x", W/"y"', 'W/', '""', 'Thu, 01 Jan 1970 00:00:00 GMT', 'not a date', 'bytes=0-1', 'bytes=-1,0-', 'no-cache', 'max-age=-1'),
      headerValue,
    ),
  ),
  fc.tuple(
    fc.constantFrom('X-HTTP-Method-Override', 'X-Method-Override', 'Origin', 'Referer', 'Accept-Encoding', 'Accept-Language', 'X-Mesh-Gateway-Cache', 'X-Request-Id', 'Traceparent', 'Backstage-Token'),
    fc.oneof(fc.constantFrom('DELETE', 'POST', 'http://evil.example.com', 'null', 'gzip, br, zstd, *;q=0', 'hit', '00-zz-zz-01', ''), headerValue),
  ),
  fc.tuple(headerName, headerValue),
);

/** Up to 8 headers, some repeated (sent as several lines), kept with Authorization under Node's 16 KiB limit in total. */
const headerSet = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: meaningfulHeader.map(([name, value]): [string, string | string[]] => [name, value]) },
      {
        weight: 1,
        arbitrary: fc
          .tuple(fc.oneof(meaningfulHeader.map(([name]) => name), headerName), fc.array(headerValue, { minLength: 2, maxLength: 4 }))
          .map(([name, values]): [string, string | string[]] => [name, values]),
      },
    ),
    { maxLength: 8 },
  )
  .filter(headers => headers.reduce((size, [name, value]) => size + name.length + [value].flat().join('').length + 4 * [value].flat().length, 0) < 10_000);

/** Whose credentials, including Authorization values that are no token at all. */
const authorization = fc.oneof(
  fc.constantFrom(
    undefined,
    mockCredentials.user.header(),
    mockCredentials.service.header(),
    mockCredentials.user.invalidHeader(),
    'Bearer',
    'Bearer ',
    'Basic dXNlcjpwYXNz',
    'Bearer a.b.c',
    'bearer mock-user-token',
    `Bearer ${'t'.repeat(4000)}`,
  ),
  headerValue.map(value => `Bearer ${value}`.slice(0, 2000)),
);

/** Paths that reach every branch: sections, the overview, unknown and malformed entities, queries. */
const requestPath = fc
  .tuple(
    fc.constantFrom(
      'default/component/ai-agent-service',
      'default/component/ai-agent-service/kong',
      'default/component/ai-agent-service/traces',
      'default/component/hostile/kong',
      'default/component/nope/kong',
      'default/component/bad..name',
      'default/component/ai-agent-service/nope',
    ),
    fc.constantFrom('', '?refresh=true', '?window=30m', '?window=9d', '?x=1'),
  )
  .map(([path, qs]) => `/api/mesh-gateway/v1/entities/${path}${qs}`);

describe('HTTP API under hostile input (fast-check)', () => {
  let kong: KongAdminServer;
  let server: any;

  beforeAll(async () => {
    kong = await startKongAdminServer({ port: 0, dataset: buildAdrKongDataset() });
    ({ server } = await startTestBackend({
      features: [
        meshGatewayPlugin,
        catalogServiceMock.factory({
          entities: [
            entity('ai-agent-service', { 'mesh-gateway.io/kong-services': 'ai-agent-service' }),
            entity('hostile', { 'mesh-gateway.io/kong-services': 'x/../../admin', 'backstage.io/kubernetes-label-selector': 'a in (b' }),
          ],
        }),
        mockServices.rootConfig.factory({
          data: { meshGateway: { kong: { instances: [{ name: 'default', adminUrl: kong.url, timeoutMs: 1000 }] } } },
        }),
      ],
    }));
  });
  afterAll(async () => {
    closeRawHttpAgent();
    await kong.close();
  });

  it('never answers 5xx, and every rejection says what was wrong', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(segment, { minLength: 1, maxLength: 5 }),
        query,
        fc.constantFrom('user', 'none', 'invalid'),
        async (segments, params, auth) => {
          const qs = new URLSearchParams(params).toString();
          const path = `/api/mesh-gateway/v1/entities/${segments.join('/')}${qs ? `?${qs}` : ''}`;
          let req = request(server).get(path);
          if (auth === 'user') req = req.set('Authorization', mockCredentials.user.header());
          if (auth === 'invalid') req = req.set('Authorization', mockCredentials.user.invalidHeader());
          const res = await req;
          expect(res.status).toBeLessThan(500);
          const rejectionSaysWhy =
            res.status < 400 || (typeof res.body?.error?.message === 'string' && res.body.error.message.length > 0);
          expect({ status: res.status, body: res.body, rejectionSaysWhy }).toMatchObject({ rejectionSaysWhy: true });
        },
      ),
      { numRuns: RUNS },
    );
  }, 600_000);

  it('never answers 5xx to arbitrary and hostile request headers, and every rejection says what was wrong', async () => {
    let cases = 0;
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(requestPath, headerSet, authorization, async (path, headers, auth) => {
        cases++;
        const res = await rawGet(server.port(), path, auth === undefined ? headers : [...headers, ['Authorization', auth]]);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status).toBeLessThan(500);
        const rejectionSaysWhy =
          res.status < 400 || (typeof res.body?.error?.message === 'string' && res.body.error.message.length > 0);
        expect({ status: res.status, path, headers, auth, body: res.text.slice(0, 500), rejectionSaysWhy }).toMatchObject({ rejectionSaysWhy: true });
      }),
      { numRuns: RUNS },
    );
    expect(cases).toBeGreaterThanOrEqual(RUNS);
    // The headers reached the handlers too: answers, refused credentials, bad input, unknown entities.
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([200, 400, 401, 404]));
    if (process.env.FUZZ_RUNS) {
      // eslint-disable-next-line no-console
      console.log(`header fuzz: ${cases} cases, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    }
  }, 900_000);

  it('keeps an entity with hostile annotations to a section error', async () => {
    const res = await request(server)
      .get('/api/mesh-gateway/v1/entities/default/component/hostile')
      .set('Authorization', mockCredentials.user.header());
    expect(res.status).toBe(200);
    expect(res.body.sections.kong).toMatchObject({ status: 'error', errors: [{ name: 'bad-annotation' }] });
  });
});
