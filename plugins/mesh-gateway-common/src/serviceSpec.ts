import { z } from 'zod';
import { MESH_BASELINE } from './baseline/baseline';

/**
 * The service spec of the "New API behind Kong + Istio" template: what a developer fills in,
 * and what the scaffolder action `mesh-gateway:generate` turns into configuration. Every string
 * is restricted to the characters its target allows, so nothing a user types can break out of
 * the YAML, the shell command of the backup job or a path.
 */

/** Patterns and limits of the service spec, shared with the action's JSON schema. @public */
export const SERVICE_SPEC_PATTERNS = {
  /** RFC 1123 label: Kubernetes names of Services, namespaces, label values. */
  dnsLabel: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  /** RFC 1123 subdomain: host names. */
  dnsSubdomain:
    '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
  /** A catalog entity reference such as `group:default/platform` or `platform`. */
  entityRef:
    '^([a-zA-Z][a-zA-Z0-9]*:)?([a-z0-9]([-a-z0-9]*[a-z0-9])?\\/)?[a-zA-Z0-9]([-_.]?[a-zA-Z0-9])*$',
  /** One line of plain prose: no YAML indicators, quotes, braces or control characters. */
  text: '^[A-Za-z0-9][A-Za-z0-9 .,()/+_-]*$',
  /** A route path: absolute, plain segments, no `..`, no doubled slash (checked separately). */
  routePath: '^/([A-Za-z0-9._~-]+/?)*$',
  /** An HTTP header name (RFC 9110 token, letters, digits and `-`). */
  headerName: '^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$',
  /** A header name as Istio matches it: lowercase. */
  lowercaseHeaderName: '^[a-z0-9]([a-z0-9-]*[a-z0-9])?$',
  /** A header value the request-transformer can carry: no `:`, `;`, quotes or control characters. */
  headerValue: '^[A-Za-z0-9 ._~/=+,@-]*$',
  /** `https://host[:port][/path]` with no user info, query or fragment. */
  httpsUrl: '^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%/-]*)?$',
  httpUrl: '^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%/-]*)?$',
  /** A JWT audience: a name or URL without whitespace, quotes or YAML indicators. */
  audience: '^[A-Za-z0-9][A-Za-z0-9._~:/-]*$',
  /** `namespace/serviceaccount` of a caller in the mesh. */
  caller: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?/[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  /** Five cron fields of digits, `*`, `/`, `,` and `-`. */
  cron: '^[0-9*/,-]+ [0-9*/,-]+ [0-9*/,-]+ [0-9*/,-]+ [0-9*/,-]+$',
  timeZone: '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$',
  /** A container image reference `[registry/]repository[:tag][@sha256:digest]`. */
  image:
    '^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]{1,5})?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$',
  s3Bucket: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
  objectPrefix:
    '^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$',
  awsRegion: '^[a-z]{2}(-[a-z]+)+-[0-9]$',
  iamRoleArn: '^arn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$',
  /** A relative path inside the workspace: plain segments, no `..`, not absolute. */
  targetPath:
    '^(\\.|[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*)$',
} as const;

/** HTTP methods a Kong route and an Istio AuthorizationPolicy both accept. @public */
export const HTTP_METHODS = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
] as const;

/** @public */
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Headers the gateway sets itself; a user header may not replace them. */
const RESERVED_HEADERS = [
  MESH_BASELINE.kong.requestSourceHeader,
  MESH_BASELINE.kong.correlationHeader,
  MESH_BASELINE.istio.tierHeader,
  'host',
  'authorization',
  'connection',
  'content-length',
  'transfer-encoding',
];

const p = SERVICE_SPEC_PATTERNS;
const re = (pattern: string) => new RegExp(pattern);

const dnsLabel = (what: string) =>
  z
    .string()
    .min(1)
    .max(63)
    .regex(
      re(p.dnsLabel),
      `${what} must be a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit`,
    );

const dnsSubdomain = z
  .string()
  .min(1)
  .max(253)
  .regex(
    re(p.dnsSubdomain),
    'must be a DNS-1123 host name: lowercase labels of letters, digits and "-", separated by "."',
  );

