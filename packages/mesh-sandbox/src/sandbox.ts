import { z } from 'zod';
import { buildAdrKongDataset, scaleKongDataset } from './kong/adrDataset';
import { KongAdminServer, startKongAdminServer } from './kong/server';
import type { KongDataset } from './kong/types';
import { buildAdrCluster, scaleIstioObjects } from './kubernetes/adrCluster';
import {
  KubernetesApiServer,
  startKubernetesApiServer,
} from './kubernetes/kubernetesApiServer';
import type { KubeObject } from './kubernetes/types';
import { JaegerQueryServer, startJaegerQueryServer } from './jaeger';
import {
  createTlsSandboxMaterial,
  startTlsSandbox,
  TlsSandbox,
  withTlsSandboxCertificates,
} from './tls';
import { buildCertManagerObjects } from './kubernetes/certManager';
import {
  PrometheusNotInstalledError,
  PrometheusSandbox,
  startPrometheusSandbox,
} from './prometheus';

/** Default ports: Kong's own Admin API port for OSS, the next one for the Enterprise-style instance. @public */
export const MESH_SANDBOX_DEFAULTS = {
  host: '127.0.0.1',
  kongPort: 8001,
  kongEnterprisePort: 8002,
  kongEnterpriseWorkspace: 'platform',
  /** A loopback-only development token, not a secret. */
  kongEnterpriseAdminToken: 'mesh-sandbox-admin-token',
  kubernetesPort: 8003,
  jaegerPort: 16686,
  prometheusPort: 9090,
  tlsPort: 8443,
  /**
   * Where the CLI writes the TLS root CA: a fixed path, not under `os.tmpdir()`, so that TMPDIR
   * cannot move it away from app-config.yaml's default `caBundleFile`
   * (`${MESH_SANDBOX_TLS_CA_FILE:-/tmp/mesh-sandbox/tls-ca.pem}`).
   */
  tlsCaFile: '/tmp/mesh-sandbox/tls-ca.pem',
  jaegerSeed: 'parallel-ai',
  /** The sandbox cluster's service account token: loopback only, not a secret. */
  kubernetesToken: 'mesh-sandbox-kubernetes-token',
  /** One resource type answers 403, to show how a section names a missing RBAC rule. */
  kubernetesForbidden: ['sidecars.networking.istio.io'],
} as const;

const port = z.number().int().min(0).max(65535);
const dataset = z.custom<KongDataset>(
  value =>
    typeof value === 'object' &&
    value !== null &&
    Array.isArray((value as KongDataset).services),
  'not a Kong dataset',
);

