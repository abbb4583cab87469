import {
  HTTP_METHODS,
  ServiceSpecInput,
} from '@internal/plugin-mesh-gateway-common';
import fc from 'fast-check';

/** Runs per property: ~100 by default, FUZZ_RUNS raises it. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 100);

/**
 * Runs of a property that runs an action per case: `defaultRuns` in the default test run, and
 * FUZZ_RUNS (10,000 in `yarn test:fuzz`) in the fuzz suite.
 */
export const actionFuzzRuns = (defaultRuns: number) =>
  process.env.FUZZ_RUNS ? FUZZ_RUNS : defaultRuns;

/** Jest timeout of such a property: the fuzz suite's 10,000 cases take minutes. */
export const FUZZ_TIMEOUT_MS = process.env.FUZZ_RUNS ? 3_600_000 : 120_000;

export const dnsLabel = (max = 63) =>
  fc.stringMatching(new RegExp(`^[a-z0-9]([-a-z0-9]{0,${max - 2}}[a-z0-9])?$`));

// The last label has a letter: a host ending in a number is read as an IPv4 address.
const hostName = fc
  .tuple(
    fc.array(dnsLabel(20), { maxLength: 3 }),
    fc.stringMatching(/^[a-z]{2,6}$/),
  )
  .map(([labels, top]) => [...labels, top].join('.'));

const port = fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined });
const urlPath = fc
  .array(fc.stringMatching(/^[A-Za-z0-9_~-]{1,12}$/), { maxLength: 3 })
  .map(segments => segments.map(s => `/${s}`).join(''));

const url = (scheme: 'https' | 'http') =>
  fc
    .tuple(hostName, port, urlPath)
    .map(([host, p, path]) => `${scheme}://${host}${p ? `:${p}` : ''}${path}`);

const pathSegment = fc
  .stringMatching(/^[A-Za-z0-9._~-]{1,16}$/)
  .filter(s => s !== '.' && s !== '..');

const route = fc.record({
  name: dnsLabel(20),
  prefix: fc.array(pathSegment, { maxLength: 3 }),
  methods: fc.subarray([...HTTP_METHODS], { minLength: 1 }),
});

const routes = fc
  .uniqueArray(route, { selector: r => r.name, maxLength: 4 })
  .map(list =>
    list.map(r => ({
      name: r.name,
      // The name in the path keeps paths unique.
      path: `/${[...r.prefix, r.name].join('/')}`,
      methods: r.methods,
    })),
  );

const auth = fc.oneof(
  fc.record(
    {
      type: fc.constant('jwt' as const),
      issuer: url('https'),
      audiences: fc.array(
        fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._~:/-]{0,40}$/),
        { maxLength: 3 },
      ),
      jwksUri: url('https'),
    },
    { requiredKeys: ['type', 'issuer'] },
  ),
  fc.record({
    type: fc.constant('key-auth' as const),
    keyNames: fc.uniqueArray(
      fc.stringMatching(/^[A-Za-z0-9]([A-Za-z0-9-]{0,20}[A-Za-z0-9])?$/),
      {
        minLength: 1,
        maxLength: 3,
      },
    ),
  }),
  fc.constant({ type: 'none' as const }),
);

const cronField = (min: number, max: number) =>
  fc.oneof(
    fc.constant('*'),
    fc.integer({ min, max }).map(String),
    fc
      .tuple(fc.integer({ min, max }), fc.integer({ min, max }))
      .map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
    fc.integer({ min: 1, max: 10 }).map(step => `*/${step}`),
  );

const schedule = fc
  .tuple(
    cronField(0, 59),
    cronField(0, 23),
    cronField(1, 31),
    cronField(1, 12),
    cronField(0, 7),
  )
  .map(fields => fields.join(' '));

