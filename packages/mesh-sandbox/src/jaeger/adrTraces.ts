import { z } from 'zod';
import {
  catalogueOf,
  SandboxAttribute,
  SandboxSpan,
  SandboxSpanKind,
  SandboxStatusCode,
  SandboxTrace,
  str,
  int,
  strings,
  TraceSource,
} from './model';
import { msToNs, SeededRandom } from './random';

const NAMESPACE = 'parallel-ai';
const EDGE_HOST = 'api.parallel-ai.example.com';
const fqdn = (service: string) => `${service}.${NAMESPACE}.svc.cluster.local`;

/** What one planned span becomes; times are laid out from the children up. */
interface SpanPlan {
  resource: SandboxAttribute[];
  scope: { name?: string; version?: string };
  name: string;
  kind: SandboxSpanKind;
  attributes: SandboxAttribute[];
  status?: { code: SandboxStatusCode; message?: string };
  exception?: { type: string; message: string };
  /** Own time before the first child and after the last (or the whole span without children). */
  beforeMs: number;
  afterMs: number;
  children: SpanPlan[];
  /** The context did not reach this span: it starts a trace of its own with this id. */
  newTraceId?: string;
}

/** Who reports spans: a resource and an instrumentation scope. */
interface Reporter {
  resource: SandboxAttribute[];
  scope: { name?: string; version?: string };
}

interface AppProfile {
  name: string;
  language: string;
  serverScope: { name: string; version: string };
  clientScope: { name: string; version: string };
}

type AppName = 'ai-agent-service' | 'user-service' | 'analytics-service';

const APPS: Record<AppName, AppProfile> = {
  'ai-agent-service': {
    name: 'ai-agent-service',
    language: 'python',
    serverScope: {
      name: 'opentelemetry.instrumentation.fastapi',
      version: '0.48b0',
    },
    clientScope: {
      name: 'opentelemetry.instrumentation.httpx',
      version: '0.48b0',
    },
  },
  'user-service': {
    name: 'user-service',
    language: 'java',
    serverScope: {
      name: 'io.opentelemetry.spring-webmvc-6.0',
      version: '2.10.0-alpha',
    },
    clientScope: { name: 'io.opentelemetry.jdbc', version: '2.10.0-alpha' },
  },
  'analytics-service': {
    name: 'analytics-service',
    language: 'go',
    serverScope: {
      name: 'go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp',
      version: '0.56.0',
    },
    clientScope: { name: 'github.com/IBM/sarama', version: '1.43.3' },
  },
};

const POD_SUFFIXES = ['x2k9p', 'm4n7q', 'r8t1w'];

/** The random draws of one slot; trace ids carry the slot so that a trace is found by id at once. */
class SlotRandom extends SeededRandom {
  constructor(
    seed: string,
    readonly slot: number,
  ) {
    super(seed);
  }
}

/**
 * A trace id: the slot number in 8 hex characters, then random ones. 64-bit ids (16 leading
 * zeros) are those of a legacy propagator.
 */
function traceIdFor(rng: SlotRandom, bits: 64 | 128): string {
  const slot = rng.slot.toString(16).padStart(8, '0');
  return bits === 64
    ? `${'0'.repeat(16)}${slot}${rng.hex(4)}`
    : `${slot}${rng.hex(12)}`;
}

/** The slot a trace id of {@link traceIdFor} names. */
function slotOf(traceId: string): number {
  return parseInt(
    traceId.startsWith('0'.repeat(16))
      ? traceId.slice(16, 24)
      : traceId.slice(0, 8),
    16,
  );
}

/** @public */
export const adrTraceGeneratorOptionsSchema = z.object({
  /** Same seed, same traces. */
  seed: z.string().min(1).default('parallel-ai'),
  /** One request every `intervalMs` (each may touch several services). */
  intervalMs: z.number().int().min(1000).max(3_600_000).default(20_000),
  /** How far back traces exist. */
  retentionMs: z
    .number()
    .int()
    .min(60_000)
    .max(30 * 86_400_000)
    .default(2 * 86_400_000),
  /** Kong's `service.name`: the sandbox Kong's opentelemetry plugin sets `kong-gateway`. */
  kongServiceName: z.string().min(1).default('kong-gateway'),
  now: z
    .custom<() => number>(value => typeof value === 'function')
    .default(() => Date.now),
});

