import {
  MESH_BASELINE,
  ServiceSpec,
} from '@internal/plugin-mesh-gateway-common';
import { Namespace } from 'kubernetes-models/v1';
import { allMethods, objectMeta, workloadSelector } from './common';
import { duration, yamlFile } from './serialize';
import {
  AuthorizationPolicy,
  DestinationRule,
  GeneratedFile,
  HttpRoute,
  PeerAuthentication,
  RequestAuthentication,
  Telemetry,
  VirtualService,
} from './types';

const istio = MESH_BASELINE.istio;

/** Retries Envoy makes on failures that are safe to retry. */
const RETRY_ON = 'gateway-error,connect-failure,refused-stream';

export function namespace(spec: ServiceSpec) {
  return new Namespace({
    metadata: {
      name: spec.namespace,
      labels: { 'istio-injection': 'enabled' },
    },
  }).toJSON();
}

export function peerAuthentication(spec: ServiceSpec): PeerAuthentication {
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'PeerAuthentication',
    metadata: objectMeta(spec, spec.name),
    spec: { selector: workloadSelector(spec), mtls: { mode: 'STRICT' } },
  };
}

/** Where the audience check of the documents lives: Kong's jwt plugin cannot verify `aud`. */
export function requestAuthentication(
  spec: ServiceSpec,
): RequestAuthentication | undefined {
  if (spec.auth.type !== 'jwt' || !spec.auth.issuer) {
    return undefined;
  }
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'RequestAuthentication',
    metadata: objectMeta(spec, spec.name),
    spec: {
      selector: workloadSelector(spec),
      jwtRules: [
        {
          issuer: spec.auth.issuer,
          audiences: [...spec.auth.audiences],
          ...(spec.auth.jwksUri ? { jwksUri: spec.auth.jwksUri } : {}),
          forwardOriginalToken: true,
        },
      ],
    },
  };
}

/**
 * One ALLOW rule with `from` and `to` together: rules are ORed, so a rule holding only `to`
 * would let any caller in.
 */
export function authorizationPolicy(spec: ServiceSpec): AuthorizationPolicy {
  const principals = [
    istio.gatewayPrincipal,
    ...spec.callers.map(caller => {
      const [ns, serviceAccount] = caller.split('/');
      return `cluster.local/ns/${ns}/sa/${serviceAccount}`;
    }),
  ];
  const paths = spec.routes.flatMap(route =>
    route.path === '/'
      ? ['/*']
      : [route.path, `${route.path.replace(/\/$/, '')}/*`],
  );
  return {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: objectMeta(spec, spec.name),
    spec: {
      selector: workloadSelector(spec),
      action: 'ALLOW',
      rules: [
        {
          from: [
            {
              source: {
                principals,
                ...(spec.auth.type === 'jwt' && spec.auth.issuer
                  ? { requestPrincipals: [`${spec.auth.issuer}/*`] }
                  : {}),
              },
            },
          ],
          to: [
            {
              operation: {
                methods: allMethods(spec),
                paths: [...new Set(paths)],
              },
            },
          ],
        },
      ],
    },
  };
}

export function virtualService(spec: ServiceSpec): VirtualService {
  const { timeoutSeconds, retries, perTryTimeoutMs } = spec.resilience;
  const destination = (subset?: string) => ({
    destination: {
      host: spec.clusterHost,
      ...(subset ? { subset } : {}),
      port: { number: spec.port },
    },
  });
  const policy = {
    timeout: duration(timeoutSeconds * 1000),
    // attempts: 0 disables retries; leaving retries out would give Istio's default of 2.
    retries:
      retries > 0
        ? {
            attempts: retries,
            perTryTimeout: duration(perTryTimeoutMs),
            retryOn: RETRY_ON,
          }
        : { attempts: 0 },
  };
  const http: HttpRoute[] = spec.tiers.enabled
    ? [
        {
          name: spec.tiers.premium,
          match: [
            { headers: { [spec.tiers.header]: { exact: spec.tiers.premium } } },
          ],
          route: [destination(spec.tiers.premium)],
          ...policy,
        },
        {
          name: spec.tiers.standard,
          route: [destination(spec.tiers.standard)],
          ...policy,
        },
      ]
    : [{ name: 'default', route: [destination()], ...policy }];
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: objectMeta(spec, spec.name),
    spec: { hosts: [spec.clusterHost], http },
  };
}

