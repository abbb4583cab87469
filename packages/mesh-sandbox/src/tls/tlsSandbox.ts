import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import tls from 'node:tls';
import { PortInUseError } from '../listen';
import {
  createCertificateAuthority,
  createServerCertificate,
  GeneratedCertificate,
  GeneratedCertificateAuthority,
} from './certificates';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** @public */
export const TLS_SANDBOX_DEFAULTS = {
  host: '127.0.0.1',
  /** One port for every host, as Kong's proxy serves them: the SNI picks the certificate. */
  port: 8443,
} as const;

/**
 * What a sandbox host demonstrates: `valid` (70 days left), `expiring` (10 days left, while
 * cert-manager already holds a renewed one), `expired` (5 days ago, issuance failing), and
 * `wrong-host` (a certificate for another name).
 *
 * @public
 */
export type TlsSandboxScenario =
  | 'valid'
  | 'expiring'
  | 'expired'
  | 'wrong-host';

/** @public */
export interface TlsSandboxHostSpec {
  host: string;
  scenario: TlsSandboxScenario;
  /** The ADR services whose public host it is. */
  services: string[];
  /** Namespace and name of the cert-manager Certificate for the host. */
  certificate: { namespace: string; name: string };
}

/**
 * The ADR's public hosts in the sandbox. `api` is the shared edge host of all three services;
 * each service also has a host of its own with one demo fault.
 *
 * @public
 */
export const TLS_SANDBOX_HOSTS: readonly TlsSandboxHostSpec[] = [
  {
    host: 'api.parallel-ai.example.com',
    scenario: 'valid',
    services: ['ai-agent-service', 'analytics-service', 'user-service'],
    certificate: { namespace: 'kong', name: 'api-parallel-ai-tls' },
  },
  {
    host: 'agents.parallel-ai.example.com',
    scenario: 'expiring',
    services: ['ai-agent-service'],
    certificate: { namespace: 'parallel-ai', name: 'agents-parallel-ai-tls' },
  },
  {
    host: 'analytics.parallel-ai.example.com',
    scenario: 'expired',
    services: ['analytics-service'],
    certificate: {
      namespace: 'parallel-ai',
      name: 'analytics-parallel-ai-tls',
    },
  },
  {
    host: 'users.parallel-ai.example.com',
    scenario: 'wrong-host',
    services: ['user-service'],
    certificate: { namespace: 'parallel-ai', name: 'users-parallel-ai-tls' },
  },
];

/** The name the `wrong-host` certificate is issued for instead. @public */
export const TLS_SANDBOX_WRONG_HOST_NAME =
  'user-legacy.parallel-ai.example.com';

/** @public */
export interface TlsSandboxHost extends TlsSandboxHostSpec {
  /** What the endpoint (and Kong) serve for the host: leaf and intermediate, with its key. */
  served: GeneratedCertificate;
  /**
   * Scenario `expiring` only: the certificate cert-manager renewed two days ago (valid 90 days
   * from then) and keeps in the Certificate's Secret, which the endpoint does not serve yet.
   */
  renewed?: GeneratedCertificate;
}

/**
 * Every certificate of the sandbox, made when it starts: a root CA (also the Istio mesh root, so
 * edge and mesh share a root as the ADR asks), an edge issuing CA below it, one leaf per host,
 * and the self-signed certificate served for unknown names (as Kong does).
 *
 * @public
 */
export interface TlsSandboxMaterial {
  generatedAt: Date;
  rootCa: GeneratedCertificateAuthority;
  issuingCa: GeneratedCertificateAuthority;
  defaultCertificate: GeneratedCertificate;
  hosts: TlsSandboxHost[];
}

const scenarioDates: Record<
  TlsSandboxScenario,
  { issuedDaysAgo: number; daysLeft: number }
> = {
  valid: { issuedDaysAgo: 20, daysLeft: 70 },
  expiring: { issuedDaysAgo: 80, daysLeft: 10 },
  expired: { issuedDaysAgo: 95, daysLeft: -5 },
  'wrong-host': { issuedDaysAgo: 20, daysLeft: 70 },
};

/**
 * Makes the sandbox's certificates relative to `now`: "10 days left" ends 10.5 days from now and
 * "expired 5 days ago" 5.5 days ago, so both read as stated for a while after start.
 *
 * @public
 */