const resilience = fc
  .record({
    timeoutSeconds: fc.integer({ min: 1, max: 600 }),
    retries: fc.integer({ min: 0, max: 10 }),
    perTryFraction: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), {
      nil: undefined,
    }),
    outlierDetection: fc.record({
      consecutive5xxErrors: fc.integer({ min: 1, max: 1000 }),
      consecutiveGatewayErrors: fc.integer({ min: 1, max: 1000 }),
      intervalSeconds: fc.integer({ min: 1, max: 3600 }),
      baseEjectionTimeSeconds: fc.integer({ min: 1, max: 3600 }),
      maxEjectionPercent: fc.integer({ min: 1, max: 100 }),
    }),
    connectionPool: fc.record(
      {
        maxConnections: fc.integer({ min: 1, max: 100_000 }),
        connectTimeoutSeconds: fc.integer({ min: 1, max: 600 }),
        tcpKeepaliveTimeSeconds: fc.integer({ min: 1, max: 86_400 }),
        tcpKeepaliveIntervalSeconds: fc.integer({ min: 1, max: 86_400 }),
        http1MaxPendingRequests: fc.integer({ min: 1, max: 100_000 }),
        http2MaxRequests: fc.integer({ min: 1, max: 100_000 }),
        maxRequestsPerConnection: fc.integer({ min: 0, max: 100_000 }),
        maxRetries: fc.integer({ min: 0, max: 1000 }),
        http2Upgrade: fc.boolean(),
      },
      { requiredKeys: [] },
    ),
  })
  .map(({ perTryFraction, ...rest }) => {
    const max = Math.floor((rest.timeoutSeconds * 1000) / (rest.retries + 1));
    return {
      ...rest,
      ...(perTryFraction === undefined
        ? {}
        : { perTryTimeoutMs: Math.max(1, Math.floor(perTryFraction * max)) }),
    };
  });

const certificate = fc
  .record({
    hosts: fc.uniqueArray(hostName, { maxLength: 3 }),
    issuerKind: fc.constantFrom('ClusterIssuer' as const, 'Issuer' as const),
    issuerName: dnsLabel(30),
    durationDays: fc.integer({ min: 2, max: 3650 }),
    rotationFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .map(({ rotationFraction, ...rest }) => ({
    ...rest,
    rotationDays: Math.max(
      1,
      Math.min(
        rest.durationDays - 1,
        Math.floor(rotationFraction * rest.durationDays),
      ),
    ),
  }));

const image = fc.constantFrom(
  'kong/deck:v1.45.0',
  'registry.example.com:5000/tools/deck:1.45',
  `kong/deck@sha256:${'a'.repeat(64)}`,
  'amazon/aws-cli:2.27.0',
);

const backup = fc.record(
  {
    enabled: fc.boolean(),
    schedule,
    timeZone: fc.constantFrom(
      'Etc/UTC',
      'Europe/Berlin',
      'America/New_York',
      'Asia/Tokyo',
    ),
    kongAdminUrl: url('http'),
    deckImage: image,
    uploaderImage: image,
    bucket: fc.stringMatching(/^[a-z0-9][a-z0-9.-]{1,20}[a-z0-9]$/),
    prefix: fc
      .array(fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,10}$/), {
        minLength: 1,
        maxLength: 3,
      })
      .map(s => s.join('/')),
    region: fc.constantFrom('eu-west-1', 'us-east-2', 'ap-southeast-1'),
    roleArn: fc
      .stringMatching(/^[a-z0-9-]{1,20}$/)
      .map(role => `arn:aws:iam::123456789012:role/${role}`),
  },
  { requiredKeys: [] },
);