const text = (max: number) =>
  z
    .string()
    .max(max)
    .regex(
      re(p.text),
      'must be one line of letters, digits, spaces and . , ( ) / + _ - (no quotes, YAML or shell syntax)',
    );

/** An optional string a form may leave empty: `''` counts as absent. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.union([z.literal(''), schema]).optional();

const int = (min: number, max: number) => z.number().int().min(min).max(max);

/** A URL matching `pattern` that also parses, with a port in range. */
const url = (pattern: string, message: string) =>
  z
    .string()
    .max(255)
    .regex(re(pattern), message)
    .refine(value => {
      try {
        const parsed = new URL(value);
        return parsed.hostname
          .split('.')
          .every(label =>
            /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/.test(label),
          );
      } catch {
        return false;
      }
    }, 'must be a URL with a valid host name and port');

const CRON_FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
];

/** Why a five-field cron schedule is invalid, or undefined. */
function cronProblem(schedule: string): string | undefined {
  const fields = schedule.split(' ');
  // The pattern check runs beside this one: a value it refuses still reaches here.
  if (fields.length !== CRON_FIELDS.length) {
    return `has ${fields.length} fields separated by single spaces, not ${CRON_FIELDS.length}`;
  }
  for (const [i, field] of fields.entries()) {
    const { name, min, max } = CRON_FIELDS[i];
    for (const part of field.split(',')) {
      const match = /^(\*|([0-9]+)(-([0-9]+))?)(\/([0-9]+))?$/.exec(part);
      if (!match) {
        return `${name} "${part}" is not *, a number, a range or a step`;
      }
      const numbers = [match[2], match[4]].filter(Boolean).map(Number);
      if (numbers.some(n => n < min || n > max)) {
        return `${name} "${part}" is outside ${min}-${max}`;
      }
      if (numbers.length === 2 && numbers[0] > numbers[1]) {
        return `${name} range "${part}" runs backwards`;
      }
      if (match[6] !== undefined && Number(match[6]) === 0) {
        return `${name} step "${part}" is 0`;
      }
    }
  }
  return undefined;
}

function isTimeZone(zone: string): boolean {
  try {
    return (
      new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions()
        .timeZone !== undefined
    );
  } catch {
    return false;
  }
}

/** Seconds, as whole numbers. */
const seconds = (min: number, max: number) => int(min, max);

const b = MESH_BASELINE;

const routeSchema = z.strictObject({
  name: optional(dnsLabel('route name')).describe(
    'Route name suffix (DNS-1123 label); the Kong route is named <service>-<name>. Defaults to the index.',
  ),
  path: z
    .string()
    .min(1)
    .max(255)
    .regex(
      re(p.routePath),
      'must be an absolute path of letters, digits and . _ ~ - segments',
    )
    .describe('Path prefix Kong matches, e.g. /api/v1/orders'),
  methods: z
    .array(z.enum(HTTP_METHODS))
    .min(1)
    .max(HTTP_METHODS.length)
    .default([...b.kong.routeMethods])
    .describe('HTTP methods of the route'),
});

const headerSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(64)
    .regex(
      re(p.headerName),
      'must be an HTTP header name (letters, digits and "-")',
    )
    .describe('Header name'),
  value: z
    .string()
    .max(256)
    .regex(
      re(p.headerValue),
      'must be letters, digits, spaces and . _ ~ / = + , @ - (no ":", ";" or quotes)',
    )
    .describe('Header value'),
});

/**
 * The fields of the service spec as the form and the action's input carry them, with their
 * defaults. Cross-field rules and derived defaults are applied by {@link serviceSpecSchema}.
 *
 * @public
 */
