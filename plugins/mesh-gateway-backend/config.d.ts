export interface Config {
  /** Configuration of the mesh-gateway plugins. */
  meshGateway?: {
    cache?: {
      /**
       * How long a section of an entity's mesh view is served from the cache, in seconds.
       * Default 30. 0 turns caching off.
       */
      ttlSeconds?: number;
      /**
       * After ttlSeconds and for this many seconds more, the cached section is still served while
       * it is refreshed in the background (stale-while-revalidate). Default 300.
       */
      staleSeconds?: number;
      /** How long a section that failed is kept, so a down upstream is not asked on every view. Default 5. */
      errorTtlSeconds?: number;
      /** Per-section overrides of the three times above. */
      sections?: {
        kong?: { ttlSeconds?: number; staleSeconds?: number; errorTtlSeconds?: number };
        istio?: { ttlSeconds?: number; staleSeconds?: number; errorTtlSeconds?: number };
        traces?: { ttlSeconds?: number; staleSeconds?: number; errorTtlSeconds?: number };
        metrics?: { ttlSeconds?: number; staleSeconds?: number; errorTtlSeconds?: number };
        certificates?: { ttlSeconds?: number; staleSeconds?: number; errorTtlSeconds?: number };
      };
    };
    /**
     * What every call to an upstream instance (a Kong Admin API, a cluster, a tracing or
     * Prometheus instance) goes through.
     */
    upstreams?: {
      /** Requests in flight to one instance at once (default 32). */
      concurrency?: number;
      /** Extra attempts of a failed read: connection errors, 429, 502, 503, 504 (default 2). */
      retries?: number;
      /** Base of the exponential backoff with full jitter, in ms (default 100). */
      retryBaseMs?: number;
      /** Consecutive failed calls that open the instance's circuit (default 5). */
      failureThreshold?: number;
      /** How long an open circuit fails fast before one probe call, in seconds (default 30). */
      openSeconds?: number;
    };
    kubernetes?: {
      /**
       * Timeout of each Kubernetes API call in milliseconds (default 5000). The clusters
       * themselves are those of the Kubernetes plugin (`kubernetes.clusterLocatorMethods`).
       */
      timeoutMs?: number;
    };
    istio?: {
      /** Istio's root namespace (meshConfig.rootNamespace), where mesh-wide policy lives. Default istio-system. */
      rootNamespace?: string;
    };
    certificates?: {
      /** Days left at or below which a certificate is a warning (default 30: the documents' 30-day lifecycle). */
      warningDays?: number;
      /** Days left at or below which it is critical (default 7); must be below warningDays. */
      criticalDays?: number;
      probe?: {
        /** Glob patterns of hosts the backend may TLS-handshake with (`*` one label, `**` several; `:port` or `:*` for ports other than 443). Empty: nothing is probed. */
        allowedHosts?: string[];
        /** Connect + handshake timeout in ms (default 5000). */
        timeoutMs?: number;
        /** How long a handshake is reused per host:port, in seconds (default 300). */
        cacheSeconds?: number;
        /** Handshakes at once (default 4). */
        concurrency?: number;
        /** Hosts probed per entity (default 20). */
        maxHostsPerEntity?: number;
        /** PEM bundle trusted besides the system roots; re-read when it changes. */
        caBundleFile?: string;
        /** Sends a host's handshake to another address (SNI and checks stay the host's). Config only. */
        connectTo?: Array<{ host: string; address: string; port?: number }>;
      };
    };
    prometheus?: {
      /** Window of the golden signals when the entity has no mesh-gateway.io/metrics-window: 1m to 7d (default 1h). */
      defaultWindow?: string;
      /** Recent window whose burn rate decides "error budget burning fast" (default 5m). */
      shortWindow?: string;
      /** Short-window burn rate at or above which the budget burns fast; 1 spends exactly the window's budget (default 2). */
      fastBurnRate?: number;
      /** Prometheus HTTP APIs; the first is the default for entities without mesh-gateway.io/prometheus-instance. */
      instances?: Array<{
        /** Name used in mesh-gateway.io/prometheus-instance; a lowercase DNS label. */
        name: string;
        /** Base URL of the HTTP API without /api/v1, e.g. http://prometheus.monitoring:9090 (path prefixes work). */
        url: string;
        /** Header carrying authToken (default Authorization). */
        authHeaderName?: string;
        /**
         * Value sent in authHeaderName, verbatim (e.g. "Bearer ...").
         * @visibility secret
         */
        authToken?: string;
        /** Timeout of each query in milliseconds (default 10000). */
        timeoutMs?: number;
        /** How often Prometheus scrapes Kong and the sidecars, in seconds (default 15); sets the series' rate interval. */
        scrapeIntervalSeconds?: number;
        /** Label matchers added to every query, e.g. { cluster: prod }. */
        labels?: { [name: string]: string };
      }>;
    };
    tracing?: {
      /** Jaeger query services; the first is the default for entities without mesh-gateway.io/tracing-instance. */
      instances?: Array<{
        /** Name used in mesh-gateway.io/tracing-instance; a lowercase DNS label. */
        name: string;
        /** `jaeger`: the v1 query API (/api/*); `jaeger-v3`: Jaeger v2's OTLP query API (/api/v3/*). */
        kind: 'jaeger' | 'jaeger-v3';
        /** Base URL of the query service, e.g. http://jaeger-query.observability:16686. */
        baseUrl: string;
        /** Jaeger UI base URL for deep links (/trace/{id}, /search); no links without it. */
        uiUrl?: string;
        /** Header carrying authToken (default Authorization). */
        authHeaderName?: string;
        /**
         * Value sent in authHeaderName, verbatim (e.g. "Bearer ...").
         * @visibility secret
         */
        authToken?: string;
        /** Timeout of each request in milliseconds (default 10000). */
        timeoutMs?: number;
        /** Most traces asked per search, 1 to 5000 (default 500). */
        maxTraces?: number;
      }>;
      /** Service names Kong reports in traces (default [kong]). */
      gatewayServiceNames?: string[];
      /** Instrumentation scope names of Kong's spans (default [kong-internal], Kong's opentelemetry plugin). */
      gatewayScopeNames?: string[];
      /** Service names of mesh sidecars whose spans carry no Envoy tags (default [istio-proxy]). */
      meshProxyServiceNames?: string[];
      /** Share of a service's traces that should enter through Kong, 0 to 1 (default 0.95). */
      minGatewayCoverage?: number;
    };
    kong?: {
      /**
       * The Kong Admin APIs the backend reads. The first one is the default instance for
       * annotation items that name no instance.
       */
      instances?: Array<{
        /** Name used in annotations (`instance/service`); a lowercase DNS label. */
        name: string;
        /** Base URL of the Admin API, e.g. http://kong-admin.kong:8001. */
        adminUrl: string;
        /** Kong Enterprise workspace; requests go to `/{workspace}/...`. */
        workspace?: string;
        /**
         * Header carrying the token: `Kong-Admin-Token` (Enterprise RBAC, the default) or, for an
         * OSS Admin API behind Kong's key-auth, `apikey`.
         */
        authHeaderName?: string;
        /**
         * The token or key sent in `authHeaderName`.
         * @visibility secret
         */
        authToken?: string;
        /** Timeout of each Admin API request in milliseconds (default 5000). */
        timeoutMs?: number;
        /** Kong Manager base URL, for deep links from the entity page. */
        managerUrl?: string;
        /** Page size asked of Kong, 1 to 1000 (default 1000). */
        pageSize?: number;
      }>;
    };
  };
}