export async function createTlsSandboxMaterial(
  options: { now?: Date; hosts?: readonly TlsSandboxHostSpec[] } = {},
): Promise<TlsSandboxMaterial> {
  const now = options.now ?? new Date();
  const at = (ms: number) => new Date(now.getTime() + ms);
  const rootCa = await createCertificateAuthority({
    commonName: 'mesh-sandbox Root CA',
    organization: 'parallel-ai',
    notBefore: at(-400 * DAY_MS),
    notAfter: at(3650 * DAY_MS),
  });
  const issuingCa = await createCertificateAuthority({
    commonName: 'mesh-sandbox Edge Issuing CA',
    organization: 'parallel-ai',
    notBefore: at(-400 * DAY_MS),
    notAfter: at(1825 * DAY_MS),
    issuer: rootCa,
  });
  const hosts = await Promise.all(
    (options.hosts ?? TLS_SANDBOX_HOSTS).map(async spec => {
      const dates = scenarioDates[spec.scenario];
      const served = await createServerCertificate({
        dnsNames: [
          spec.scenario === 'wrong-host'
            ? TLS_SANDBOX_WRONG_HOST_NAME
            : spec.host,
        ],
        organization: 'parallel-ai',
        notBefore: at(-dates.issuedDaysAgo * DAY_MS),
        notAfter: at(
          dates.daysLeft * DAY_MS + Math.sign(dates.daysLeft) * 12 * HOUR_MS,
        ),
        issuer: issuingCa,
      });
      if (spec.scenario !== 'expiring') return { ...spec, served };
      const renewedAt = at(-2 * DAY_MS);
      const renewed = await createServerCertificate({
        dnsNames: [spec.host],
        organization: 'parallel-ai',
        notBefore: renewedAt,
        notAfter: new Date(renewedAt.getTime() + 90 * DAY_MS),
        issuer: issuingCa,
      });
      return { ...spec, served, renewed };
    }),
  );
  const defaultCertificate = await createServerCertificate({
    dnsNames: ['localhost'],
    organization: 'mesh-sandbox default certificate',
    notBefore: at(-DAY_MS),
    notAfter: at(365 * DAY_MS),
  });
  return { generatedAt: now, rootCa, issuingCa, defaultCertificate, hosts };
}

/** @public */
export interface TlsSandboxOptions {
  host?: string;
  /** 0 picks a free port. Default 8443. */
  port?: number;
  /** Certificates to serve; made now when absent. */
  material?: TlsSandboxMaterial;
  /** Writes the root CA (PEM) here, for `meshGateway.certificates.probe.caBundleFile`. */
  caFile?: string;
}

/** @public */
export interface TlsSandbox {
  /** `https://127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Each public host name and the loopback address that serves it (`127.0.0.1:8443`). */
  endpoints: Record<string, string>;
  material: TlsSandboxMaterial;
  /** The root CA every sandbox host chains to (PEM). */
  caCertificatePem: string;
  caFile?: string;
  /** TLS connections accepted so far. */
  acceptedConnections(): number;
  close(): Promise<void>;
}

/**
 * Serves the sandbox hosts over real TLS on loopback: one listener that picks the certificate by
 * SNI, as Kong's proxy does, and answers any request with a one-line HTTP response. Unknown names
 * get the self-signed default certificate.
 *
 * @public
 */
export async function startTlsSandbox(
  options: TlsSandboxOptions = {},
): Promise<TlsSandbox> {
  const material = options.material ?? (await createTlsSandboxMaterial());
  const contexts = new Map(
    material.hosts.map(h => [
      h.host.toLowerCase(),
      tls.createSecureContext({
        cert: h.served.chainPem,
        key: h.served.keyPem,
      }),
    ]),
  );
  const defaultContext = {
    cert: material.defaultCertificate.certPem,
    key: material.defaultCertificate.keyPem,
  };
  let accepted = 0;
  const sockets = new Set<Socket>();
  const server = tls.createServer(
    {
      ...defaultContext,
      SNICallback: (servername, callback) =>
        callback(null, contexts.get(servername.toLowerCase())),
    },
    socket => {
      const name = socket.servername || 'no SNI';
      socket.once('data', () => {
        const body = `mesh-sandbox TLS endpoint for ${name}\n`;
        socket.end(
          `HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
        );
      });
      socket.on('error', () => {});
    },
  );
  server.on('connection', socket => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that gives up mid-handshake (a probe timing out) is no reason to stop serving.
  server.on('tlsClientError', () => {});

  const host = options.host ?? TLS_SANDBOX_DEFAULTS.host;
  const port = options.port ?? TLS_SANDBOX_DEFAULTS.port;
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(
              port,
              host,
              'TLS sandbox',
              '--tls-port, MESH_SANDBOX_TLS_PORT or config tls.port',
            )
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port: actualPort } = server.address() as AddressInfo;
  const address = `${host.includes(':') ? `[${host}]` : host}:${actualPort}`;

  if (options.caFile) {
    await mkdir(dirname(options.caFile), { recursive: true });
    await writeFile(options.caFile, material.rootCa.certPem, 'utf8');
  }

  let closing: Promise<void> | undefined;
  return {
    url: `https://${address}`,
    port: actualPort,
    endpoints: Object.fromEntries(material.hosts.map(h => [h.host, address])),
    material,
    caCertificatePem: material.rootCa.certPem,
    caFile: options.caFile,
    acceptedConnections: () => accepted,
    close: () => {
      closing ??= new Promise<void>(resolve => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}