export const serviceSpecInputSchema = z.strictObject({
  name: dnsLabel('name').describe(
    'Service name (DNS-1123 label): the Kubernetes Service, the Kong service and the catalog Component',
  ),
  owner: z
    .string()
    .min(1)
    .max(255)
    .regex(
      re(p.entityRef),
      'must be a catalog entity reference such as group:default/team-a',
    )
    .describe('Owner of the Component and the API (entity reference)'),
  system: optional(
    z
      .string()
      .max(255)
      .regex(
        re(p.entityRef),
        'must be a catalog entity name or reference such as system:default/shop',
      ),
  ).describe('System the service belongs to (entity name or reference)'),
  description: optional(text(256)).describe(
    'One-line description of the service',
  ),
  lifecycle: z
    .enum(['experimental', 'production', 'deprecated'])
    .default('production')
    .describe('Catalog lifecycle'),
  namespace: optional(dnsLabel('namespace')).describe(
    'Kubernetes namespace of the service; defaults to the name',
  ),
  port: int(1, 65535)
    .default(b.kong.upstreamPort)
    .describe('Port of the Kubernetes Service'),
  hosts: z
    .array(dnsSubdomain)
    .max(10)
    .default([])
    .describe('Public host names Kong serves the API on (empty: any host)'),
  routes: z
    .array(routeSchema)
    .max(20)
    .default([])
    .describe(
      `Routes at Kong; empty gives ${b.kong.routePathPrefix}<name> for GET and POST`,
    ),
  auth: z
    .strictObject({
      type: z
        .enum(['jwt', 'key-auth', 'none'])
        .default('jwt')
        .describe(
          'jwt (Kong jwt plugin + Istio RequestAuthentication), key-auth, or none',
        ),
      issuer: optional(
        url(p.httpsUrl, 'must be an https URL without query or fragment'),
      ).describe('JWT issuer (iss); required for jwt'),
      audiences: z
        .array(
          z
            .string()
            .max(255)
            .regex(
              re(p.audience),
              'must be a name or URL without spaces, quotes or YAML syntax',
            ),
        )
        .max(10)
        .default([])
        .describe(
          'Accepted JWT audiences, checked by Istio; empty gives [<name>]',
        ),
      jwksUri: optional(
        url(p.httpsUrl, 'must be an https URL without query or fragment'),
      ).describe("JWKS URL; empty uses the issuer's OpenID discovery"),
      keyNames: z
        .array(
          z
            .string()
            .min(1)
            .max(64)
            .regex(
              re(p.headerName),
              'must be an HTTP header name (letters, digits and "-")',
            ),
        )
        .min(1)
        .max(5)
        .default(['apikey'])
        .describe('Header names key-auth reads the key from'),
    })
    .prefault({})
    .describe('Authentication at the gateway'),
  rateLimit: z
    .strictObject({
      enabled: z
        .boolean()
        .default(false)
        .describe('Add the rate-limiting plugin'),
      second: int(0, 1_000_000)
        .default(0)
        .describe('Requests per second (0: no limit)'),
      minute: int(0, 100_000_000)
        .default(600)
        .describe('Requests per minute (0: no limit)'),
      hour: int(0, 1_000_000_000)
        .default(0)
        .describe('Requests per hour (0: no limit)'),
      limitBy: z
        .enum(['consumer', 'credential', 'ip', 'service'])
        .default('consumer')
        .describe('What a limit counts'),
      policy: z
        .enum(['local', 'cluster'])
        .default('local')
        .describe(
          "local: per Kong node; cluster: shared through Kong's database",
        ),
    })
    .prefault({})
    .describe('Rate limits at the gateway'),
  requestHeaders: z
    .array(headerSchema)
    .max(10)
    .default([])
    .describe(
      `Headers Kong adds to each request, besides ${b.kong.requestSourceHeader}`,
    ),
  tiers: z
    .strictObject({
      enabled: z
        .boolean()
        .default(true)
        .describe('Route by tier header to the premium and standard subsets'),
      header: z
        .string()
        .min(1)
        .max(64)
        .regex(
          re(p.lowercaseHeaderName),
          'must be a lowercase HTTP header name (Istio matches header names in lowercase)',
        )
        .default(b.istio.tierHeader)
        .describe('Header carrying the tier'),
      premium: dnsLabel('premium tier')
        .default(b.istio.premiumTier)
        .describe('Premium tier value and subset'),
      standard: dnsLabel('standard tier')
        .default(b.istio.standardTier)
        .describe('Default subset for every other request'),
    })
    .prefault({})
    .describe('Tier routing in the mesh'),
  callers: z
    .array(
      z
        .string()
        .max(127)
        .regex(
          re(p.caller),
          'must be namespace/serviceaccount, both DNS-1123 labels',
        ),
    )
    .max(20)
    .default([])
    .describe(
      `Workloads besides Kong (${b.istio.gatewayPrincipal}) allowed to call the service`,
    ),
  resilience: z
    .strictObject({
      timeoutSeconds: seconds(1, 600)
        .default(b.istio.routeTimeoutSeconds)
        .describe('Kong upstream timeouts and the Istio route timeout'),
      retries: int(0, 10)
        .default(b.istio.retryAttempts)
        .describe('Kong retries and Istio retry attempts'),
      perTryTimeoutMs: int(0, 600_000)
        .default(0)
        .describe(
          'Istio per-try timeout in ms; 0 derives timeout / (retries + 1)',
        ),
      outlierDetection: z
        .strictObject({
          consecutive5xxErrors: int(1, 1000).default(
            b.istio.outlierDetection.consecutive5xxErrors,
          ),
          consecutiveGatewayErrors: int(1, 1000).default(
            b.istio.outlierDetection.consecutiveGatewayErrors,
          ),
          intervalSeconds: seconds(1, 3600).default(
            b.istio.outlierDetection.intervalSeconds,
          ),
          baseEjectionTimeSeconds: seconds(1, 3600).default(
            b.istio.outlierDetection.baseEjectionTimeSeconds,
          ),
          maxEjectionPercent: int(1, 100).default(
            b.istio.outlierDetection.maxEjectionPercent,
          ),
        })
        .prefault({})
        .describe('DestinationRule outlier detection'),
      connectionPool: z
        .strictObject({
          maxConnections: int(1, 100_000).default(
            b.istio.connectionPool.tcpMaxConnections,
          ),
          connectTimeoutSeconds: seconds(1, 600).default(
            b.istio.connectionPool.tcpConnectTimeoutSeconds,
          ),
          tcpKeepaliveTimeSeconds: seconds(1, 86_400).default(
            b.istio.connectionPool.tcpKeepaliveTimeSeconds,
          ),
          tcpKeepaliveIntervalSeconds: seconds(1, 86_400).default(
            b.istio.connectionPool.tcpKeepaliveIntervalSeconds,
          ),
          http1MaxPendingRequests: int(1, 100_000).default(
            b.istio.connectionPool.http1MaxPendingRequests,
          ),
          http2MaxRequests: int(1, 100_000).default(
            b.istio.connectionPool.http2MaxRequests,
          ),
          maxRequestsPerConnection: int(0, 100_000).default(
            b.istio.connectionPool.maxRequestsPerConnection,
          ),
          maxRetries: int(0, 1000).default(b.istio.connectionPool.maxRetries),
          http2Upgrade: z
            .boolean()
            .default(b.istio.connectionPool.http2Upgrade),
        })
        .prefault({})
        .describe('DestinationRule connection pool'),
    })
    .prefault({})
    .describe('Timeouts, retries and circuit breaking'),
  observability: z
    .strictObject({
      tracingSampling: z
        .number()
        .min(0)
        .max(1)
        .default(b.observability.tracingSampling)
        .describe('Share of requests traced (0..1), at Kong and in the mesh'),
      otlpTracesEndpoint: url(
        p.httpUrl,
        'must be an http(s) URL without query or fragment',
      )
        .default(
          'http://jaeger-collector.istio-system.svc.cluster.local:4318/v1/traces',
        )
        .describe('OTLP/HTTP traces endpoint Kong sends spans to'),
      meshTracingProvider: dnsLabel('tracing provider')
        .default('zipkin')
        .describe(
          'Name of the meshConfig extension provider Istio traces with (B3 propagation)',
        ),
      accessLogProvider: dnsLabel('access log provider')
        .default('envoy')
        .describe('Name of the meshConfig access log provider'),
      scrapeIntervalSeconds: seconds(5, 300)
        .default(30)
        .describe('Prometheus scrape interval'),
    })
    .prefault({})
    .describe('Tracing, access logs and metrics'),
  slo: z
    .strictObject({
      availability: z
        .number()
        .min(0.9)
        .max(0.99999)
        .default(b.slo.availability)
        .describe('Availability objective (ratio of non-5xx responses)'),
      endToEndP95Ms: int(1, 60_000)
        .default(b.slo.endToEndP95Ms)
        .describe('End-to-end P95 latency at Kong'),
      gatewayP95Ms: int(1, 60_000)
        .default(b.slo.gatewayP95Ms)
        .describe('Latency Kong itself adds, P95'),
    })
    .prefault({})
    .describe('Service level objectives'),
  autoscaling: z
    .strictObject({
      minReplicas: int(1, 1000).default(b.autoscaling.minReplicas),
      maxReplicas: int(1, 1000).default(b.autoscaling.maxReplicas),
      cpuUtilization: int(1, 100)
        .default(b.autoscaling.cpuUtilization)
        .describe('Target CPU utilisation %'),
      requestsPerSecondPerPod: int(1, 1_000_000)
        .default(b.autoscaling.requestsPerSecondPerPod)
        .describe('Target requests per second per pod'),
      requestsMetric: z
        .string()
        .min(1)
        .max(128)
        .regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'must be a Prometheus metric name')
        .default('istio_requests_per_second')
        .describe(
          'Pods metric served by the custom metrics API (e.g. prometheus-adapter)',
        ),
    })
    .prefault({})
    .describe('HorizontalPodAutoscaler'),
  certificate: z
    .strictObject({
      hosts: z
        .array(dnsSubdomain)
        .max(20)
        .default([])
        .describe(
          'DNS names; empty uses the public hosts, else the in-cluster name',
        ),
      issuerKind: z.enum(['ClusterIssuer', 'Issuer']).default('ClusterIssuer'),
      issuerName: dnsLabel('issuer name')
        .default('mesh-root-ca')
        .describe(
          'cert-manager issuer chained to the root CA Kong and Istio share',
        ),
      durationDays: int(2, 3650).default(b.certificates.durationDays),
      rotationDays: int(1, 3650)
        .default(b.certificates.rotationDays)
        .describe('Renew this many days after issuance'),
    })
    .prefault({})
    .describe('cert-manager Certificate'),
  backup: z
    .strictObject({
      enabled: z
        .boolean()
        .default(true)
        .describe('Dump the Kong configuration on a schedule'),
      schedule: z
        .string()
        .max(100)
        .regex(re(p.cron), 'must be five cron fields of digits, *, /, , and -')
        .refine(schedule => !cronProblem(schedule), {
          error: issue =>
            cronProblem(String(issue.input)) ?? 'is not a valid schedule',
        })
        .default(b.backup.schedule),
      timeZone: z
        .string()
        .max(64)
        .regex(re(p.timeZone), 'must be an IANA time zone such as Etc/UTC')
        .refine(isTimeZone, 'is not a time zone known to the IANA database')
        .default('Etc/UTC'),
      kongAdminUrl: url(
        p.httpUrl,
        'must be an http(s) URL without query or fragment',
      )
        .default('http://kong-admin.kong.svc.cluster.local:8001')
        .describe('Kong Admin API the backup reads (in-cluster)'),
      deckImage: z
        .string()
        .max(255)
        .regex(re(p.image), 'must be a container image reference')
        .default('kong/deck:v1.45.0'),
      uploaderImage: z
        .string()
        .max(255)
        .regex(re(p.image), 'must be a container image reference')
        .default('amazon/aws-cli:2.27.0'),
      bucket: z
        .string()
        .regex(re(p.s3Bucket), 'must be an S3 bucket name')
        .default('kong-config-backups')
        .describe('S3 bucket, kept off the cluster'),
      prefix: optional(
        z
          .string()
          .max(512)
          .regex(
            re(p.objectPrefix),
            'must be path segments of letters, digits and . _ -, none starting with "."',
          ),
      ).describe('Object key prefix; defaults to <namespace>/<name>'),
      region: optional(
        z
          .string()
          .regex(re(p.awsRegion), 'must be an AWS region such as eu-west-1'),
      ),
      roleArn: optional(
        z.string().regex(re(p.iamRoleArn), 'must be an IAM role ARN'),
      ).describe('IAM role for the backup ServiceAccount (IRSA)'),
    })
    .prefault({})
    .describe('Kong configuration backup'),
  kong: z
    .strictObject({
      mode: z
        .enum(['deck', 'kic'])
        .default('deck')
        .describe(
          'deck: a decK state file; kic: Kong Ingress Controller resources',
        ),
      ingressClass: dnsLabel('ingress class').default('kong'),
    })
    .prefault({})
    .describe('How the Kong configuration is delivered'),
  targetPath: z
    .string()
    .max(255)
    .regex(
      re(p.targetPath),
      'must be a relative path inside the workspace (no "..", not absolute)',
    )
    .refine(path => !path.split('/').includes('..'), 'must not contain ".."')
    .default('.')
    .describe('Folder of the workspace to write into'),
});

