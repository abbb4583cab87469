/**
 * Loopback stand-ins for the upstreams mesh-gateway reads, faithful to the contracts in
 * `shared/contracts`: today the Kong Admin API (OSS 3.9, and Enterprise-style with a workspace and
 * an RBAC token).
 *
 * @packageDocumentation
 */

export { startMeshSandbox, MESH_SANDBOX_DEFAULTS } from './sandbox';
export type { MeshSandbox, MeshSandboxConfig } from './sandbox';
export { PortInUseError } from './listen';
export type { ListeningServer } from './listen';

export { startKongAdminServer } from './kong/server';
export type {
  KongAdminServer,
  KongAdminServerOptions,
  RecordedRequest,
} from './kong/server';
export { KONG_ADMIN_TOKEN_HEADER } from './kong/adminApi';
export type { KongAdminApiOptions } from './kong/adminApi';
export { KongDatasetBuilder, SANDBOX_EPOCH } from './kong/dataset';
export type {
  DeepPartial,
  KongCertificateInput,
  KongConsumerInput,
  KongCredentialInputBase,
  KongDatasetBuilderOptions,
  KongKeyInput,
  KongKeySetInput,
  KongOAuth2CredentialInput,
  KongOAuth2TokenInput,
  KongPluginInput,
  KongRef,
  KongRouteInput,
  KongServiceInput,
  KongTargetInput,
  KongUpstreamInput,
  KongVaultInput,
} from './kong/dataset';
export {
  ADR_ANALYTICS_UPSTREAM,
  ADR_EDGE_HOST,
  ADR_KONG_SECRETS,
  ADR_NAMESPACE,
  ADR_SERVICES,
  buildAdrKongDataset,
  scaleKongDataset,
} from './kong/adrDataset';
export type { AdrKongDatasetOptions, ScaleOptions } from './kong/adrDataset';
export { loadDeckDump } from './kong/deck';
export type { DeckFile, LoadDeckDumpOptions } from './kong/deck';
export {
  completePluginConfig,
  KNOWN_PLUGIN_NAMES,
  pluginSchemaResponse,
} from './kong/pluginSchemas';
export type { KongSchemaField } from './kong/pluginSchemas';
export { uuidV5 } from './kong/ids';
export type * from './kong/types';

// Kubernetes API (Istio, cert-manager and core objects): added by the lead, keep this line.
export * from './kubernetes';

// Fault injection for the upstream stand-ins (latency, 5xx, 429, bad bodies, resets, hangs).
export * from './faults';

// Jaeger query service, v1 `/api` and v3 `/api/v3` over the ADR services' traces.
export * from './jaeger';

// Local PostgreSQL and Redis servers for tests that need them.
export * from './servers';

// A real Prometheus (Debian package) with Kong and Istio series of the ADR services, backfilled.
export * from './prometheus';

// TLS endpoints on loopback with certificates made at start, and their Kong and cert-manager objects.
export * from './tls';
