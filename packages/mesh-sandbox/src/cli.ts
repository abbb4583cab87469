import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadDeckDump } from './kong/deck';
import { PortInUseError } from './listen';
import { MESH_SANDBOX_DEFAULTS, startMeshSandbox } from './sandbox';

const USAGE = `Usage: mesh-sandbox [options]

Starts the mesh-gateway sandbox on loopback: a Kong OSS Admin API and a Kong Enterprise-style
Admin API (workspace + Kong-Admin-Token), a Kubernetes API, Jaeger's query APIs, a real
Prometheus (when installed) and TLS endpoints, all serving the parallel-ai services.

Options (environment variable in brackets):
  --host <addr>            address to listen on [MESH_SANDBOX_HOST] (default ${MESH_SANDBOX_DEFAULTS.host})
  --kong-port <n>          Kong OSS Admin API port, 0 = any free port [MESH_SANDBOX_KONG_PORT] (default ${MESH_SANDBOX_DEFAULTS.kongPort})
  --kong-ee-port <n>       Kong Enterprise-style Admin API port [MESH_SANDBOX_KONG_EE_PORT] (default ${MESH_SANDBOX_DEFAULTS.kongEnterprisePort})
  --kong-ee-token <token>  its Kong-Admin-Token [MESH_SANDBOX_KONG_EE_TOKEN] (default ${MESH_SANDBOX_DEFAULTS.kongEnterpriseAdminToken})
  --kong-deck-file <path>  serve this decK dump on the OSS instance instead [MESH_SANDBOX_KONG_DECK_FILE]
  --scale-routes <n>       add n routes (10 per extra service) to the OSS instance [MESH_SANDBOX_SCALE_ROUTES]
  --scale-plugins <n>      add n plugins over them (default 5 per extra route) [MESH_SANDBOX_SCALE_PLUGINS]
  --no-kong-ee             do not start the Enterprise-style instance
  --kubernetes-token <t>   its service account token [MESH_SANDBOX_KUBERNETES_TOKEN] (default ${MESH_SANDBOX_DEFAULTS.kubernetesToken})
  --kubernetes-port <n>    Kubernetes API (Istio, cert-manager, workloads) [MESH_SANDBOX_KUBERNETES_PORT] (default ${MESH_SANDBOX_DEFAULTS.kubernetesPort})
  --jaeger-port <n>        Jaeger query APIs (v1 and v3) [MESH_SANDBOX_JAEGER_PORT] (default ${MESH_SANDBOX_DEFAULTS.jaegerPort})
  --no-jaeger              do not start the Jaeger query APIs
  --prometheus-port <n>    a real Prometheus with the services' series [MESH_SANDBOX_PROMETHEUS_PORT] (default ${MESH_SANDBOX_DEFAULTS.prometheusPort})
  --no-prometheus          do not start Prometheus (it is skipped with a notice when not installed)
  --prometheus-binary <p>  the prometheus binary [MESH_SANDBOX_PROMETHEUS_BINARY] (default /usr/bin/prometheus)
  --promtool-binary <p>    the promtool binary [MESH_SANDBOX_PROMTOOL_BINARY] (default /usr/bin/promtool)
  --tls-port <n>           TLS endpoints of the public hosts, by SNI [MESH_SANDBOX_TLS_PORT] (default ${MESH_SANDBOX_DEFAULTS.tlsPort})
  --tls-ca-file <path>     where the sandbox root CA is written [MESH_SANDBOX_TLS_CA_FILE] (default ${MESH_SANDBOX_DEFAULTS.tlsCaFile},
                           app-config.yaml's default caBundleFile; TMPDIR does not change it)
  --no-tls                 no TLS endpoints and no certificates
  --scale-istio <n>        add n Istio objects in other namespaces [MESH_SANDBOX_SCALE_ISTIO]
  -h, --help               show this help
`;

const count = z.coerce.number().int().min(0);
const port = z.coerce.number().int().min(0).max(65535);