/** Outlier detection and connection pool: the real fields behind the documents' `circuitBreaker`. */
export function destinationRule(spec: ServiceSpec): DestinationRule {
  const pool = spec.resilience.connectionPool;
  const outlier = spec.resilience.outlierDetection;
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'DestinationRule',
    metadata: objectMeta(spec, spec.name),
    spec: {
      host: spec.clusterHost,
      trafficPolicy: {
        tls: { mode: 'ISTIO_MUTUAL' },
        connectionPool: {
          tcp: {
            maxConnections: pool.maxConnections,
            connectTimeout: duration(pool.connectTimeoutSeconds * 1000),
            tcpKeepalive: {
              time: duration(pool.tcpKeepaliveTimeSeconds * 1000),
              interval: duration(pool.tcpKeepaliveIntervalSeconds * 1000),
            },
          },
          http: {
            http1MaxPendingRequests: pool.http1MaxPendingRequests,
            http2MaxRequests: pool.http2MaxRequests,
            maxRequestsPerConnection: pool.maxRequestsPerConnection,
            maxRetries: pool.maxRetries,
            h2UpgradePolicy: pool.http2Upgrade ? 'UPGRADE' : 'DEFAULT',
          },
        },
        outlierDetection: {
          consecutive5xxErrors: outlier.consecutive5xxErrors,
          consecutiveGatewayErrors: outlier.consecutiveGatewayErrors,
          interval: duration(outlier.intervalSeconds * 1000),
          baseEjectionTime: duration(outlier.baseEjectionTimeSeconds * 1000),
          maxEjectionPercent: outlier.maxEjectionPercent,
        },
      },
      ...(spec.tiers.enabled
        ? {
            subsets: [spec.tiers.premium, spec.tiers.standard].map(tier => ({
              name: tier,
              labels: { tier },
            })),
          }
        : {}),
    },
  };
}

/** Tracing with the Kong request id as a span tag (custom tags exist only under tracing). */
export function telemetry(spec: ServiceSpec): Telemetry {
  const header = MESH_BASELINE.kong.correlationHeader;
  return {
    apiVersion: 'telemetry.istio.io/v1',
    kind: 'Telemetry',
    metadata: objectMeta(spec, spec.name),
    spec: {
      selector: workloadSelector(spec),
      tracing: [
        {
          providers: [{ name: spec.observability.meshTracingProvider }],
          randomSamplingPercentage:
            Math.round(spec.observability.tracingSampling * 1e6) / 1e4,
          customTags: {
            [header]: { header: { name: header, defaultValue: 'none' } },
          },
        },
      ],
      accessLogging: [
        { providers: [{ name: spec.observability.accessLogProvider }] },
      ],
    },
  };
}

export function istioFiles(spec: ServiceSpec): GeneratedFile[] {
  const requestAuth = requestAuthentication(spec);
  return [
    yamlFile('istio/namespace.yaml', [namespace(spec)]),
    yamlFile('istio/peer-authentication.yaml', [peerAuthentication(spec)]),
    ...(requestAuth
      ? [yamlFile('istio/request-authentication.yaml', [requestAuth])]
      : []),
    yamlFile('istio/authorization-policy.yaml', [authorizationPolicy(spec)]),
    yamlFile('istio/virtual-service.yaml', [virtualService(spec)]),
    yamlFile('istio/destination-rule.yaml', [destinationRule(spec)]),
    yamlFile('istio/telemetry.yaml', [telemetry(spec)]),
  ];
}