/** @public */
export type AdrTraceGeneratorOptions = z.input<
  typeof adrTraceGeneratorOptionsSchema
>;

/**
 * Traces of the architecture documents' services, generated from a seed on a time grid relative
 * to now, so that the last hour always has data and the same instant always shows the same
 * traces. Requests go Kong → Kong's sidecar → the service's sidecar → the service, and
 * ai-agent-service calls user-service and analytics-service through the mesh. A few requests
 * fail, a few are slow, some reach user-service from a batch job without Kong, and some
 * analytics-service requests lose the trace context at the service (its legacy propagator starts
 * a 64-bit trace of its own).
 *
 * @public
 */
export class AdrTraceGenerator implements TraceSource {
  private readonly options: z.output<typeof adrTraceGeneratorOptionsSchema>;
  private readonly slots = new Map<number, SandboxTrace[]>();
  private catalogueCache?: {
    at: number;
    value: Map<string, Map<string, SandboxSpanKind>>;
  };

  constructor(options: AdrTraceGeneratorOptions = {}) {
    const parsed = adrTraceGeneratorOptionsSchema.safeParse(options);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `AdrTraceGenerator: invalid option ${issue.path.join('.')}: ${issue.message}`,
      );
    }
    this.options = parsed.data;
  }

  /**
   * The traces with a span starting in [startUs, endUs], newest first. A trace shows once all its
   * spans have ended (spans are exported when they end).
   */
  *traces(startUs: number, endUs: number): Iterable<SandboxTrace> {
    const { intervalMs, retentionMs, now } = this.options;
    const nowMs = now();
    const nowNs = BigInt(Math.floor(nowMs)) * 1_000_000n;
    const endMs = Math.min(endUs / 1000, nowMs);
    // A request lasts well under a slot: the slot before the range covers requests that began
    // before it with spans inside it.
    const firstSlot =
      Math.floor(Math.max(startUs / 1000, nowMs - retentionMs) / intervalMs) -
      1;
    for (let slot = Math.floor(endMs / intervalMs); slot >= firstSlot; slot--) {
      for (const trace of this.slot(slot)) {
        const ended = trace.spans.every(span => span.endNs <= nowNs);
        const inRange = trace.spans.some(span => {
          const us = Number(span.startNs / 1000n);
          return us >= startUs && us <= endUs;
        });
        if (ended && inRange) yield trace;
      }
    }
  }

  trace(traceId: string): SandboxTrace | undefined {
    const slot = slotOf(traceId);
    const nowMs = this.options.now();
    const slotStart = slot * this.options.intervalMs;
    if (
      !/^[0-9a-f]{32}$/.test(traceId) ||
      slotStart > nowMs ||
      slotStart < nowMs - this.options.retentionMs - this.options.intervalMs
    ) {
      return undefined;
    }
    const nowNs = BigInt(Math.floor(nowMs)) * 1_000_000n;
    return this.slot(slot).find(
      trace =>
        trace.traceId === traceId &&
        trace.spans.every(span => span.endNs <= nowNs),
    );
  }

  /** Services and operations of the last six hours (every scenario appears in that time). */
  catalogue(): Map<string, Map<string, SandboxSpanKind>> {
    const nowMs = this.options.now();
    if (!this.catalogueCache || nowMs - this.catalogueCache.at > 60_000) {
      const hours = Math.min(6 * 3_600_000, this.options.retentionMs);
      this.catalogueCache = {
        at: nowMs,
        value: catalogueOf(this.traces((nowMs - hours) * 1000, nowMs * 1000)),
      };
    }
    return this.catalogueCache.value;
  }

  private slot(slot: number): SandboxTrace[] {
    const cached = this.slots.get(slot);
    if (cached) return cached;
    const traces = this.generate(slot);
    if (this.slots.size >= 20_000) {
      this.slots.delete(this.slots.keys().next().value!);
    }
    this.slots.set(slot, traces);
    return traces;
  }

  private generate(slot: number): SandboxTrace[] {
    const rng = new SlotRandom(`${this.options.seed}:${slot}`, slot);
    const startMs =
      slot * this.options.intervalMs +
      rng.between(0, this.options.intervalMs / 4);
    const scenario = rng.next();
    let plan: SpanPlan;
    if (scenario < 0.5) plan = this.throughKong(rng, 'ai-agent-service');
    else if (scenario < 0.72) plan = this.throughKong(rng, 'analytics-service');
    else if (scenario < 0.94) plan = this.throughKong(rng, 'user-service');
    else plan = this.batchJob(rng);
    return layout(plan, traceIdFor(rng, 128), startMs, rng);
  }

  // --- reporters -------------------------------------------------------------------------

  private kong(rng: SlotRandom): Reporter {
    return {
      resource: [
        str('service.name', this.options.kongServiceName),
        str('host.name', `kong-7d4b9c8f6d-${rng.pick(['q2x8m', 'h5v3k'])}`),
      ],
      scope: { name: 'kong-internal', version: '0.1.0' },
    };
  }

  private app(
    rng: SlotRandom,
    name: AppName,
    scope: 'server' | 'client' | 'internal',
  ): Reporter {
    const app = APPS[name];
    const tier = rng.pick(['premium', 'standard']);
    return {
      resource: [
        str('service.name', name),
        str('service.version', '1.4.2'),
        str('k8s.namespace.name', NAMESPACE),
        str(
          'k8s.pod.name',
          `${name}-${tier}-7d9f8c6b5-${rng.pick(POD_SUFFIXES)}`,
        ),
        str('telemetry.sdk.language', app.language),
        str('telemetry.sdk.name', 'opentelemetry'),
      ],
      scope: {
        server: app.serverScope,
        client: app.clientScope,
        internal: {
          name: name.replace(/-service$/, '_service'),
          version: '1.4.2',
        },
      }[scope],
    };
  }

  /** Istio names a sidecar's spans `<canonical service>.<namespace>`; Envoy sets no scope. */
  private sidecar(canonical: string, namespace: string): Reporter {
    return {
      resource: [str('service.name', `${canonical}.${namespace}`)],
      scope: {},
    };
  }

  // --- scenarios -----------------------------------------------------------------------------

  private throughKong(rng: SlotRandom, target: AppName): SpanPlan {
    const route = (
      {
        'ai-agent-service': { method: 'POST', path: '/api/v1/ai-agent/chat' },
        'analytics-service': {
          method: 'POST',
          path: '/api/v1/analytics/events',
        },
        'user-service': {
          method: 'GET',
          path: `/api/v1/users/u-${Math.floor(rng.between(1000, 9999))}`,
        },
      } satisfies Record<AppName, { method: string; path: string }>
    )[target];
    const kongRequestId = rng.hex(16);
    const kong = this.kong(rng);
    // Context lost: analytics-service's legacy propagator reads neither B3 nor traceparent.
    const contextLost = target === 'analytics-service' && rng.chance(0.2);
    const service = this.serve(rng, target, route, {
      kongRequestId,
      contextLost,
    });
    const failed = service.failed;
    const status = service.code;

    const plugins: SpanPlan[] = [
      internal(kong, 'kong.router', rng.between(0.05, 0.2)),
      internal(kong, 'kong.access.plugin.jwt', rng.between(0.3, 1.2)),
      internal(
        kong,
        'kong.access.plugin.request-transformer',
        rng.between(0.05, 0.2),
      ),
    ];
    if (target === 'ai-agent-service') {
      // Rate limiting asks Redis; now and then Redis is slow.
      plugins.push(
        internal(
          kong,
          'kong.access.plugin.rate-limiting',
          rng.chance(0.02) ? rng.between(40, 120) : rng.between(0.8, 3),
        ),
      );
    }
    const balancer: SpanPlan = {
      ...kong,
      name: 'kong.balancer',
      kind: 3,
      attributes: [
        str(
          'net.peer.name',
          target === 'analytics-service' ? 'analytics-upstream' : fqdn(target),
        ),
        str('net.peer.ip', `10.96.0.${10 + Object.keys(APPS).indexOf(target)}`),
        int('net.peer.port', 8080),
        int('try_count', 1),
      ],
      status: failed
        ? { code: 2, message: `upstream returned ${status}` }
        : undefined,
      beforeMs: rng.between(0.05, 0.3),
      afterMs: rng.between(0.05, 0.2),
      children: [
        this.envoyOutbound(
          rng,
          'kong',
          'kong',
          target,
          route,
          kongRequestId,
          status,
          [service.inbound],
        ),
      ],
    };
    return {
      ...kong,
      name: 'kong',
      kind: 2,
      attributes: [
        str('http.method', route.method),
        str('http.url', `https://${EDGE_HOST}${route.path}`),
        str('http.host', EDGE_HOST),
        str('http.scheme', 'https'),
        str('http.flavor', '1.1'),
        str('net.peer.ip', `203.0.113.${Math.floor(rng.between(2, 250))}`),
        int('http.status_code', status),
      ],
      status: failed ? { code: 2 } : undefined,
      beforeMs: rng.between(1.5, 6),
      afterMs: rng.between(1, 4),
      children: [...plugins, balancer],
    };
  }

  /** A nightly-style batch job in namespace `batch` (no sidecar) calling user-service directly. */
  private batchJob(rng: SlotRandom): SpanPlan {
    const job: Reporter = {
      resource: [
        str('service.name', 'reporting-cron'),
        str('k8s.namespace.name', 'batch'),
        str('telemetry.sdk.language', 'python'),
      ],
      scope: {
        name: 'opentelemetry.instrumentation.requests',
        version: '0.48b0',
      },
    };
    const route = {
      method: 'GET',
      path: `/api/v1/users/u-${Math.floor(rng.between(1000, 9999))}`,
    };
    const service = this.serve(rng, 'user-service', route);
    return {
      ...job,
      name: 'sync user report',
      kind: 1,
      attributes: [],
      beforeMs: rng.between(2, 8),
      afterMs: rng.between(1, 3),
      children: [
        {
          ...job,
          name: route.method,
          kind: 3,
          attributes: [
            str('http.request.method', route.method),
            str('url.full', `http://${fqdn('user-service')}:8080${route.path}`),
            int('http.response.status_code', service.code),
          ],
          status: service.failed ? { code: 2 } : undefined,
          beforeMs: rng.between(0.2, 0.8),
          afterMs: rng.between(0.1, 0.4),
          children: [service.inbound],
        },
      ],
    };
  }

  /**
   * The target's sidecar inbound span with the app's server span below it (or, when the context
   * is lost, starting a trace of its own).
   */
  private serve(
    rng: SlotRandom,
    target: AppName,
    route: { method: string; path: string },
    how: { kongRequestId?: string; contextLost?: boolean } = {},
  ): { inbound: SpanPlan; failed: boolean; code: number } {
    const app = this.app(rng, target, 'server');
    const children: SpanPlan[] = [];
    let error: { type: string; message: string } | undefined;
    let code = 200;
    if (target === 'ai-agent-service') {
      const user = this.call(
        rng,
        'ai-agent-service',
        'user-service',
        {
          method: 'GET',
          path: `/api/v1/users/u-${Math.floor(rng.between(1000, 9999))}`,
        },
        how.kongRequestId,
      );
      const slow = rng.chance(0.03);
      const llmFails = rng.chance(0.01);
      children.push(user.plan);
      children.push({
        ...this.app(rng, target, 'internal'),
        name: 'llm.generate',
        kind: 1,
        attributes: [
          str('gen_ai.system', 'openai'),
          str('gen_ai.request.model', 'gpt-4o-mini'),
        ],
        status: llmFails
          ? { code: 2, message: 'model call timed out' }
          : undefined,
        beforeMs: slow ? rng.between(300, 1500) : rng.between(25, 60),
        afterMs: 0,
        children: [],
      });
      const analytics = this.call(
        rng,
        'ai-agent-service',
        'analytics-service',
        { method: 'POST', path: '/api/v1/analytics/events' },
        how.kongRequestId,
      );
      children.push(analytics.plan);
      if (user.failed || llmFails) {
        code = 502;
        error = {
          type: 'httpx.HTTPStatusError',
          message: user.failed
            ? 'user-service answered 500'
            : 'model call timed out',
        };
      }
    } else if (target === 'user-service') {
      const slow = rng.chance(0.01);
      const fails = rng.chance(0.025);
      let queryMs = rng.between(1, 6);
      if (fails) queryMs = rng.between(1000, 1500);
      else if (slow) queryMs = rng.between(150, 400);
      children.push({
        ...this.app(rng, target, 'client'),
        name: 'SELECT parallel_ai.users',
        kind: 3,
        attributes: [
          str('db.system', 'postgresql'),
          str('db.name', 'parallel_ai'),
          str('server.address', 'postgres.parallel-ai.svc.cluster.local'),
        ],
        status: fails
          ? { code: 2, message: 'connection timed out' }
          : undefined,
        beforeMs: queryMs,
        afterMs: 0,
        children: [],
      });
      if (fails) {
        code = 500;
        error = {
          type: 'org.postgresql.util.PSQLException',
          message: 'The connection attempt failed: connection timed out',
        };
      }
    } else {
      const fails = rng.chance(0.015);
      children.push({
        ...this.app(rng, target, 'client'),
        name: 'analytics-events publish',
        kind: 4,
        attributes: [
          str('messaging.system', 'kafka'),
          str('messaging.destination.name', 'analytics-events'),
        ],
        status: fails
          ? {
              code: 2,
              message: 'kafka: client has run out of available brokers',
            }
          : undefined,
        beforeMs: rng.between(1, 4),
        afterMs: 0,
        children: [],
      });
      if (fails) {
        code = 503;
        error = {
          type: 'sarama.ErrOutOfBrokers',
          message: 'kafka: client has run out of available brokers to talk to',
        };
      }
    }

    const serverAttributes = [
      str('http.request.method', route.method),
      str('http.route', route.path.replace(/u-\d+$/, '{userId}')),
      str('url.path', route.path),
      int('http.response.status_code', code),
      str('network.protocol.version', '1.1'),
    ];
    if (target === 'analytics-service' && how.kongRequestId) {
      // analytics-service captures these request headers (OTEL_..._CAPTURE_REQUEST_HEADERS).
      serverAttributes.push(
        strings('http.request.header.x-request-source', ['kong-gateway']),
      );
      serverAttributes.push(
        strings('http.request.header.x-kong-request-id', [how.kongRequestId]),
      );
    }
    const server: SpanPlan = {
      ...app,
      name: `${route.method} ${route.path.replace(/u-\d+$/, '{userId}')}`,
      kind: 2,
      attributes: serverAttributes,
      status: error ? { code: 2, message: error.message } : undefined,
      exception: error,
      beforeMs: rng.between(0.5, 2),
      afterMs: rng.between(0.3, 1.5),
      children,
      newTraceId: how.contextLost ? traceIdFor(rng, 64) : undefined,
    };
    const inbound = this.envoyInbound(
      rng,
      target,
      route,
      how.kongRequestId,
      code,
      server,
    );
    return { inbound, failed: error !== undefined, code };
  }

  /** The app's HTTP client span, its own sidecar's outbound span and the callee below. */
  private call(
    rng: SlotRandom,
    from: AppName,
    to: AppName,
    route: { method: string; path: string },
    kongRequestId: string | undefined,
  ): { plan: SpanPlan; failed: boolean } {
    const served = this.serve(rng, to, route, { kongRequestId });
    const { failed, code } = served;
    return {
      failed,
      plan: {
        ...this.app(rng, from, 'client'),
        name: route.method,
        kind: 3,
        attributes: [
          str('http.request.method', route.method),
          str('url.full', `http://${fqdn(to)}:8080${route.path}`),
          str('server.address', fqdn(to)),
          int('server.port', 8080),
          int('http.response.status_code', code),
        ],
        status: failed ? { code: 2 } : undefined,
        beforeMs: rng.between(0.1, 0.4),
        afterMs: rng.between(0.1, 0.3),
        children: [
          this.envoyOutbound(
            rng,
            from,
            NAMESPACE,
            to,
            route,
            kongRequestId,
            code,
            [served.inbound],
          ),
        ],
      },
    };
  }

  private envoyAttributes(
    rng: SlotRandom,
    canonical: string,
    namespace: string,
    upstreamCluster: string,
    route: { method: string; path: string },
    host: string,
    kongRequestId: string | undefined,
    code: number,
  ): SandboxAttribute[] {
    const attributes = [
      str('component', 'proxy'),
      str(
        'node_id',
        `sidecar~10.244.1.${Math.floor(rng.between(10, 60))}~${canonical}.${namespace}~${namespace}.svc.cluster.local`,
      ),
      str('zone', 'eu-west-1a'),
      str('guid:x-request-id', rng.hex(16)),
      str('http.url', `http://${host}${route.path}`),
      str('http.method', route.method),
      str('downstream_cluster', '-'),
      str('http.protocol', 'HTTP/1.1'),
      str('upstream_cluster', upstreamCluster),
      str('upstream_cluster.name', upstreamCluster),
      str('http.status_code', String(code)),
      str('response_flags', '-'),
      str('istio.canonical_revision', 'latest'),
      str('istio.canonical_service', canonical),
      str('istio.mesh_id', 'cluster.local'),
      str('istio.namespace', namespace),
    ];
    // The baseline's Telemetry adds Kong's request id as a custom tag.
    if (kongRequestId) attributes.push(str('x-kong-request-id', kongRequestId));
    // Envoy's tags are strings, `error` included.
    if (code >= 500) attributes.push(str('error', 'true'));
    return attributes;
  }

  private envoyOutbound(
    rng: SlotRandom,
    canonical: string,
    namespace: string,
    to: string,
    route: { method: string; path: string },
    kongRequestId: string | undefined,
    code: number,
    children: SpanPlan[],
  ): SpanPlan {
    return {
      ...this.sidecar(canonical, namespace),
      name: `${fqdn(to)}:8080/*`,
      kind: 3,
      attributes: this.envoyAttributes(
        rng,
        canonical,
        namespace,
        `outbound|8080||${fqdn(to)}`,
        route,
        `${fqdn(to)}:8080`,
        kongRequestId,
        code,
      ),
      beforeMs: rng.between(0.2, 0.6),
      afterMs: rng.between(0.1, 0.4),
      children,
    };
  }

  private envoyInbound(
    rng: SlotRandom,
    target: string,
    route: { method: string; path: string },
    kongRequestId: string | undefined,
    code: number,
    server: SpanPlan,
  ): SpanPlan {
    return {
      ...this.sidecar(target, NAMESPACE),
      name: `${fqdn(target)}:8080/*`,
      kind: 2,
      attributes: this.envoyAttributes(
        rng,
        target,
        NAMESPACE,
        'inbound|8080||',
        route,
        `${fqdn(target)}:8080`,
        kongRequestId,
        code,
      ),
      // mTLS handshake and policy checks on the way in.
      beforeMs: rng.between(0.3, 1),
      afterMs: rng.between(0.1, 0.3),
      children: [server],
    };
  }
}