const cliSchema = z.object({
  host: z.string().min(1).default(MESH_SANDBOX_DEFAULTS.host),
  kongPort: port.default(MESH_SANDBOX_DEFAULTS.kongPort),
  kongEePort: port.default(MESH_SANDBOX_DEFAULTS.kongEnterprisePort),
  kongEeToken: z
    .string()
    .min(1)
    .default(MESH_SANDBOX_DEFAULTS.kongEnterpriseAdminToken),
  kongDeckFile: z.string().min(1).optional(),
  scaleRoutes: count.default(0),
  scalePlugins: count.optional(),
  kongEe: z.boolean().default(true),
  kubernetesPort: port.default(MESH_SANDBOX_DEFAULTS.kubernetesPort),
  kubernetesToken: z.string().min(1).default(MESH_SANDBOX_DEFAULTS.kubernetesToken),
  scaleIstio: count.default(0),
  jaegerPort: port.default(MESH_SANDBOX_DEFAULTS.jaegerPort),
  jaeger: z.boolean().default(true),
  prometheusPort: port.default(MESH_SANDBOX_DEFAULTS.prometheusPort),
  prometheus: z.boolean().default(true),
  prometheusBinary: z.string().min(1).optional(),
  promtoolBinary: z.string().min(1).optional(),
  tlsPort: port.default(MESH_SANDBOX_DEFAULTS.tlsPort),
  tlsCaFile: z
    .string()
    .min(1)
    .transform(file => resolvePath(file))
    .default(MESH_SANDBOX_DEFAULTS.tlsCaFile),
  tls: z.boolean().default(true),
  help: z.boolean().default(false),
});

/** @public */
export type MeshSandboxCliOptions = z.output<typeof cliSchema>;

/** Flags win over environment variables, which win over the defaults. */
export function parseCliOptions(
  argv: string[],
  env: NodeJS.ProcessEnv,
): MeshSandboxCliOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      host: { type: 'string' },
      'kong-port': { type: 'string' },
      'kong-ee-port': { type: 'string' },
      'kong-ee-token': { type: 'string' },
      'kong-deck-file': { type: 'string' },
      'scale-routes': { type: 'string' },
      'scale-plugins': { type: 'string' },
      'no-kong-ee': { type: 'boolean' },
      'kubernetes-port': { type: 'string' },
      'kubernetes-token': { type: 'string' },
      'scale-istio': { type: 'string' },
      'jaeger-port': { type: 'string' },
      'no-jaeger': { type: 'boolean' },
      'prometheus-port': { type: 'string' },
      'no-prometheus': { type: 'boolean' },
      'prometheus-binary': { type: 'string' },
      'promtool-binary': { type: 'string' },
      'tls-port': { type: 'string' },
      'tls-ca-file': { type: 'string' },
      'no-tls': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const nonEmpty = (value: string | undefined) =>
    value === '' ? undefined : value;
  const parsed = cliSchema.safeParse({
    host: values.host ?? nonEmpty(env.MESH_SANDBOX_HOST),
    kongPort: values['kong-port'] ?? nonEmpty(env.MESH_SANDBOX_KONG_PORT),
    kongEePort:
      values['kong-ee-port'] ?? nonEmpty(env.MESH_SANDBOX_KONG_EE_PORT),
    kongEeToken:
      values['kong-ee-token'] ?? nonEmpty(env.MESH_SANDBOX_KONG_EE_TOKEN),
    kongDeckFile:
      values['kong-deck-file'] ?? nonEmpty(env.MESH_SANDBOX_KONG_DECK_FILE),
    scaleRoutes:
      values['scale-routes'] ?? nonEmpty(env.MESH_SANDBOX_SCALE_ROUTES),
    scalePlugins:
      values['scale-plugins'] ?? nonEmpty(env.MESH_SANDBOX_SCALE_PLUGINS),
    kongEe: !values['no-kong-ee'],
    kubernetesPort:
      values['kubernetes-port'] ?? nonEmpty(env.MESH_SANDBOX_KUBERNETES_PORT),
    scaleIstio: values['scale-istio'] ?? nonEmpty(env.MESH_SANDBOX_SCALE_ISTIO),
    jaegerPort: values['jaeger-port'] ?? nonEmpty(env.MESH_SANDBOX_JAEGER_PORT),
    jaeger: !values['no-jaeger'],
    prometheusPort: values['prometheus-port'] ?? nonEmpty(env.MESH_SANDBOX_PROMETHEUS_PORT),
    prometheus: !values['no-prometheus'],
    prometheusBinary:
      values['prometheus-binary'] ??
      nonEmpty(env.MESH_SANDBOX_PROMETHEUS_BINARY),
    promtoolBinary:
      values['promtool-binary'] ?? nonEmpty(env.MESH_SANDBOX_PROMTOOL_BINARY),
    tlsPort: values['tls-port'] ?? nonEmpty(env.MESH_SANDBOX_TLS_PORT),
    tlsCaFile: values['tls-ca-file'] ?? nonEmpty(env.MESH_SANDBOX_TLS_CA_FILE),
    tls: !values['no-tls'],
    kubernetesToken:
      values['kubernetes-token'] ?? nonEmpty(env.MESH_SANDBOX_KUBERNETES_TOKEN),
    help: values.help ?? false,
  });
  if (!parsed.success) {
    const flags: Record<string, string> = {
      host: '--host',
      kongPort: '--kong-port',
      kongEePort: '--kong-ee-port',
      kongEeToken: '--kong-ee-token',
      kongDeckFile: '--kong-deck-file',
      scaleRoutes: '--scale-routes',
      scalePlugins: '--scale-plugins',
      kubernetesPort: '--kubernetes-port',
      kubernetesToken: '--kubernetes-token',
      scaleIstio: '--scale-istio',
      jaegerPort: '--jaeger-port',
      prometheusPort: '--prometheus-port',
      prometheusBinary: '--prometheus-binary',
      promtoolBinary: '--promtool-binary',
      tlsPort: '--tls-port',
      tlsCaFile: '--tls-ca-file',
    };
    const issue = parsed.error.issues[0];
    const key = String(issue.path[0]);
    throw new Error(`${flags[key] ?? key}: ${issue.message}`);
  }
  return parsed.data;
}

interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  stopSignal: () => Promise<string>;
}

const processIo: CliIo = {
  out: line => process.stdout.write(`${line}\n`),
  err: line => process.stderr.write(`${line}\n`),
  stopSignal: () =>
    new Promise(resolve => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    }),
};

/**
 * Runs the sandbox until SIGINT/SIGTERM. Resolves with the process exit code: 0 after a clean
 * stop, 1 when a server cannot start (port in use, bad option), 0 for `--help`.
 */
export async function main(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
  io: CliIo = processIo,
): Promise<number> {
  let options: MeshSandboxCliOptions;
  try {
    options = parseCliOptions(argv, env);
  } catch (error) {
    io.err(`mesh-sandbox: ${error.message}`);
    io.err(USAGE);
    return 1;
  }
  if (options.help) {
    io.out(USAGE);
    return 0;
  }

  let sandbox;
  try {
    const dataset = options.kongDeckFile
      ? loadDeckDump(readFileSync(options.kongDeckFile, 'utf8'))
      : undefined;
    const scale =
      options.scaleRoutes > 0 || (options.scalePlugins ?? 0) > 0
        ? {
            routes: options.scaleRoutes,
            plugins: options.scalePlugins ?? options.scaleRoutes * 5,
          }
        : undefined;
    sandbox = await startMeshSandbox({
      host: options.host,
      kong: {
        oss: { port: options.kongPort, dataset, scale },
        enterprise: {
          enabled: options.kongEe,
          port: options.kongEePort,
          adminToken: options.kongEeToken,
        },
      },
      jaeger: { enabled: options.jaeger, port: options.jaegerPort },
      prometheus: {
        enabled: options.prometheus ? undefined : false,
        port: options.prometheusPort,
        binary: options.prometheusBinary,
        promtoolBinary: options.promtoolBinary,
      },
      tls: { enabled: options.tls, port: options.tlsPort, caFile: options.tlsCaFile },
      kubernetes: {
        port: options.kubernetesPort,
        token: options.kubernetesToken,
        scaleIstioObjects: options.scaleIstio,
      },
    });
  } catch (error) {
    io.err(
      `mesh-sandbox: ${error instanceof PortInUseError ? error.message : `could not start: ${error.message}`}`,
    );
    return 1;
  }

  // Listen for the signal before announcing readiness, so that an early Ctrl+C stops cleanly.
  const stopped = io.stopSignal();
  const { oss, enterprise } = sandbox.kong;
  if (oss) {
    io.out(`Kong Admin API (OSS):              ${oss.url}`);
  }
  if (enterprise) {
    io.out(
      `Kong Admin API (Enterprise-style): ${enterprise.url}/${enterprise.workspace}  ` +
        `(header ${enterprise.authHeader}: ${enterprise.adminToken})`,
    );
  }
  if (sandbox.kubernetes) {
    io.out(
      `Kubernetes API:                    ${sandbox.kubernetes.url}  ` +
        `(Authorization: Bearer ${sandbox.kubernetes.token})`,
    );
  }
  if (sandbox.tls) {
    io.out(`TLS endpoints (by SNI):              ${sandbox.tls.url}  (root CA in ${sandbox.tls.caFile})`);
  }
  if (sandbox.prometheus) {
    io.out(`Prometheus (Kong and Istio series):  ${sandbox.prometheus.url}`);
  }
  for (const notice of sandbox.notices) {
    io.err(`mesh-sandbox: ${notice}`);
  }
  if (sandbox.jaeger) {
    io.out(`Jaeger query (/api, /api/v3, UI pages): ${sandbox.jaeger.url}`);
  }
  io.out('Press Ctrl+C to stop.');

  const signal = await stopped;
  await sandbox.close();
  io.out(`mesh-sandbox: stopped (${signal})`);
  return 0;
}
