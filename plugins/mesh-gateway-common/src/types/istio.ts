/** What the backend returns for Istio: the objects, what they add up to, and the findings. */

/** A Kubernetes object as read from the cluster, without managedFields. @public */
export interface KubernetesObjectView {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    creationTimestamp?: string;
    generation?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
}

/** @public */
export type MtlsMode = 'UNSET' | 'DISABLE' | 'PERMISSIVE' | 'STRICT';

/** Where an effective mTLS mode comes from. @public */
export interface MtlsSource {
  scope: 'port' | 'workload' | 'namespace' | 'mesh' | 'default';
  /** `namespace/name` of the PeerAuthentication, absent for the default. */
  policy?: string;
}

/** @public */
export interface EffectiveMtls {
  mode: Exclude<MtlsMode, 'UNSET'>;
  source: MtlsSource;
  /** Per Service port, resolved through the workload port (targetPort). */
  ports: {
    port: number;
    name?: string;
    targetPort?: number | string;
    mode: Exclude<MtlsMode, 'UNSET'>;
    source: MtlsSource;
  }[];
  /** Policies that exist but lose: older/newer in the same scope, or selector policies in the root namespace. */
  ignored: { policy: string; reason: string }[];
}

/** One way in: an ALLOW/DENY/AUDIT/CUSTOM rule, flattened for display. @public */
export interface AuthorizationRuleView {
  policy: string;
  action: 'ALLOW' | 'DENY' | 'AUDIT' | 'CUSTOM';
  /** Rule index in the policy; -1 for a policy with no rules. */
  rule: number;
  principals: string[];
  notPrincipals: string[];
  namespaces: string[];
  notNamespaces: string[];
  requestPrincipals: string[];
  ipBlocks: string[];
  methods: string[];
  notMethods: string[];
  paths: string[];
  notPaths: string[];
  ports: string[];
  when: { key: string; values?: string[]; notValues?: string[] }[];
  /** True when the rule matches requests from any source (no `from`, or an empty source). */
  anySource: boolean;
  /** True when the rule matches any request (an empty rule). */
  matchesEverything: boolean;
}

/** @public */
export interface EffectiveAuthorization {
  /**
   * `allow-all`: no policy restricts callers; `deny-all`: ALLOW policies exist but none has a
   * rule (allow-nothing); `restricted`: only the listed ALLOW rules get in.
   */
  decision: 'allow-all' | 'deny-all' | 'restricted';
  /** Evaluation order: CUSTOM, DENY, then ALLOW; AUDIT never affects the decision. */
  rules: AuthorizationRuleView[];
  customProviders: string[];
  /** Policies with `istio.io/dry-run: "true"`: evaluated for logs only, not enforced. */
  dryRun: string[];
  /** Policies attached by targetRefs (waypoints, gateways): they do not apply to sidecars. */
  targetRefPolicies: string[];
  /** Required issuers and audiences from RequestAuthentications that select the workload. */
  jwt: { policy: string; issuer: string; audiences: string[]; jwksUri?: string }[];
}

/** One route of a VirtualService, flattened. @public */
export interface TrafficRouteView {
  virtualService: string;
  /** Index of the http route in the VirtualService. */
  route: number;
  name?: string;
  /** Human-readable match conditions, empty for the catch-all. */
  match: string[];
  destinations: { host: string; subset?: string; port?: number; weight?: number }[];
  timeout?: string;
  retries?: { attempts?: number; perTryTimeout?: string; retryOn?: string };
  fault?: { delay?: string; abort?: string };
}

/** @public */
export interface ResilienceView {
  destinationRule: string;
  host: string;
  subsets: { name: string; labels: Record<string, string> }[];
  tlsMode?: string;
  outlierDetection?: Record<string, unknown>;
  connectionPool?: Record<string, unknown>;
  loadBalancer?: Record<string, unknown>;
}

/** The mesh view of the entity's workload in one cluster. @public */
export interface IstioWorkloadView {
  cluster: string;
  namespace: string;
  rootNamespace: string;
  /** The FQDN of the service in the mesh. */
  host: string;
  /** Labels that select the entity's pods. */
  workloadLabels: Record<string, string>;
  /** `unknown` when the Namespace could not be read (see `forbidden`). */
  injection: { enabled: boolean; label?: string; revision?: string; unknown?: boolean };
  service?: {
    name: string;
    ports: {
      name?: string;
      port: number;
      targetPort?: number | string;
      protocol?: string;
      appProtocol?: string;
    }[];
  };
  mtls: EffectiveMtls;
  authorization: EffectiveAuthorization;
  traffic: TrafficRouteView[];
  resilience: ResilienceView[];
  /** Every object read, by kind. */
  objects: KubernetesObjectView[];
  /** Resource types the backend may not list, with the RBAC rule it needs. */
  forbidden: { resource: string; namespace: string; need: string }[];
}

/** @public */
export interface IstioSection {
  /** One view per cluster where the entity's namespace exists. */
  workloads: IstioWorkloadView[];
}
