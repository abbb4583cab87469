import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  buildAdrCluster,
  buildAdrKongDataset,
  createTlsSandboxMaterial,
  JaegerQueryServer,
  KongAdminServer,
  KubernetesApiServer,
  startJaegerQueryServer,
  startKongAdminServer,
  startKubernetesApiServer,
} from '@internal/mesh-sandbox';
import request from 'supertest';
import { meshGatewayPlugin } from '../plugin';
import {
  OutboundConnection,
  recordOutboundConnections,
  RecordingListener,
  startDecoyListener,
  startRecordingHttpServer,
  startRecordingTlsServer,
} from '../__testUtils__/recordingServers';

/** The one host the TLS probe may check; config sends its handshake to the loopback listener. */
const PROBED_HOST = 'api.parallel-ai.example.com';

/**
 * Values an attacker who can edit catalog-info.yaml might put in any annotation, each aimed at
 * the decoy port: URLs, IPs in every spelling, host:port, userinfo, fragments, percent-encoding,
 * Unicode look-alikes and CRLF.
 */
const hostile = (port: number): string[] => [
  `http://127.0.0.1:${port}/services`,
  `https://127.0.0.1:${port}`,
  `127.0.0.1:${port}`,
  `//127.0.0.1:${port}/x`,
  `@127.0.0.1:${port}`,
  `localhost:${port}`,
  `http%3A%2F%2F127.0.0.1%3A${port}`,
  `%2F%2F127.0.0.1:${port}`,
  `%31%32%37.0.0.1:${port}`,
  `..%2F..%2F127.0.0.1:${port}`,
  `default/..%2F..%2F@127.0.0.1:${port}`,
  `[::1]:${port}`,
  `[::ffff:127.0.0.1]:${port}`,
  `0x7f000001:${port}`,
  `2130706433:${port}`,
  `0177.0.0.1:${port}`,
  `127.1:${port}`,
  `user-service#@127.0.0.1:${port}`,
  `user-service?next=http://127.0.0.1:${port}`,
  `default@127.0.0.1:${port}`,
  `default#@127.0.0.1:${port}`,
  `default:${port}`,
  `${PROBED_HOST}:${port}`,
  `${PROBED_HOST}@127.0.0.1:${port}`,
  `${PROBED_HOST}#@127.0.0.1:${port}`,
  `${PROBED_HOST}/..@127.0.0.1:${port}`,
  `${PROBED_HOST}.127.0.0.1.nip.io:${port}`,
  `127。0。0。1:${port}`,
  `１２７.０.０.１:${port}`,
  `ｌｏｃａｌｈｏｓｔ:${port}`,
  `xn--api-parallel-ai.example.com:${port}`,
  `user-service\r\nHost: 127.0.0.1:${port}`,
  `user-service%0d%0aHost:%20127.0.0.1:${port}`,
  `default\r\n\r\nGET http://127.0.0.1:${port}/ HTTP/1.1`,
  `user-service\u0000127.0.0.1:${port}`,
  ` http://127.0.0.1:${port} `,
];

const ALL_ANNOTATIONS = [
  'mesh-gateway.io/kong-services',
  'mesh-gateway.io/kong-tags',
  'mesh-gateway.io/istio-host',
  'mesh-gateway.io/tracing-service',
  'mesh-gateway.io/tls-hosts',
  'mesh-gateway.io/certificates',
  'mesh-gateway.io/prometheus-instance',
  'mesh-gateway.io/tracing-instance',
  'backstage.io/kubernetes-id',
  'backstage.io/kubernetes-namespace',
];

const component = (name: string, annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {},
});

/**
 * Annotations name which object, never where to connect: whatever an entity's annotations say,
 * the backend connects only to the hosts in app-config.
 */