function internal(reporter: Reporter, name: string, ms: number): SpanPlan {
  return {
    ...reporter,
    name,
    kind: 1,
    attributes: [],
    beforeMs: ms,
    afterMs: 0,
    children: [],
  };
}

/** Gives every planned span its ids and times: children run one after another inside the parent. */
function layout(
  plan: SpanPlan,
  traceId: string,
  startMs: number,
  rng: SlotRandom,
): SandboxTrace[] {
  const traces = new Map<string, SandboxSpan[]>();
  const place = (
    node: SpanPlan,
    nodeTraceId: string,
    parentSpanId: string | undefined,
    start: bigint,
  ): bigint => {
    const spanId = rng.hex(8);
    let cursor = start + msToNs(node.beforeMs);
    for (const child of node.children) {
      const childTraceId = child.newTraceId ?? nodeTraceId;
      cursor = place(
        child,
        childTraceId,
        child.newTraceId ? undefined : spanId,
        cursor,
      );
    }
    const end = cursor + msToNs(node.afterMs);
    const span: SandboxSpan = {
      traceId: nodeTraceId,
      spanId,
      parentSpanId,
      resource: node.resource,
      scope: node.scope,
      name: node.name,
      kind: node.kind,
      startNs: start,
      endNs: end,
      attributes: node.attributes,
      events: node.exception
        ? [
            {
              timeNs: end - 1000n,
              name: 'exception',
              attributes: [
                str('exception.type', node.exception.type),
                str('exception.message', node.exception.message),
              ],
            },
          ]
        : [],
      status: node.status ?? { code: 0 },
    };
    const list = traces.get(nodeTraceId) ?? [];
    list.push(span);
    traces.set(nodeTraceId, list);
    return end;
  };
  place(plan, traceId, undefined, msToNs(startMs));
  return [...traces].map(([id, spans]) => ({
    traceId: id,
    spans: spans.sort((a, b) => Number(a.startNs - b.startNs)),
  }));
}
