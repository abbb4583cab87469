import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { MeshGatewaySectionName } from '@internal/plugin-mesh-gateway-common';
import {
  buildAdrCluster,
  buildAdrKongDataset,
  FaultInjector,
  FaultRule,
  JaegerQueryServer,
  KongAdminServer,
  KubernetesApiServer,
  startJaegerQueryServer,
  startKongAdminServer,
  startKubernetesApiServer,
} from '@internal/mesh-sandbox';
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext, runInThisContext } from 'node:vm';
import request from 'supertest';
import { meshGatewayPlugin } from '../plugin';

/*
 * Every fault the sandbox injects, against every upstream a section reads: Kong (kong section),
 * the Kubernetes API (istio section), Jaeger (traces section) and Prometheus (metrics section, a
 * stand-in server here since a real Prometheus needs its binary). Each time the page answers 200
 * within twice the configured timeout, the section says what went wrong, and no promise is left
 * rejected unhandled.
 */

const TIMEOUT_MS = 800;
/** The page must answer within this (the requirement: twice the configured timeout). */
const PAGE_BOUND_MS = 2 * TIMEOUT_MS;

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'user-service',
    namespace: 'default',
    annotations: {
      'mesh-gateway.io/kong-services': 'user-service',
      'backstage.io/kubernetes-id': 'user-service',
      'backstage.io/kubernetes-namespace': 'parallel-ai',
    },
  },
  spec: {},
};

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

type UpstreamName = 'kong' | 'kubernetes' | 'jaeger' | 'prometheus';
const faults: Record<UpstreamName, FaultInjector> = {
  kong: new FaultInjector(),
  kubernetes: new FaultInjector(),
  jaeger: new FaultInjector(),
  prometheus: new FaultInjector(),
};
/** The section each upstream feeds, and the instance name its errors carry. */
const reads: Record<UpstreamName, { section: MeshGatewaySectionName; instance: string }> = {
  kong: { section: 'kong', instance: 'default' },
  kubernetes: { section: 'istio', instance: 'sandbox' },
  jaeger: { section: 'traces', instance: 'jaeger' },
  prometheus: { section: 'metrics', instance: 'prometheus' },
};
const UPSTREAMS = Object.keys(reads) as UpstreamName[];