/** Any service spec the form accepts. */
export const serviceSpecInput: fc.Arbitrary<ServiceSpecInput> = fc.record(
  {
    name: dnsLabel(),
    owner: fc.constantFrom(
      'group:default/platform',
      'team-a',
      'user:default/jane.doe',
      'group:ops/sre',
    ),
    system: fc.stringMatching(/^[a-zA-Z0-9]([-_.]?[a-zA-Z0-9]){0,30}$/),
    description: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .,()/+_-]{0,60}$/),
    lifecycle: fc.constantFrom(
      'experimental' as const,
      'production' as const,
      'deprecated' as const,
    ),
    namespace: dnsLabel(),
    port: fc.integer({ min: 1, max: 65535 }),
    hosts: fc.uniqueArray(hostName, { maxLength: 3 }),
    routes,
    auth,
    rateLimit: fc.record({
      enabled: fc.boolean(),
      second: fc.integer({ min: 0, max: 1000 }),
      minute: fc.integer({ min: 1, max: 100_000 }),
      hour: fc.integer({ min: 0, max: 1_000_000 }),
      limitBy: fc.constantFrom(
        'consumer' as const,
        'credential' as const,
        'ip' as const,
        'service' as const,
      ),
      policy: fc.constantFrom('local' as const, 'cluster' as const),
    }),
    requestHeaders: fc.uniqueArray(
      fc.record({
        name: fc.stringMatching(/^[a-z0-9]{1,20}$/).map(n => `x-h-${n}`),
        value: fc.stringMatching(/^[A-Za-z0-9 ._~/=+,@-]{0,30}$/),
      }),
      { selector: h => h.name, maxLength: 3 },
    ),
    tiers: fc
      .record({
        enabled: fc.boolean(),
        header: fc.stringMatching(/^[a-z0-9]{1,20}$/).map(n => `x-t-${n}`),
        premium: dnsLabel(20),
        standard: dnsLabel(20),
      })
      .filter(t => t.premium !== t.standard),
    callers: fc.uniqueArray(
      fc.tuple(dnsLabel(20), dnsLabel(20)).map(([ns, sa]) => `${ns}/${sa}`),
      { maxLength: 4 },
    ),
    resilience,
    observability: fc.record(
      {
        tracingSampling: fc.double({ min: 0, max: 1, noNaN: true }),
        otlpTracesEndpoint: url('http'),
        meshTracingProvider: dnsLabel(20),
        accessLogProvider: dnsLabel(20),
        scrapeIntervalSeconds: fc.integer({ min: 5, max: 300 }),
      },
      { requiredKeys: [] },
    ),
    slo: fc.record(
      {
        availability: fc.double({ min: 0.9, max: 0.99999, noNaN: true }),
        endToEndP95Ms: fc.integer({ min: 1, max: 60_000 }),
        gatewayP95Ms: fc.integer({ min: 1, max: 60_000 }),
      },
      { requiredKeys: [] },
    ),
    autoscaling: fc
      .record({
        minReplicas: fc.integer({ min: 1, max: 1000 }),
        maxReplicas: fc.integer({ min: 1, max: 1000 }),
        cpuUtilization: fc.integer({ min: 1, max: 100 }),
        requestsPerSecondPerPod: fc.integer({ min: 1, max: 1_000_000 }),
        requestsMetric: fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,30}$/),
      })
      .map(a => ({
        ...a,
        minReplicas: Math.min(a.minReplicas, a.maxReplicas),
      })),
    certificate,
    backup,
    kong: fc.record({
      mode: fc.constantFrom('deck' as const, 'kic' as const),
      ingressClass: dnsLabel(20),
    }),
    targetPath: fc.oneof(
      fc.constant('.'),
      fc
        .array(fc.stringMatching(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,12}$/), {
          minLength: 1,
          maxLength: 3,
        })
        .map(s => s.join('/')),
    ),
  },
  { requiredKeys: ['name', 'owner', 'auth'] },
);