/** What a form or an action input may carry. @public */
export type ServiceSpecInput = z.input<typeof serviceSpecInputSchema>;

type RawSpec = z.output<typeof serviceSpecInputSchema>;

/**
 * Longest Istio per-try timeout that lets every attempt finish inside the route timeout:
 * `(retries + 1) * perTry <= timeout`, rounded down to whole milliseconds.
 *
 * @public
 */
export function derivePerTryTimeoutMs(
  timeoutSeconds: number,
  retries: number,
): number {
  return Math.floor((timeoutSeconds * 1000) / (retries + 1));
}

function checkCrossFieldRules(spec: RawSpec, ctx: z.RefinementCtx) {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });

  if (spec.auth.type === 'jwt' && !spec.auth.issuer) {
    issue(['auth', 'issuer'], 'is required when auth.type is jwt');
  }
  spec.hosts.forEach((host, i) => {
    if (host.split('.').some(label => label.length > 63)) {
      issue(['hosts', i], 'has a label longer than 63 characters');
    }
  });
  spec.certificate.hosts.forEach((host, i) => {
    if (host.split('.').some(label => label.length > 63)) {
      issue(
        ['certificate', 'hosts', i],
        'has a label longer than 63 characters',
      );
    }
  });
  spec.routes.forEach((route, i) => {
    if (
      route.path.includes('//') ||
      route.path.split('/').some(s => s === '..' || s === '.')
    ) {
      issue(
        ['routes', i, 'path'],
        'must not contain "//", "." or ".." segments',
      );
    }
    if (new Set(route.methods).size !== route.methods.length) {
      issue(['routes', i, 'methods'], 'lists a method twice');
    }
  });
  const routeNames = spec.routes.map((r, i) => r.name || String(i));
  if (new Set(routeNames).size !== routeNames.length) {
    issue(['routes'], 'route names must be unique');
  }
  const routePaths = spec.routes.map(r => r.path);
  if (new Set(routePaths).size !== routePaths.length) {
    issue(['routes'], 'route paths must be unique');
  }
  spec.requestHeaders.forEach((header, i) => {
    if (
      RESERVED_HEADERS.includes(header.name.toLowerCase()) ||
      header.name.toLowerCase() === spec.tiers.header
    ) {
      issue(
        ['requestHeaders', i, 'name'],
        `"${header.name}" is set by the gateway or the mesh itself`,
      );
    }
  });
  if (spec.tiers.premium === spec.tiers.standard) {
    issue(['tiers', 'premium'], 'must differ from tiers.standard');
  }
  const { timeoutSeconds, retries, perTryTimeoutMs } = spec.resilience;
  if (
    perTryTimeoutMs > 0 &&
    (retries + 1) * perTryTimeoutMs > timeoutSeconds * 1000
  ) {
    issue(
      ['resilience', 'perTryTimeoutMs'],
      `(retries + 1) x perTryTimeoutMs = ${(retries + 1) * perTryTimeoutMs} ms overruns the ${timeoutSeconds} s timeout; use at most ${derivePerTryTimeoutMs(timeoutSeconds, retries)}`,
    );
  }
  if (spec.autoscaling.minReplicas > spec.autoscaling.maxReplicas) {
    issue(
      ['autoscaling', 'minReplicas'],
      'must not exceed autoscaling.maxReplicas',
    );
  }
  if (spec.certificate.rotationDays >= spec.certificate.durationDays) {
    issue(
      ['certificate', 'rotationDays'],
      'must be shorter than certificate.durationDays',
    );
  }
  if (
    spec.rateLimit.enabled &&
    !spec.rateLimit.second &&
    !spec.rateLimit.minute &&
    !spec.rateLimit.hour
  ) {
    issue(['rateLimit'], 'enabled, but second, minute and hour are all 0');
  }
  if (new Set(spec.callers).size !== spec.callers.length) {
    issue(['callers'], 'lists a caller twice');
  }
}