describe('annotations cannot choose where the backend connects', () => {
  let decoy: RecordingListener;
  let kong: KongAdminServer;
  let kube: KubernetesApiServer;
  let jaeger: JaegerQueryServer;
  let prometheus: Awaited<ReturnType<typeof startRecordingHttpServer>>;
  let tlsListener: Awaited<ReturnType<typeof startRecordingTlsServer>>;
  let outbound: ReturnType<typeof recordOutboundConnections>;
  let server: any;
  let values: string[];

  beforeAll(async () => {
    decoy = await startDecoyListener();
    values = hostile(decoy.port);
    kong = await startKongAdminServer({ port: 0, dataset: buildAdrKongDataset() });
    kube = await startKubernetesApiServer({ objects: buildAdrCluster() });
    jaeger = await startJaegerQueryServer({ port: 0 });
    // Prometheus' answer to any query: no series.
    prometheus = await startRecordingHttpServer(r => ({
      status: 'success',
      data: { resultType: r.url.includes('/query_range') ? 'matrix' : 'vector', result: [] },
    }));
    const material = await createTlsSandboxMaterial();
    const served = material.hosts.find(h => h.host === PROBED_HOST)!.served;
    tlsListener = await startRecordingTlsServer({ cert: served.chainPem, key: served.keyPem });
    // From before the backend starts, so that pooled keep-alive sockets are seen when opened.
    outbound = recordOutboundConnections();

    const entities: Entity[] = values.flatMap((value, i): Entity[] => [
      // The value in every annotation at once.
      component(`hostile-${i}`, {
        ...Object.fromEntries(ALL_ANNOTATIONS.map(a => [a, value])),
        'backstage.io/kubernetes-label-selector': `app=${value}`,
      }),
      // Valid instances and Kubernetes names (the metrics section refuses anything else before
      // querying), so that the value travels on to the configured upstreams where it can.
      component(`hostile-v1-${i}`, {
        'mesh-gateway.io/kong-services': 'user-service',
        'mesh-gateway.io/kong-tags': value,
        'mesh-gateway.io/tracing-instance': 'default',
        'mesh-gateway.io/tracing-service': value,
        'mesh-gateway.io/prometheus-instance': 'default',
        'mesh-gateway.io/tls-hosts': `${PROBED_HOST},${value}`,
        'mesh-gateway.io/certificates': value,
        'backstage.io/kubernetes-id': 'user-service',
        'backstage.io/kubernetes-namespace': 'parallel-ai',
      }),
      component(`hostile-v3-${i}`, {
        'mesh-gateway.io/kong-services': 'user-service',
        'mesh-gateway.io/tracing-instance': 'v3',
        'mesh-gateway.io/tracing-service': value,
        'mesh-gateway.io/prometheus-instance': 'eu',
        'mesh-gateway.io/tls-hosts': value,
        'backstage.io/kubernetes-id': 'user-service',
        'backstage.io/kubernetes-namespace': 'parallel-ai',
        'backstage.io/kubernetes-label-selector': `app=${value}`,
      }),
    ]);
    entities.push(
      component('control', {
        'mesh-gateway.io/kong-services': 'user-service',
        'mesh-gateway.io/tracing-service': 'user-service',
        'mesh-gateway.io/tls-hosts': PROBED_HOST,
        'backstage.io/kubernetes-id': 'user-service',
        'backstage.io/kubernetes-namespace': 'parallel-ai',
      }),
    );

    ({ server } = await startTestBackend({
      features: [
        meshGatewayPlugin,
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({
          data: {
            meshGateway: {
              upstreams: { retries: 0 },
              kong: { instances: [{ name: 'default', adminUrl: kong.url, timeoutMs: 1000 }] },
              kubernetes: { timeoutMs: 1000 },
              tracing: {
                instances: [
                  { name: 'default', kind: 'jaeger', baseUrl: jaeger.url, timeoutMs: 2000 },
                  { name: 'v3', kind: 'jaeger-v3', baseUrl: jaeger.url, timeoutMs: 2000 },
                ],
              },
              prometheus: {
                instances: [
                  { name: 'default', url: prometheus.url, timeoutMs: 1000 },
                  { name: 'eu', url: `${prometheus.url}/eu`, timeoutMs: 1000 },
                ],
              },
              certificates: {
                probe: {
                  // Port 443 of one name only; config, not the annotation, says where it lives.
                  allowedHosts: [PROBED_HOST],
                  connectTo: [{ host: PROBED_HOST, address: '127.0.0.1', port: tlsListener.port }],
                  timeoutMs: 1000,
                  cacheSeconds: 0,
                },
              },
            },
            kubernetes: {
              clusterLocatorMethods: [
                { type: 'config', clusters: [{ name: 'sandbox', url: kube.url, skipTLSVerify: true, authProvider: 'serviceAccount' }] },
              ],
            },
          },
        }),
      ],
    }));
  });
  afterAll(async () => {
    outbound?.stop();
    await Promise.all([kong.close(), kube.close(), jaeger.close(), prometheus.close(), tlsListener.close(), decoy.close()]);
  });

  const view = (name: string) =>
    request(server)
      .get(`/api/mesh-gateway/v1/entities/default/component/${name}?refresh=true`)
      .set('Authorization', mockCredentials.user.header());

  /** A request target that stays below the listener's root: no authority, no `..`, no raw CR, LF or space. */
  const wellFormed = (r: { url: string }) => {
    expect(r.url).toMatch(/^\/[^\s]*$/);
    expect(r.url).not.toMatch(/^\/\//);
    const { pathname, host } = new URL(r.url, 'http://listener.invalid');
    expect(host).toBe('listener.invalid');
    expect(decodeURIComponent(pathname).split('/')).not.toContain('..');
    return pathname;
  };

  it('reaches the configured tracing, Prometheus and TLS listeners for a well-annotated entity', async () => {
    const res = await view('control');
    expect(res.status).toBe(200);
    expect(res.body.sections.traces.status).not.toBe('not-configured');
    expect(res.body.sections.metrics.status).not.toBe('not-configured');
    expect(jaeger.requests.some(r => r.path.startsWith('/api/traces?service=user-service'))).toBe(true);
    expect(prometheus.requests.length).toBeGreaterThan(0);
    expect(tlsListener.serverNames).toContain(PROBED_HOST);
  });

  it('connects only to the configured listeners, whatever the annotations say', async () => {
    const configured = new Set([
      server.port(),
      ...[kong.url, kube.url, jaeger.url, prometheus.url, tlsListener.url].map(u => Number(new URL(u).port)),
    ]);
    jaeger.requests.length = 0;
    prometheus.requests.length = 0;
    tlsListener.serverNames.length = 0;
    kong.requests.length = 0;

    for (let i = 0; i < values.length; i++) {
      for (const name of [`hostile-${i}`, `hostile-v1-${i}`, `hostile-v3-${i}`]) {
        const res = await view(name);
        expect({ name, status: res.status }).toEqual({ name, status: 200 });
      }
    }

    // Nothing ever reached the decoy, and every socket the process opened (since before the
    // backend started) went to a configured port.
    expect(decoy.connections()).toBe(0);
    const elsewhere = outbound.connections.filter(
      (c: OutboundConnection) => (typeof c.path === "string" && c.path !== "") || !configured.has(c.port ?? -1) || !/^(127\.0\.0\.1|localhost|::1)$/.test(c.host ?? ''),
    );
    expect(elsewhere).toEqual([]);
    // The recorder saw fetch, node:http and node:tls sockets alike.
    const reached = new Set(outbound.connections.map(c => c.port));
    for (const u of [jaeger.url, prometheus.url, tlsListener.url, kong.url, kube.url]) {
      expect(reached).toContain(Number(new URL(u).port));
    }

    // Jaeger: only its query paths, the annotated service travelling as one encoded parameter value.
    expect(jaeger.requests.length).toBeGreaterThan(0);
    const jaegerPaths = new Set(jaeger.requests.map(r => wellFormed({ url: r.path })));
    for (const path of jaegerPaths) {
      expect(['/api/traces', '/api/services', '/api/dependencies', '/api/v3/traces', '/api/v3/services']).toContain(path);
    }
    const asked = new Set(
      jaeger.requests.flatMap(r => {
        const params = new URL(r.path, 'http://jaeger.invalid').searchParams;
        return [params.get('service'), params.get('query.service_name')].filter((s): s is string => s !== null);
      }),
    );
    const hasControl = (v: string) => [...v].some(c => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127);
    // Control characters are refused as a service name (a bad-annotation error); the rest is asked for verbatim.
    const serviceNames = values.map(v => v.trim()).filter(v => !hasControl(v));
    for (const name of serviceNames) expect(asked).toContain(name);

    // Prometheus: GETs of the query API below each configured base URL, to the configured host.
    expect(prometheus.requests.length).toBeGreaterThan(0);
    for (const r of prometheus.requests) {
      expect(r.method).toBe('GET');
      expect(r.headers.host).toBe(`127.0.0.1:${prometheus.port}`);
      expect(['/api/v1/query', '/api/v1/query_range', '/eu/api/v1/query', '/eu/api/v1/query_range']).toContain(wellFormed(r));
      const query = new URL(r.url, 'http://prometheus.invalid').searchParams.get('query') ?? '';
      expect(query).not.toContain(`127.0.0.1:${decoy.port}`);
    }
    expect(prometheus.requests.some(r => r.url.startsWith('/eu/'))).toBe(true);

    // TLS: one name, the allowed one, sent to the listener config named.
    expect(tlsListener.serverNames.length).toBeGreaterThan(0);
    expect(new Set(tlsListener.serverNames)).toEqual(new Set([PROBED_HOST]));

    // Kong and Kubernetes: paths below their roots, never naming the decoy.
    for (const r of kong.requests) {
      wellFormed({ url: r.path });
      expect(r.path).not.toContain(`:${decoy.port}`);
    }
    for (const r of kube.requests) {
      expect(r.path).not.toContain(`127.0.0.1:${decoy.port}`);
    }
  }, 120_000);

  it('reports a hostile instance name as a bad annotation naming the configured instances', async () => {
    const i = values.indexOf(`default@127.0.0.1:${decoy.port}`);
    const res = await view(`hostile-${i}`);
    expect(res.body.sections.traces).toMatchObject({
      status: 'error',
      errors: [{ message: expect.stringContaining('is not one of meshGateway.tracing.instances (default, v3)') }],
    });
    expect(res.body.sections.metrics).toMatchObject({
      status: 'error',
      errors: [{ message: expect.stringContaining('is not one of meshGateway.prometheus.instances (default, eu)') }],
    });
    expect(decoy.connections()).toBe(0);
  });

  it('does not probe an allowed host on a port the annotation picks', async () => {
    const i = values.indexOf(`${PROBED_HOST}:${decoy.port}`);
    const res = await view(`hostile-v1-${i}`);
    const probes = res.body.sections.certificates.data.probes;
    expect(probes.status).toBe('ok');
    expect(probes.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ host: PROBED_HOST, port: 443, outcome: 'probed' }),
        expect.objectContaining({ host: PROBED_HOST, port: decoy.port, outcome: 'not-allowed' }),
      ]),
    );
    expect(decoy.connections()).toBe(0);
  });
});