/** String parameters of the spec, as [path, a valid value to build on]. */
export const STRING_PARAMETERS: [string, string][] = [
  ['name', 'svc'],
  ['namespace', 'team'],
  ['owner', 'group:default/team'],
  ['system', 'shop'],
  ['description', 'Orders API'],
  ['hosts.0', 'api.example.com'],
  ['routes.0.name', 'orders'],
  ['routes.0.path', '/api/v1/orders'],
  ['auth.issuer', 'https://auth.example.com'],
  ['auth.audiences.0', 'orders'],
  ['auth.jwksUri', 'https://auth.example.com/jwks'],
  ['auth.keyNames.0', 'apikey'],
  ['requestHeaders.0.name', 'x-team'],
  ['requestHeaders.0.value', 'orders'],
  ['tiers.header', 'x-tier'],
  ['tiers.premium', 'gold'],
  ['tiers.standard', 'basic'],
  ['callers.0', 'shop/frontend'],
  [
    'observability.otlpTracesEndpoint',
    'http://otel.example.com:4318/v1/traces',
  ],
  ['observability.meshTracingProvider', 'zipkin'],
  ['observability.accessLogProvider', 'envoy'],
  ['autoscaling.requestsMetric', 'istio_requests_per_second'],
  ['certificate.hosts.0', 'api.example.com'],
  ['certificate.issuerName', 'ca'],
  ['backup.schedule', '0 2 * * *'],
  ['backup.timeZone', 'Etc/UTC'],
  ['backup.kongAdminUrl', 'http://kong-admin:8001'],
  ['backup.deckImage', 'kong/deck:v1.45.0'],
  ['backup.uploaderImage', 'amazon/aws-cli:2.27.0'],
  ['backup.bucket', 'backups'],
  ['backup.prefix', 'team/svc'],
  ['backup.region', 'eu-west-1'],
  ['backup.roleArn', 'arn:aws:iam::123456789012:role/backup'],
  ['kong.ingressClass', 'kong'],
  ['targetPath', 'deploy'],
];

export const NUMBER_PARAMETERS = [
  'port',
  'rateLimit.minute',
  'rateLimit.second',
  'rateLimit.hour',
  'resilience.timeoutSeconds',
  'resilience.retries',
  'resilience.perTryTimeoutMs',
  'resilience.outlierDetection.consecutive5xxErrors',
  'resilience.outlierDetection.intervalSeconds',
  'resilience.outlierDetection.maxEjectionPercent',
  'resilience.connectionPool.maxConnections',
  'resilience.connectionPool.connectTimeoutSeconds',
  'resilience.connectionPool.http1MaxPendingRequests',
  'observability.tracingSampling',
  'observability.scrapeIntervalSeconds',
  'slo.availability',
  'slo.endToEndP95Ms',
  'slo.gatewayP95Ms',
  'autoscaling.minReplicas',
  'autoscaling.maxReplicas',
  'autoscaling.cpuUtilization',
  'autoscaling.requestsPerSecondPerPod',
  'certificate.durationDays',
  'certificate.rotationDays',
];

/** A spec with the value at `path` replaced (array indexes create one-element arrays). */
export function withValue(
  path: string,
  value: unknown,
): Record<string, unknown> {
  const base: Record<string, unknown> = {
    name: 'svc',
    owner: 'group:default/team',
    auth: { issuer: 'https://auth.example.com' },
  };
  const parts = path.split('.');
  let node: Record<string, unknown> | unknown[] = base;
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    const key = /^[0-9]+$/.test(part) ? Number(part) : part;
    const container = node as Record<string | number, unknown>;
    if (last) {
      container[key] = value;
      return;
    }
    const nextIsIndex = /^[0-9]+$/.test(parts[i + 1]);
    if (parts[0] === 'routes' && i === 1) {
      container[key] = { path: '/api/v1/x', ...(container[key] as object) };
    } else if (parts[0] === 'requestHeaders' && i === 1) {
      container[key] = {
        name: 'x-a',
        value: 'b',
        ...(container[key] as object),
      };
    } else if (container[key] === undefined) {
      container[key] = nextIsIndex ? [] : {};
    } else if (!nextIsIndex) {
      container[key] = { ...(container[key] as object) };
    }
    node = container[key] as Record<string, unknown>;
  });
  return base;
}

/** YAML, newline, template and shell injection payloads. */
export const HOSTILE_TEXT = fc.oneof(
  fc.constantFrom(
    '\nkind: Secret',
    'x\nmetadata:\n  name: evil',
    'x\r\ny: z',
    'a: b',
    '{a: b}',
    '[a, b]',
    '"quoted"',
    "'quoted'",
    '&anchor x',
    '*alias',
    '!!python/object:os.system',
    '${{ secrets.token }}',
    '{{ parameters.name }}',
    '# comment',
    '| block',
    '> folded',
    '$(id)',
    '`id`',
    '; rm -rf /',
    '\u0000',
    '\u2028',
  ),
  fc.string({ minLength: 1, maxLength: 8 }).map(s => `${s}\n${s}: ${s}`),
);
