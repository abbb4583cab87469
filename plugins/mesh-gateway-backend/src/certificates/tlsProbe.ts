import { X509Certificate } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import tls from 'node:tls';
import type {
  CertificateThresholds,
  TlsHostSource,
  TlsProbeView,
  TlsVerificationError,
  TlsVerificationErrorKind,
} from '@internal/plugin-mesh-gateway-common';
import { TtlMemo } from '../service/TtlMemo';
import type { TlsProbeConfig } from './config';
import { certificateHealth } from './health';
import type { HostPort } from '@internal/plugin-mesh-gateway-common';
import { AllowedHost, HostPattern } from './hosts';
import {
  chainRoot,
  coversHost,
  describeCertificate,
  isSelfSigned,
  notAfterOf,
  notBeforeOf,
  parsePemBundle,
} from './x509';

export interface TlsProbeTarget extends HostPort {
  sources: TlsHostSource[];
}

/** A probe's view and the chain it saw, parsed (for the shared-root check). */
export interface TlsProbeOutcome {
  view: TlsProbeView;
  chain: X509Certificate[];
}

/** What one handshake saw, before it is judged against thresholds and time. */
interface Handshake {
  checkedAt: number;
  protocol?: string;
  cipher?: string;
  /** Node's (OpenSSL's) verification error, when the chain did not verify. */
  authorizationError?: string;
  chain: X509Certificate[];
  /** The trust anchors the chain was verified against. */
  anchors: X509Certificate[];
}

const KIND_BY_CODE: Record<string, TlsVerificationErrorKind> = {
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not-yet-valid',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'unknown-ca',
  UNABLE_TO_GET_ISSUER_CERT: 'unknown-ca',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown-ca',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unknown-ca',
  ERR_TLS_CERT_ALTNAME_INVALID: 'wrong-host',
};

const MESSAGES: Record<TlsVerificationErrorKind, string> = {
  expired: 'the certificate has expired',
  'not-yet-valid': 'the certificate is not valid yet',
  'self-signed': 'the certificate is self-signed',
  'unknown-ca': 'the chain does not lead to a trusted CA',
  'wrong-host': 'the certificate does not cover the host name',
  other: 'the certificate did not verify',
};

const REJECTING: TlsVerificationErrorKind[] = [
  'self-signed',
  'unknown-ca',
  'wrong-host',
  'other',
];