const configSchema = z.object({
  host: z.string().min(1).default(MESH_SANDBOX_DEFAULTS.host),
  tls: z
    .object({
      enabled: z.boolean().default(true),
      port: port.default(MESH_SANDBOX_DEFAULTS.tlsPort),
      /** Where the root CA is written, for meshGateway.certificates.probe.caBundleFile. */
      caFile: z.string().min(1).optional(),
    })
    .prefault({}),
  prometheus: z
    .object({
      /** true: fail without the binary; undefined: start it when installed, say so when not. */
      enabled: z.boolean().optional(),
      port: port.default(MESH_SANDBOX_DEFAULTS.prometheusPort),
      /** The `prometheus` binary; default /usr/bin/prometheus (Debian's package). */
      binary: z.string().min(1).optional(),
      /** The `promtool` binary; default /usr/bin/promtool. */
      promtoolBinary: z.string().min(1).optional(),
    })
    .prefault({}),
  jaeger: z
    .object({
      enabled: z.boolean().default(true),
      port: port.default(MESH_SANDBOX_DEFAULTS.jaegerPort),
      seed: z.string().min(1).default(MESH_SANDBOX_DEFAULTS.jaegerSeed),
    })
    .prefault({}),
  kubernetes: z
    .object({
      enabled: z.boolean().default(true),
      port: port.default(MESH_SANDBOX_DEFAULTS.kubernetesPort),
      token: z.string().min(1).default(MESH_SANDBOX_DEFAULTS.kubernetesToken),
      forbidden: z
        .array(z.string())
        .default([...MESH_SANDBOX_DEFAULTS.kubernetesForbidden]),
      /** Objects added to the ADR cluster. */
      extraObjects: z.array(z.custom<KubeObject>()).default([]),
      /** Extra Istio objects in other namespaces, for benchmarks. */
      scaleIstioObjects: z.number().int().min(0).default(0),
    })
    .prefault({}),
  kong: z
    .object({
      oss: z
        .object({
          enabled: z.boolean().default(true),
          port: port.default(MESH_SANDBOX_DEFAULTS.kongPort),
          dataset: dataset.optional(),
          /** Extra routes/plugins for benchmarks (OSS instance only). */
          scale: z
            .object({
              routes: z.number().int().min(0),
              plugins: z.number().int().min(0),
            })
            .optional(),
        })
        .prefault({}),
      enterprise: z
        .object({
          enabled: z.boolean().default(true),
          port: port.default(MESH_SANDBOX_DEFAULTS.kongEnterprisePort),
          workspace: z
            .string()
            .min(1)
            .default(MESH_SANDBOX_DEFAULTS.kongEnterpriseWorkspace),
          adminToken: z
            .string()
            .min(1)
            .default(MESH_SANDBOX_DEFAULTS.kongEnterpriseAdminToken),
          authHeader: z.string().min(1).default('Kong-Admin-Token'),
          dataset: dataset.optional(),
        })
        .prefault({}),
    })
    .prefault({}),
});

/** @public */
export type MeshSandboxConfig = z.input<typeof configSchema>;

/** @public */
export interface MeshSandbox {
  kong: {
    /** Kong OSS 3.9: no workspace, no token. */
    oss?: KongAdminServer;
    /** Kong Enterprise style: workspace prefix and RBAC token. */
    enterprise?: KongAdminServer & {
      workspace: string;
      adminToken: string;
      authHeader: string;
    };
  };
  /** Kubernetes API holding the ADR's namespaces, workloads and Istio objects. */
  kubernetes?: KubernetesApiServer & { token: string };
  /** Jaeger query APIs (v1 /api and v3 /api/v3) over traces of the ADR's services. */
  jaeger?: JaegerQueryServer;
  /** A real Prometheus (Debian's package) with Kong and Istio series of the ADR's services. */
  prometheus?: PrometheusSandbox;
  /** TLS endpoints of the public hosts (valid, expiring, expired, wrong host), by SNI. */
  tls?: TlsSandbox;
  /** Why a server that was not asked for explicitly was left out (e.g. Prometheus not installed). */
  notices: string[];
  /** Every server's base URL by name (`kong`, `kong-enterprise`, `kubernetes`). */
  urls: Record<string, string>;
  close(): Promise<void>;
}

/**
 * Starts every configured sandbox server (today: a Kong OSS Admin API and an Enterprise-style
 * one, both serving the architecture documents' services). If one cannot start, the ones already
 * started are stopped and the error (e.g. {@link PortInUseError}) is rethrown.
 *
 * @public
 */