const present = <T>(value: T | '' | undefined): T | undefined =>
  value === '' ? undefined : value;

function resolve(spec: RawSpec) {
  const namespace = present(spec.namespace) ?? spec.name;
  const clusterHost = `${spec.name}.${namespace}.svc.cluster.local`;
  const routes =
    spec.routes.length > 0
      ? spec.routes.map((route, i) => ({
          name: present(route.name) ?? String(i),
          path: route.path,
          methods: route.methods,
        }))
      : [
          {
            name: 'api',
            path: `${b.kong.routePathPrefix}${spec.name}`,
            methods: [...b.kong.routeMethods] as HttpMethod[],
          },
        ];
  const { perTryTimeoutMs, timeoutSeconds, retries } = spec.resilience;
  return {
    ...spec,
    system: present(spec.system),
    description: present(spec.description) ?? `${spec.name} API`,
    namespace,
    clusterHost,
    routes,
    auth: {
      type: spec.auth.type,
      issuer: present(spec.auth.issuer),
      audiences:
        spec.auth.audiences.length > 0 ? spec.auth.audiences : [spec.name],
      jwksUri: present(spec.auth.jwksUri),
      keyNames: spec.auth.keyNames,
    },
    resilience: {
      ...spec.resilience,
      perTryTimeoutMs:
        perTryTimeoutMs > 0
          ? perTryTimeoutMs
          : derivePerTryTimeoutMs(timeoutSeconds, retries),
    },
    certificate: {
      ...spec.certificate,
      hosts: [spec.certificate.hosts, spec.hosts, [clusterHost]].find(
        hosts => hosts.length > 0,
      )!,
    },
    backup: {
      ...spec.backup,
      prefix: present(spec.backup.prefix) ?? `${namespace}/${spec.name}`,
      region: present(spec.backup.region),
      roleArn: present(spec.backup.roleArn),
    },
  };
}