/** A stand-in for Prometheus' query API: every query has an empty result, unless a fault says otherwise. */
async function startPrometheusStandIn(injector: FaultInjector) {
  const sockets = new Set<Socket>();
  const server = createServer(async (req, res) => {
    req.resume();
    if (await injector.apply(req, res)) return;
    if (res.destroyed) return;
    const range = new URL(req.url ?? '/', 'http://prometheus').pathname === '/api/v1/query_range';
    const body = JSON.stringify({ status: 'success', data: { resultType: range ? 'matrix' : 'vector', result: [] } });
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.on('connection', socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      injector.releaseHanging();
      for (const socket of sockets) socket.destroy();
      await new Promise(resolve => server.close(resolve));
    },
  };
}

let kong: KongAdminServer;
let kube: KubernetesApiServer;
let jaeger: JaegerQueryServer;
let prometheus: Awaited<ReturnType<typeof startPrometheusStandIn>>;
const backends: { stop(): Promise<void> }[] = [];

/** A backend reading the sandbox upstreams, each with `timeoutMs`, under the given upstream policy. */
async function startBackend(timeoutMs: number, upstreams: Record<string, number>) {
  const backend = await startTestBackend({
    features: [
      meshGatewayPlugin,
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.rootConfig.factory({
        data: {
          meshGateway: {
            kong: { instances: [{ name: 'default', adminUrl: kong.url, timeoutMs }] },
            kubernetes: { timeoutMs },
            tracing: { instances: [{ name: 'jaeger', kind: 'jaeger', baseUrl: jaeger.url, timeoutMs, maxTraces: 20 }] },
            prometheus: { instances: [{ name: 'prometheus', url: prometheus.url, timeoutMs }] },
            upstreams,
            // No section comes from the cache: each request sees the upstreams as they are now.
            cache: { ttlSeconds: 0, staleSeconds: 0, errorTtlSeconds: 0 },
          },
          kubernetes: {
            clusterLocatorMethods: [
              { type: 'config', clusters: [{ name: 'sandbox', url: kube.url, skipTLSVerify: true, authProvider: 'serviceAccount' }] },
            ],
          },
        },
      }),
    ],
  });
  backends.push(backend);
  return backend.server;
}

const view = (server: unknown) =>
  request(server as Parameters<typeof request>[0])
    .get('/api/mesh-gateway/v1/entities/default/component/user-service?refresh=true')
    .set('Authorization', mockCredentials.user.header());

async function timedView(server: unknown) {
  const started = Date.now();
  const res = await view(server);
  return { res, elapsed: Date.now() - started };
}

/**
 * Jest gives test code a copy of `process` whose listeners never hear the real process's events;
 * the real one counts every rejection nobody handled.
 */
const realProcess = runInThisContext('process') as NodeJS.Process;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
/** Lets a rejection left unhandled by the request surface before counting. */
const settle = () => new Promise(resolve => setTimeout(resolve, 20));

beforeAll(async () => {
  realProcess.on('unhandledRejection', onUnhandled);
  [kong, kube, jaeger, prometheus] = await Promise.all([
    startKongAdminServer({ port: 0, dataset: buildAdrKongDataset(), faults: faults.kong }),
    startKubernetesApiServer({ port: 0, objects: buildAdrCluster(), faults: faults.kubernetes }),
    startJaegerQueryServer({ port: 0, faults: faults.jaeger }),
    startPrometheusStandIn(faults.prometheus),
  ]);
});
afterAll(async () => {
  realProcess.off('unhandledRejection', onUnhandled);
  for (const backend of backends) await backend.stop();
  await Promise.all([kong?.close(), kube?.close(), jaeger?.close(), prometheus?.close()]);
});
afterEach(() => {
  for (const injector of Object.values(faults)) injector.clear();
});

describe('the unhandled-rejection counter', () => {
  it('hears a rejection nobody handles', async () => {
    // Jest's own listener would fail this test: it is set aside while the counter is checked.
    const others = realProcess.listeners('unhandledRejection').filter(listener => listener !== onUnhandled);
    for (const listener of others) realProcess.off('unhandledRejection', listener);
    try {
      Promise.reject(new Error('deliberately unhandled'));
      await settle();
    } finally {
      for (const listener of others) realProcess.on('unhandledRejection', listener);
    }
    expect(unhandled).toEqual([new Error('deliberately unhandled')]);
    unhandled.length = 0;
  });
});

describe('sections under upstream faults', () => {
  let server: unknown;
  beforeAll(async () => {
    // One attempt's retry fits (fast failures); a breaker that never opens: each fault is seen as itself.
    server = await startBackend(TIMEOUT_MS, { retries: 1, retryBaseMs: 10, failureThreshold: 1000 });
  });

  it('has every section ok while the upstreams are healthy', async () => {
    const { res, elapsed } = await timedView(server);
    expect(res.status).toBe(200);
    for (const upstream of UPSTREAMS) {
      expect(res.body.sections[reads[upstream].section]).toMatchObject({ status: 'ok' });
      expect(res.body.sections[reads[upstream].section].errors).toBeUndefined();
    }
    expect(elapsed).toBeLessThan(PAGE_BOUND_MS);
  });

  const timedOut = new RegExp(`(no answer|not complete) within ${TIMEOUT_MS} ms`);
  /**
   * Each fault, and what the section's error must say about it; `kubernetes` where the Kubernetes
   * client (@kubernetes/client-node, not fetchJson) words it differently.
   */
  const FAULTS: { name: string; fault: FaultRule['fault']; says: RegExp; kubernetes?: RegExp }[] = [
    { name: 'a 500', fault: { type: 'status', status: 500 }, says: /HTTP 500/ },
    {
      name: 'a 429 with Retry-After',
      fault: { type: 'rate-limit', retryAfterSeconds: 30 },
      says: /HTTP 429.*Retry-After 30 s/,
    },
    { name: 'malformed JSON', fault: { type: 'malformed-json' }, says: /not valid JSON/ },
    {
      name: 'a truncated body',
      fault: { type: 'truncated' },
      says: /connection closed before the response was complete|response body truncated/,
      // The Kubernetes client sees the cut connection as a reset.
      kubernetes: /connection reset by the upstream \(ECONNRESET\)/,
    },
    {
      name: 'a connection reset',
      fault: { type: 'reset' },
      says: /connection reset by the upstream \(ECONNRESET\)/,
    },
    { name: 'a server that never answers', fault: { type: 'hang' }, says: timedOut },
    { name: 'latency beyond the timeout', fault: { type: 'latency', ms: TIMEOUT_MS * 3 }, says: timedOut },
  ];
  const cases = UPSTREAMS.flatMap(upstream => FAULTS.map(f => [upstream, f.name, f] as const));

  it.each(cases)('%s answering with %s: the section says so, the page answers in time', async (upstream, _name, f) => {
    const { section, instance } = reads[upstream];
    faults[upstream].set([{ fault: f.fault }]);
    const { res, elapsed } = await timedView(server);
    await settle();

    expect(faults[upstream].hits[f.fault.type]).toBeGreaterThan(0);
    expect(res.status).toBe(200);
    const says = (upstream === 'kubernetes' && f.kubernetes) || f.says;
    expect(res.body.sections[section]).toMatchObject({
      status: 'error',
      errors: expect.arrayContaining([expect.objectContaining({ instance, message: expect.stringMatching(says) })]),
    });
    // Kong's section, which the others read, fails only with Kong.
    expect(res.body.sections.kong.status).toBe(upstream === 'kong' ? 'error' : 'ok');
    expect(elapsed).toBeLessThan(PAGE_BOUND_MS);
    expect(unhandled).toEqual([]);
  });

  it.each(UPSTREAMS)('%s answering slowly but within the timeout: the section is ok', async upstream => {
    const { section } = reads[upstream];
    const healthy = (await view(server)).body.sections[section];
    faults[upstream].set([{ fault: { type: 'latency', ms: TIMEOUT_MS / 4 } }]);
    const { res, elapsed } = await timedView(server);
    await settle();

    expect(faults[upstream].hits.latency).toBeGreaterThan(0);
    expect(res.status).toBe(200);
    // Exactly as without the latency (which the test above requires to be ok, errors none).
    expect(res.body.sections[section].status).toBe(healthy.status);
    expect(res.body.sections[section].errors).toEqual(healthy.errors);
    expect(elapsed).toBeLessThan(PAGE_BOUND_MS);
    expect(unhandled).toEqual([]);
  });

  it('recovers from a transient 503 through a retry', async () => {
    faults.kong.set([{ fault: { type: 'status', status: 503 }, times: 1 }]);
    const res = await view(server);
    expect(res.body.sections.kong.status).toBe('ok');
    expect(faults.kong.hits.status).toBeGreaterThanOrEqual(1);
  });
});

describe('the circuit breaker, seen in the section', () => {
  const OPEN_SECONDS = 3;
  let server: unknown;
  beforeAll(async () => {
    server = await startBackend(TIMEOUT_MS, { retries: 0, failureThreshold: 3, openSeconds: OPEN_SECONDS });
  });

  const circuitOpen = (section: { errors?: { name: string }[] }) => (section.errors ?? []).filter(e => e.name === 'circuit-open');
  /** Requests the upstream received. */
  const requestsTo = (upstream: UpstreamName) => (upstream === 'kong' ? kong : kube).requests.length;

  it.each<UpstreamName>(['kong', 'kubernetes'])(
    '%s: repeated 500s open it, the section says so and when it probes again; a healthy probe closes it',
    async upstream => {
      const { section, instance } = reads[upstream];
      faults[upstream].set([{ fault: { type: 'status', status: 500 } }]);
      const first = await view(server);
      expect(first.status).toBe(200);
      expect(first.body.sections[section].errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ message: expect.stringMatching(/HTTP 500/) })]),
      );

      // Three failed calls open it (the first page alone may make them).
      let open: request.Response | undefined;
      for (let i = 0; i < 3 && !open; i++) {
        const res = await view(server);
        expect(res.status).toBe(200);
        if (circuitOpen(res.body.sections[section]).length > 0) open = res;
      }
      expect(open?.body.sections[section]).toMatchObject({ status: 'error' });
      expect(circuitOpen(open!.body.sections[section])).toContainEqual(
        expect.objectContaining({
          instance,
          message: expect.stringMatching(
            new RegExp(`^${instance}: circuit open after \\d+ consecutive failures; not called, next probe in [1-${OPEN_SECONDS}] s$`),
          ),
        }),
      );

      // While open the upstream is not called (once calls of earlier pages, let through before it
      // opened, have all arrived).
      let before = -1;
      while (before !== requestsTo(upstream)) {
        before = requestsTo(upstream);
        await new Promise(resolve => setTimeout(resolve, 100));
      }
      const failFast = await timedView(server);
      expect(failFast.res.status).toBe(200);
      expect(circuitOpen(failFast.res.body.sections[section]).length).toBeGreaterThan(0);
      expect(requestsTo(upstream)).toBe(before);

      // Healthy again: after the pause one probe goes through, succeeds and closes the circuit.
      faults[upstream].clear();
      await new Promise(resolve => setTimeout(resolve, OPEN_SECONDS * 1000 + 100));
      const probed = await view(server);
      expect(probed.status).toBe(200);
      expect(requestsTo(upstream)).toBeGreaterThan(before);
      // Calls that came while the probe was out were refused; from now on none is.
      const closed = await view(server);
      expect(closed.body.sections[section].errors ?? []).not.toContainEqual(expect.objectContaining({ name: 'circuit-open' }));
      expect(closed.body.sections[section].errors ?? []).not.toContainEqual(
        expect.objectContaining({ message: expect.stringMatching(/HTTP 500/) }),
      );
      expect(closed.body.sections.kong.status).toBe('ok');
      await settle();
      expect(unhandled).toEqual([]);
    },
    20_000,
  );
});

