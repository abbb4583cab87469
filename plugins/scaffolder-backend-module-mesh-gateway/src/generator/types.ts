/**
 * Typed shapes of the custom resources the generator writes, limited to the fields it sets.
 * Field names follow the upstream CRD schemas in ../../contracts; the validator checks every
 * generated object against those schemas, so a wrong name here fails the tests.
 */

/** Metadata as the generator writes it. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

export interface WorkloadSelector {
  matchLabels: Record<string, string>;
}

// networking.istio.io/v1

export interface HttpRetry {
  attempts: number;
  perTryTimeout?: string;
  retryOn?: string;
}

export interface HttpRoute {
  name: string;
  match?: { headers: Record<string, { exact: string }> }[];
  route: {
    destination: { host: string; subset?: string; port: { number: number } };
  }[];
  timeout: string;
  retries: HttpRetry;
}

export interface VirtualService extends KubernetesObject {
  apiVersion: 'networking.istio.io/v1';
  kind: 'VirtualService';
  spec: { hosts: string[]; http: HttpRoute[] };
}

export interface TrafficPolicy {
  tls: { mode: 'ISTIO_MUTUAL' };
  connectionPool: {
    tcp: {
      maxConnections: number;
      connectTimeout: string;
      tcpKeepalive: { time: string; interval: string };
    };
    http: {
      http1MaxPendingRequests: number;
      http2MaxRequests: number;
      maxRequestsPerConnection: number;
      maxRetries: number;
      h2UpgradePolicy: 'UPGRADE' | 'DEFAULT';
    };
  };
  outlierDetection: {
    consecutive5xxErrors: number;
    consecutiveGatewayErrors: number;
    interval: string;
    baseEjectionTime: string;
    maxEjectionPercent: number;
  };
}

export interface DestinationRule extends KubernetesObject {
  apiVersion: 'networking.istio.io/v1';
  kind: 'DestinationRule';
  spec: {
    host: string;
    trafficPolicy: TrafficPolicy;
    subsets?: { name: string; labels: Record<string, string> }[];
  };
}

// security.istio.io/v1

export interface PeerAuthentication extends KubernetesObject {
  apiVersion: 'security.istio.io/v1';
  kind: 'PeerAuthentication';
  spec: { selector: WorkloadSelector; mtls: { mode: 'STRICT' } };
}

export interface RequestAuthentication extends KubernetesObject {
  apiVersion: 'security.istio.io/v1';
  kind: 'RequestAuthentication';
  spec: {
    selector: WorkloadSelector;
    jwtRules: {
      issuer: string;
      audiences: string[];
      jwksUri?: string;
      forwardOriginalToken: boolean;
    }[];
  };
}

export interface AuthorizationRule {
  from: { source: { principals: string[]; requestPrincipals?: string[] } }[];
  to: { operation: { methods: string[]; paths: string[] } }[];
}

export interface AuthorizationPolicy extends KubernetesObject {
  apiVersion: 'security.istio.io/v1';
  kind: 'AuthorizationPolicy';
  spec: {
    selector: WorkloadSelector;
    action: 'ALLOW';
    rules: AuthorizationRule[];
  };
}

// telemetry.istio.io/v1

export interface Telemetry extends KubernetesObject {
  apiVersion: 'telemetry.istio.io/v1';
  kind: 'Telemetry';
  spec: {
    selector: WorkloadSelector;
    tracing: {
      providers: { name: string }[];
      randomSamplingPercentage: number;
      customTags: Record<
        string,
        { header: { name: string; defaultValue: string } }
      >;
    }[];
    accessLogging: { providers: { name: string }[] }[];
  };
}

// cert-manager.io/v1

export interface Certificate extends KubernetesObject {
  apiVersion: 'cert-manager.io/v1';
  kind: 'Certificate';
  spec: {
    secretName: string;
    dnsNames: string[];
    duration: string;
    renewBefore: string;
    issuerRef: { name: string; kind: string; group: 'cert-manager.io' };
    privateKey: { algorithm: 'ECDSA'; size: 256; rotationPolicy: 'Always' };
    usages: string[];
  };
}

// configuration.konghq.com/v1

export interface KongPlugin extends KubernetesObject {
  apiVersion: 'configuration.konghq.com/v1';
  kind: 'KongPlugin';
  plugin: string;
  config: Record<string, unknown>;
}

// decK state file (Kong/go-database-reconciler pkg/file/kong_json_schema.json)

export interface DeckPlugin {
  name: string;
  config: Record<string, unknown>;
  enabled: boolean;
  protocols: string[];
  tags: string[];
}

export interface DeckRoute {
  name: string;
  paths: string[];
  methods: string[];
  hosts?: string[];
  protocols: string[];
  https_redirect_status_code: number;
  strip_path: boolean;
  preserve_host: boolean;
  tags: string[];
}

export interface DeckService {
  name: string;
  host: string;
  port: number;
  protocol: 'http';
  retries: number;
  connect_timeout: number;
  read_timeout: number;
  write_timeout: number;
  enabled: boolean;
  tags: string[];
  routes: DeckRoute[];
  plugins: DeckPlugin[];
}

export interface DeckFile {
  _format_version: '3.0';
  _info: { select_tags: string[] };
  services: DeckService[];
}

// Catalog

export interface CatalogEntity {
  apiVersion: 'backstage.io/v1alpha1';
  kind: 'Component' | 'API';
  metadata: {
    name: string;
    namespace?: string;
    title?: string;
    description: string;
    annotations: Record<string, string>;
    tags: string[];
  };
  spec: Record<string, unknown>;
}

/** One file of the generated configuration, relative to the target folder. */
export interface GeneratedFile {
  path: string;
  content: string;
}