/** A counting semaphore: at most `limit` handshakes at once. */
class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit)
      await new Promise<void>(resolve => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * Checks the certificate a public host really serves: a TLS handshake with SNI, made only to
 * hosts that match `allowedHosts` (anything else is reported as not probed, and no connection
 * is made). `connectTo` (config only) sends the handshake for a host to another address, as the
 * sandbox needs. Handshakes are cached per host and port; failures are not.
 */
export class TlsProber {
  private readonly allowed: AllowedHost[];
  private readonly connectTo: {
    host: HostPattern;
    address: string;
    port?: number;
  }[];
  private readonly handshakes: TtlMemo<Handshake>;
  private readonly limiter: Limiter;
  private systemRoots?: X509Certificate[];
  private bundle?: {
    mtimeMs: number;
    pem: string;
    certificates: X509Certificate[];
  };

  constructor(private readonly config: TlsProbeConfig) {
    this.allowed = config.allowedHosts.map(entry => new AllowedHost(entry));
    this.connectTo = config.connectTo.map(rule => ({
      ...rule,
      host: new HostPattern(rule.host),
    }));
    this.handshakes = new TtlMemo(config.cacheSeconds * 1000);
    this.limiter = new Limiter(config.concurrency);
  }

  get configured(): boolean {
    return this.allowed.length > 0;
  }

  isAllowed(target: HostPort): boolean {
    return this.allowed.some(a => a.allows(target));
  }

  async probeAll(
    targets: TlsProbeTarget[],
    thresholds: CertificateThresholds,
    now: number,
  ): Promise<TlsProbeOutcome[]> {
    const max = this.config.maxHostsPerEntity;
    let allowed = 0;
    return Promise.all(
      targets.map(async (target): Promise<TlsProbeOutcome> => {
        const base = {
          host: target.host,
          port: target.port,
          sources: target.sources,
          errors: [],
          chain: [],
        };
        if (!this.isAllowed(target)) {
          const why =
            this.allowed.length === 0
              ? ' (meshGateway.certificates.probe.allowedHosts is empty)'
              : '';
          return {
            view: {
              ...base,
              outcome: 'not-allowed',
              reason: `not probed: not allowed${why}`,
              health: 'error',
            },
            chain: [],
          };
        }
        if (++allowed > max) {
          return {
            view: {
              ...base,
              outcome: 'skipped',
              reason: `not probed: more than ${max} hosts`,
              health: 'error',
            },
            chain: [],
          };
        }
        return this.probe(target, thresholds, now);
      }),
    );
  }

  private async probe(
    target: TlsProbeTarget,
    thresholds: CertificateThresholds,
    now: number,
  ): Promise<TlsProbeOutcome> {
    const base = {
      host: target.host,
      port: target.port,
      sources: target.sources,
    };
    let handshake: Handshake;
    try {
      handshake = await this.handshakes.get(
        `${target.host}:${target.port}`,
        () => this.limiter.run(() => this.handshake(target)),
      );
    } catch (error) {
      return {
        view: {
          ...base,
          outcome: 'failed',
          reason: (error as Error).message,
          errors: [],
          chain: [],
          health: 'error',
        },
        chain: [],
      };
    }
    const [leaf] = handshake.chain;
    const errors: TlsVerificationError[] = [];
    const add = (kind: TlsVerificationErrorKind, code: string) => {
      if (!errors.some(e => e.kind === kind))
        errors.push({ kind, code, message: MESSAGES[kind] });
    };
    if (handshake.authorizationError) {
      add(
        KIND_BY_CODE[handshake.authorizationError] ?? 'other',
        handshake.authorizationError,
      );
    }
    // OpenSSL reports one error; the others are checked here so that none hides another.
    const hostnameMatches = coversHost(leaf, target.host);
    if (!hostnameMatches) add('wrong-host', 'ERR_TLS_CERT_ALTNAME_INVALID');
    if (notAfterOf(leaf).getTime() <= now) add('expired', 'CERT_HAS_EXPIRED');
    if (notBeforeOf(leaf).getTime() > now)
      add('not-yet-valid', 'CERT_NOT_YET_VALID');
    if (!chainRoot(handshake.chain, handshake.anchors)) {
      if (handshake.chain.length === 1 && isSelfSigned(leaf))
        add('self-signed', 'DEPTH_ZERO_SELF_SIGNED_CERT');
      else add('unknown-ca', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    }
    const verdict = certificateHealth(
      {
        notAfter: notAfterOf(leaf),
        notBefore: notBeforeOf(leaf),
        rejected: errors.some(e => REJECTING.includes(e.kind)),
      },
      thresholds,
      now,
    );
    return {
      view: {
        ...base,
        outcome: 'probed',
        checkedAt: new Date(handshake.checkedAt).toISOString(),
        protocol: handshake.protocol,
        cipher: handshake.cipher,
        trusted: errors.length === 0,
        hostnameMatches,
        errors,
        chain: handshake.chain.map(describeCertificate),
        daysLeft: verdict.daysLeft,
        health: verdict.health,
      },
      chain: handshake.chain,
    };
  }

  /** Where the handshake for `target` goes: the host itself, or a `connectTo` address from config. */
  private destination(target: HostPort): { address: string; port: number } {
    const rule = this.connectTo.find(r => r.host.matches(target.host));
    return rule
      ? { address: rule.address, port: rule.port ?? target.port }
      : { address: target.host, port: target.port };
  }

  private async handshake(target: HostPort): Promise<Handshake> {
    // The allow list is checked again right before connecting: no path reaches a socket without it.
    if (!this.isAllowed(target)) throw new Error(`not probed: not allowed`);
    const anchors = await this.trustAnchors();
    const { address, port } = this.destination(target);
    const timeoutMs = this.config.timeoutMs;
    const where = `${target.host}:${target.port}`;
    return new Promise<Handshake>((resolve, reject) => {
      const socket = tls.connect({
        host: address,
        port,
        servername: target.host,
        ca: this.bundle
          ? [...tls.rootCertificates, this.bundle.pem]
          : undefined,
        rejectUnauthorized: false,
      });
      let timer: NodeJS.Timeout | undefined = undefined;
      let settled = false;
      const finish = (error?: Error, value?: Handshake) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        if (error) reject(error);
        else resolve(value!);
      };
      timer = setTimeout(
        () =>
          finish(
            new Error(`${where}: no TLS handshake within ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
      socket.once('secureConnect', () => {
        try {
          // getPeerCertificate first: once getPeerX509Certificate has been called, Node 20 returns {}.
          const chain = peerChain(socket.getPeerCertificate(true));
          if (chain.length === 0)
            throw new Error('the server sent no certificate');
          finish(undefined, {
            checkedAt: Date.now(),
            protocol: socket.getProtocol() ?? undefined,
            cipher: socket.getCipher()?.name,
            authorizationError: socket.authorizationError
              ? String(socket.authorizationError)
              : undefined,
            chain,
            anchors,
          });
        } catch (error) {
          finish(new Error(`${where}: ${(error as Error).message}`));
        }
      });
      socket.once('error', (error: NodeJS.ErrnoException) =>
        finish(
          new Error(
            `${where}: ${describeSocketError(error)}${error.code ? ` (${error.code})` : ''}`,
          ),
        ),
      );
    });
  }

  /** The system's roots and the configured CA bundle, re-read when the bundle file changes. */
  private async trustAnchors(): Promise<X509Certificate[]> {
    this.systemRoots ??= tls.rootCertificates.map(
      pem => new X509Certificate(pem),
    );
    const file = this.config.caBundleFile;
    if (!file) return this.systemRoots;
    let mtimeMs: number;
    try {
      mtimeMs = (await stat(file)).mtimeMs;
      if (!this.bundle || this.bundle.mtimeMs !== mtimeMs) {
        const pem = await readFile(file, 'utf8');
        this.bundle = { mtimeMs, pem, certificates: parsePemBundle(pem) };
      }
    } catch (error) {
      throw new Error(
        `the CA bundle meshGateway.certificates.probe.caBundleFile cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
      );
    }
    return [...this.systemRoots, ...this.bundle.certificates];
  }
}

function describeSocketError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'ECONNRESET':
      return 'connection reset during the handshake';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to the host';
    default:
      return error.message;
  }
}

/** The chain Node saw, leaf first, following `issuerCertificate` until it points at itself. */
function peerChain(peer: tls.DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  for (
    let current: tls.DetailedPeerCertificate | undefined = peer;
    current?.raw;
    current = current.issuerCertificate
  ) {
    if (seen.has(current.fingerprint256)) break;
    seen.add(current.fingerprint256);
    chain.push(new X509Certificate(current.raw));
    if (current.issuerCertificate === current) break;
  }
  return chain;
}