/**
 * The service spec: parses an input, applies the cross-field rules, and resolves every default
 * (the baseline's values and those derived from the name).
 *
 * @public
 */
export const serviceSpecSchema = serviceSpecInputSchema
  .superRefine(checkCrossFieldRules)
  .transform(resolve);

/** A validated service spec with every default applied. @public */
export type ServiceSpec = z.output<typeof serviceSpecSchema>;

/** One reason a service spec was rejected, with the parameter it is about. @public */
export interface ServiceSpecIssue {
  /** Dotted path of the parameter, e.g. `routes.0.methods.1`; empty for the whole spec. */
  parameter: string;
  message: string;
}

/**
 * Validates a service spec. Never throws: returns the spec, or every issue with the parameter
 * it names.
 *
 * @public
 */
export function parseServiceSpec(
  input: unknown,
):
  | { success: true; spec: ServiceSpec }
  | { success: false; issues: ServiceSpecIssue[] } {
  const result = serviceSpecSchema.safeParse(input);
  if (result.success) {
    return { success: true, spec: result.data };
  }
  return {
    success: false,
    issues: result.error.issues.flatMap(issue => {
      const path = issue.path.map(String);
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map(key => ({
          parameter: [...path, key].join('.'),
          message: 'is not a parameter of the service spec',
        }));
      }
      return [{ parameter: path.join('.'), message: issue.message }];
    }),
  };
}