describe('repeated faults', () => {
  const SHORT_TIMEOUT_MS = 150;
  let server: unknown;
  beforeAll(async () => {
    server = await startBackend(SHORT_TIMEOUT_MS, { retries: 1, retryBaseMs: 5, failureThreshold: 1000 });
  });

  it('leave no unhandled rejection and the memory flat', async () => {
    const cycle: FaultRule['fault'][] = [
      { type: 'status', status: 500 },
      { type: 'rate-limit', retryAfterSeconds: 1 },
      { type: 'malformed-json' },
      { type: 'truncated' },
      { type: 'reset' },
      { type: 'hang' },
      { type: 'latency', ms: SHORT_TIMEOUT_MS * 2 },
    ];
    const round = async (n: number) => {
      for (let i = 0; i < n; i++) {
        // Every upstream misbehaves at once, a different way each round.
        for (const upstream of UPSTREAMS) faults[upstream].set([{ fault: cycle[i % cycle.length] }]);
        const { res, elapsed } = await timedView(server);
        expect(res.status).toBe(200);
        expect(elapsed).toBeLessThan(2 * SHORT_TIMEOUT_MS + 500);
      }
    };
    await round(3 * cycle.length);
    gc();
    const before = process.memoryUsage().heapUsed;
    await round(15 * cycle.length);
    await new Promise(resolve => setTimeout(resolve, 2 * SHORT_TIMEOUT_MS));
    gc();
    const growth = process.memoryUsage().heapUsed - before;
    expect(growth).toBeLessThan(8 * 1024 * 1024);
    for (const injector of Object.values(faults)) {
      for (const { type } of cycle) expect(injector.hits[type]).toBeGreaterThan(0);
    }
    await settle();
    expect(unhandled).toEqual([]);
  }, 120_000);
});
