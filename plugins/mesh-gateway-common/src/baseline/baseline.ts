/**
 * The architecture documents' requirements as data (DESIGN.md, "What the documents require").
 * The generator writes configuration that meets these values; the analysis reports live
 * objects that do not. Where the documents' own YAML is invalid, the valid equivalent is kept.
 *
 * @public
 */
export const MESH_BASELINE = {
  kong: {
    /** Kong's jwt plugin accepts only `exp` and `nbf` in claims_to_verify. */
    jwtClaimsToVerify: ['exp', 'nbf'],
    jwtKeyClaimName: 'iss',
    jwtHeaderNames: ['authorization'],
    requestSourceHeader: 'x-request-source',
    requestSourceValue: 'kong-gateway',
    correlationHeader: 'x-kong-request-id',
    routePathPrefix: '/api/v1/',
    routeMethods: ['GET', 'POST'],
    stripPath: false,
    upstreamPort: 8080,
    retries: 3,
    timeoutMs: 30_000,
    tracingPlugins: ['opentelemetry', 'zipkin'],
  },
  istio: {
    rootNamespace: 'istio-system',
    mtlsMode: 'STRICT',
    gatewayPrincipal: 'cluster.local/ns/kong/sa/kong',
    routeTimeoutSeconds: 30,
    retryAttempts: 3,
    tierHeader: 'x-user-tier',
    premiumTier: 'premium',
    standardTier: 'standard',
    outlierDetection: {
      consecutive5xxErrors: 5,
      consecutiveGatewayErrors: 5,
      intervalSeconds: 30,
      baseEjectionTimeSeconds: 30,
      maxEjectionPercent: 50,
    },
    connectionPool: {
      tcpMaxConnections: 100,
      tcpConnectTimeoutSeconds: 30,
      tcpKeepaliveTimeSeconds: 7200,
      tcpKeepaliveIntervalSeconds: 75,
      http1MaxPendingRequests: 50,
      http2MaxRequests: 100,
      maxRequestsPerConnection: 10,
      maxRetries: 3,
      /** Upgrade HTTP/1.1 connections to HTTP/2 between sidecars (`h2UpgradePolicy: UPGRADE`). */
      http2Upgrade: true,
    },
  },
  observability: { tracingSampling: 0.1 },
  slo: {
    endToEndP95Ms: 100,
    gatewayP95Ms: 50,
    availability: 0.9995,
  },
  autoscaling: {
    minReplicas: 3,
    maxReplicas: 20,
    cpuUtilization: 70,
    requestsPerSecondPerPod: 1000,
  },
  certificates: {
    rotationDays: 30,
    warningDays: 30,
    criticalDays: 7,
    /**
     * Lifetime of an issued certificate. With renewal `rotationDays` after issuance, a healthy
     * certificate always has more than `warningDays` left.
     */
    durationDays: 90,
  },
  backup: { schedule: '0 2 * * *' },
} as const;