export async function startMeshSandbox(
  config: MeshSandboxConfig = {},
): Promise<MeshSandbox> {
  const parsed = configSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `mesh-sandbox: invalid config at ${issue.path.join('.')}: ${issue.message}`,
    );
  }
  const { host, kong, kubernetes, jaeger, prometheus, tls } = parsed.data;
  // Certificates are made at start (no key material in the repository), shared by the TLS
  // endpoints, Kong's certificates and SNIs, and cert-manager's objects.
  const material = tls.enabled ? await createTlsSandboxMaterial() : undefined;
  const withTls = (base: KongDataset, idSeed?: string) =>
    material ? withTlsSandboxCertificates(base, material, idSeed ? { idSeed } : {}) : base;
  const started: { close(): Promise<void> }[] = [];
  const sandbox: MeshSandbox = {
    kong: {},
    urls: {},
    notices: [],
    close: async () => {
      await Promise.all(started.map(server => server.close()));
    },
  };

  try {
    if (kong.oss.enabled) {
      let ossDataset = kong.oss.dataset ?? withTls(buildAdrKongDataset());
      if (kong.oss.scale) {
        ossDataset = scaleKongDataset(ossDataset, kong.oss.scale);
      }
      const server = await startKongAdminServer({
        host,
        port: kong.oss.port,
        dataset: ossDataset,
        portSetting:
          '--kong-port, MESH_SANDBOX_KONG_PORT or config kong.oss.port',
      });
      started.push(server);
      sandbox.kong.oss = server;
      sandbox.urls.kong = server.url;
    }
    if (kong.enterprise.enabled) {
      const { workspace, adminToken, authHeader } = kong.enterprise;
      const server = await startKongAdminServer({
        host,
        port: kong.enterprise.port,
        workspace,
        adminToken,
        authHeader,
        dataset:
          kong.enterprise.dataset ??
          withTls(
          buildAdrKongDataset({
            idSeed: 'kong-enterprise',
            node: {
              edition: 'enterprise',
              version: '3.10.0.0',
              hostname: 'kong-ee-sandbox',
            },
          }),
            'kong-enterprise',
          ),
        portSetting:
          '--kong-ee-port, MESH_SANDBOX_KONG_EE_PORT or config kong.enterprise.port',
      });
      started.push(server);
      sandbox.kong.enterprise = {
        ...server,
        workspace,
        adminToken,
        authHeader,
      };
      sandbox.urls['kong-enterprise'] = server.url;
    }
    if (kubernetes.enabled) {
      const server = await startKubernetesApiServer({
        host,
        port: kubernetes.port,
        token: kubernetes.token,
        forbidden: kubernetes.forbidden,
        objects: buildAdrCluster([
          ...(material ? buildCertManagerObjects(material) : []),
          ...kubernetes.extraObjects,
          ...scaleIstioObjects(kubernetes.scaleIstioObjects),
        ]),
      });
      started.push(server);
      sandbox.kubernetes = { ...server, token: kubernetes.token };
      sandbox.urls.kubernetes = server.url;
    }
    if (jaeger.enabled) {
      const server = await startJaegerQueryServer({
        host,
        port: jaeger.port,
        seed: jaeger.seed,
        portSetting: '--jaeger-port, MESH_SANDBOX_JAEGER_PORT or config jaeger.port',
      });
      started.push(server);
      sandbox.jaeger = server;
      sandbox.urls.jaeger = server.url;
    }
    if (material) {
      const server = await startTlsSandbox({ host, port: tls.port, material, caFile: tls.caFile });
      started.push(server);
      sandbox.tls = server;
      sandbox.urls.tls = server.url;
    }
    if (prometheus.enabled !== false) {
      try {
        const server = await startPrometheusSandbox({
          host,
          port: prometheus.port,
          prometheusBinary: prometheus.binary,
          promtoolBinary: prometheus.promtoolBinary,
          portSetting: '--prometheus-port, MESH_SANDBOX_PROMETHEUS_PORT or config prometheus.port',
        });
        started.push(server);
        sandbox.prometheus = server;
        sandbox.urls.prometheus = server.url;
      } catch (error) {
        if (!(error instanceof PrometheusNotInstalledError) || prometheus.enabled === true) throw error;
        sandbox.notices.push(
          `Prometheus not started: ${error.message} (--prometheus-binary and --promtool-binary, or config prometheus.binary and prometheus.promtoolBinary); the other servers run without it`,
        );
      }
    }
  } catch (error) {
    await sandbox.close();
    throw error;
  }
  return sandbox;
}
