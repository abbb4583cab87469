import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, Server as NetServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import {
  createCertificateAuthority,
  createServerCertificate,
  GeneratedCertificate,
  GeneratedCertificateAuthority,
} from '@internal/mesh-sandbox';
import type { TlsProbeConfig } from './config';
import { TlsProber, TlsProbeTarget } from './tlsProbe';

const DAY = 24 * 60 * 60 * 1000;
const thresholds = { warningDays: 30, criticalDays: 7 };

/** A TLS server on loopback serving one certificate, counting the connections it accepts. */
async function serve(
  certificate: GeneratedCertificate,
): Promise<{
  port: number;
  accepted: () => number;
  close: () => Promise<void>;
}> {
  const server = tls.createServer(
    { cert: certificate.chainPem, key: certificate.keyPem },
    socket => {
      socket.on('error', () => {});
      socket.end();
    },
  );
  server.on('tlsClientError', () => {});
  return listen(server);
}

/** Listens on a free loopback port; `close` also ends the connections still open. */
async function listen(server: NetServer) {
  let accepted = 0;
  const sockets = new Set<Socket>();
  server.on('connection', socket => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    accepted: () => accepted,
    close: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function probeConfig(overrides: Partial<TlsProbeConfig>): TlsProbeConfig {
  return {
    allowedHosts: [],
    timeoutMs: 2000,
    cacheSeconds: 300,
    concurrency: 4,
    maxHostsPerEntity: 20,
    connectTo: [],
    ...overrides,
  };
}

const target = (host: string, port = 443): TlsProbeTarget => ({
  host,
  port,
  sources: ['annotation'],
});

describe('TlsProber against real TLS servers', () => {
  let dir: string;
  let caFile: string;
  let root: GeneratedCertificateAuthority;
  let issuing: GeneratedCertificateAuthority;
  let otherRoot: GeneratedCertificateAuthority;
  const servers: { close(): Promise<void> }[] = [];
  const now = Date.now();
  const at = (days: number) => new Date(now + days * DAY);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tls-probe-'));
    root = await createCertificateAuthority({
      commonName: 'Test Root',
      notBefore: at(-400),
      notAfter: at(3650),
    });
    issuing = await createCertificateAuthority({
      commonName: 'Test Issuing CA',
      notBefore: at(-400),
      notAfter: at(1000),
      issuer: root,
    });
    otherRoot = await createCertificateAuthority({
      commonName: 'Somebody Else Root',
      notBefore: at(-400),
      notAfter: at(3650),
    });
    caFile = path.join(dir, 'ca.pem');
    await writeFile(caFile, root.certPem);
  });
  afterAll(async () => {
    await Promise.all(servers.map(s => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  async function probeOne(
    host: string,
    certificate: GeneratedCertificate,
    extra: Partial<TlsProbeConfig> = {},
  ) {
    const server = await serve(certificate);
    servers.push(server);
    const prober = new TlsProber(
      probeConfig({
        allowedHosts: ['*.example.test'],
        caBundleFile: caFile,
        connectTo: [{ host, address: '127.0.0.1', port: server.port }],
        ...extra,
      }),
    );
    const [outcome] = await prober.probeAll(
      [target(host)],
      thresholds,
      Date.now(),
    );
    return { ...outcome, server, prober };
  }

  it('reports a valid certificate: trusted, hostname matching, chain, protocol, cipher, days left', async () => {
    const leaf = await createServerCertificate({
      dnsNames: ['valid.example.test'],
      notBefore: at(-10),
      notAfter: at(80.5),
      issuer: issuing,
    });
    const { view, chain } = await probeOne('valid.example.test', leaf);
    expect(view).toMatchObject({
      outcome: 'probed',
      trusted: true,
      hostnameMatches: true,
      errors: [],
      daysLeft: 80,
      health: 'ok',
      protocol: 'TLSv1.3',
    });
    expect(view.cipher).toMatch(/^TLS_/);
    expect(view.chain.map(c => c.commonName)).toEqual([
      'valid.example.test',
      'Test Issuing CA',
      'Test Root',
    ]);
    expect(view.chain[0].dnsNames).toEqual(['valid.example.test']);
    expect(view.chain[0].issuerCommonName).toBe('Test Issuing CA');
    expect(view.chain[0].fingerprintSha256).toBe(leaf.x509.fingerprint256);
    expect(chain).toHaveLength(3);
  });

  it('reports a certificate expiring in 12 days as a warning and in 3 days as critical', async () => {
    const soon = await createServerCertificate({
      dnsNames: ['soon.example.test'],
      notBefore: at(-78),
      notAfter: at(12.5),
      issuer: issuing,
    });
    expect((await probeOne('soon.example.test', soon)).view).toMatchObject({
      trusted: true,
      daysLeft: 12,
      health: 'warning',
    });
    const verySoon = await createServerCertificate({
      dnsNames: ['very-soon.example.test'],
      notBefore: at(-87),
      notAfter: at(3.5),
      issuer: issuing,
    });
    expect(
      (await probeOne('very-soon.example.test', verySoon)).view,
    ).toMatchObject({ trusted: true, daysLeft: 3, health: 'critical' });
  });

  it('reports an expired certificate', async () => {
    const leaf = await createServerCertificate({
      dnsNames: ['expired.example.test'],
      notBefore: at(-95),
      notAfter: at(-5.5),
      issuer: issuing,
    });
    const { view } = await probeOne('expired.example.test', leaf);
    expect(view).toMatchObject({
      outcome: 'probed',
      trusted: false,
      hostnameMatches: true,
      health: 'expired',
      daysLeft: -6,
    });
    expect(view.errors).toEqual([
      expect.objectContaining({ kind: 'expired', code: 'CERT_HAS_EXPIRED' }),
    ]);
  });

  it('reports a certificate for another host name', async () => {
    const leaf = await createServerCertificate({
      dnsNames: ['other.example.test'],
      notBefore: at(-10),
      notAfter: at(80),
      issuer: issuing,
    });
    const { view } = await probeOne('wrong.example.test', leaf);
    expect(view).toMatchObject({
      trusted: false,
      hostnameMatches: false,
      health: 'critical',
    });
    expect(view.errors).toEqual([
      expect.objectContaining({
        kind: 'wrong-host',
        code: 'ERR_TLS_CERT_ALTNAME_INVALID',
      }),
    ]);
    expect(view.chain[0].dnsNames).toEqual(['other.example.test']);
  });

  it('reports a chain from a CA the client does not trust', async () => {
    const leaf = await createServerCertificate({
      dnsNames: ['untrusted.example.test'],
      notBefore: at(-10),
      notAfter: at(80),
      issuer: otherRoot,
    });
    const { view } = await probeOne('untrusted.example.test', leaf);
    expect(view).toMatchObject({
      trusted: false,
      hostnameMatches: true,
      health: 'critical',
    });
    expect(view.errors).toEqual([
      expect.objectContaining({ kind: 'unknown-ca' }),
    ]);
    expect(view.chain[0].issuerCommonName).toBe('Somebody Else Root');
  });

  it('reports a self-signed certificate', async () => {
    const leaf = await createServerCertificate({
      dnsNames: ['self.example.test'],
      notBefore: at(-10),
      notAfter: at(80),
    });
    const { view } = await probeOne('self.example.test', leaf);
    expect(view.errors).toEqual([
      expect.objectContaining({
        kind: 'self-signed',
        code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      }),
    ]);
    expect(view.chain[0].selfSigned).toBe(true);
  });

  it('reports every problem of an expired certificate from an unknown CA for another name', async () => {
    const leaf = await createServerCertificate({
      dnsNames: ['elsewhere.example.test'],
      notBefore: at(-95),
      notAfter: at(-2),
      issuer: otherRoot,
    });
    const { view } = await probeOne('all-wrong.example.test', leaf);
    expect(view.errors.map(e => e.kind).sort()).toEqual([
      'expired',
      'unknown-ca',
      'wrong-host',
    ]);
    expect(view.health).toBe('expired');
  });

  it('trusts the CA bundle only when configured', async () => {
    const leaf = await createServerCertificate({
      dnsNames: ['bundle.example.test'],
      notBefore: at(-10),
      notAfter: at(80),
      issuer: issuing,
    });
    const { view } = await probeOne('bundle.example.test', leaf, {
      caBundleFile: undefined,
    });
    expect(view.errors).toEqual([
      expect.objectContaining({ kind: 'unknown-ca' }),
    ]);
  });

  it('caches a handshake: a second probe of the host does not connect again', async () => {
    const leaf = await createServerCertificate({
      dnsNames: ['cached.example.test'],
      notBefore: at(-10),
      notAfter: at(80),
      issuer: issuing,
    });
    const { server, prober } = await probeOne('cached.example.test', leaf);
    expect(server.accepted()).toBe(1);
    const [again] = await prober.probeAll(
      [target('cached.example.test')],
      thresholds,
      Date.now(),
    );
    expect(again.view.outcome).toBe('probed');
    expect(server.accepted()).toBe(1);
  });

  it('reports a refused connection and a server that never completes the handshake', async () => {
    const closed = await serve(
      await createServerCertificate({
        dnsNames: ['x.example.test'],
        notBefore: at(-1),
        notAfter: at(1),
      }),
    );
    await closed.close();
    const silent = await listen(createServer(() => {}));
    servers.push(silent);
    const prober = new TlsProber(
      probeConfig({
        allowedHosts: ['*.example.test'],
        timeoutMs: 200,
        connectTo: [
          {
            host: 'refused.example.test',
            address: '127.0.0.1',
            port: closed.port,
          },
          {
            host: 'silent.example.test',
            address: '127.0.0.1',
            port: silent.port,
          },
        ],
      }),
    );
    const [refused, hanging] = await prober.probeAll(
      [target('refused.example.test'), target('silent.example.test')],
      thresholds,
      Date.now(),
    );
    expect(refused.view).toMatchObject({
      outcome: 'failed',
      health: 'error',
      reason: expect.stringContaining('connection refused (ECONNREFUSED)'),
    });
    expect(hanging.view).toMatchObject({
      outcome: 'failed',
      reason: 'silent.example.test:443: no TLS handshake within 200 ms',
    });
  });

  it('names a CA bundle file it cannot read', async () => {
    const leaf = await createServerCertificate({
      dnsNames: ['nobundle.example.test'],
      notBefore: at(-10),
      notAfter: at(80),
      issuer: issuing,
    });
    const { view } = await probeOne('nobundle.example.test', leaf, {
      caBundleFile: path.join(dir, 'missing.pem'),
    });
    expect(view).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('caBundleFile cannot be read (ENOENT)'),
    });
  });
});

describe('TlsProber allow list', () => {
  let trap: NetServer;
  let trapPort: number;
  let accepted = 0;

  beforeAll(async () => {
    trap = createServer(socket => {
      accepted++;
      socket.destroy();
    });
    await new Promise<void>(resolve => trap.listen(0, '127.0.0.1', resolve));
    trapPort = (trap.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>(resolve => trap.close(() => resolve())));
  beforeEach(() => {
    accepted = 0;
  });

  // Every host would reach the trap if it were probed: only the allow list stands in between.
  const toTrap = () => [{ host: '**', address: '127.0.0.1', port: trapPort }];

  it('connects to no host outside the allow list, whatever the host or port', async () => {
    const prober = new TlsProber(
      probeConfig({ allowedHosts: ['*.allowed.test'], connectTo: toTrap() }),
    );
    const targets = [
      target('evil.example.com'),
      target('localhost', trapPort),
      target('a.b.allowed.test'),
      target('allowed.test'),
      target('api.allowed.test', 8443),
      target('api.allowed.test.evil.com'),
    ];
    const outcomes = await prober.probeAll(targets, thresholds, Date.now());
    expect(outcomes.map(o => o.view.outcome)).toEqual(
      Array(targets.length).fill('not-allowed'),
    );
    expect(
      outcomes.every(o => o.view.reason === 'not probed: not allowed'),
    ).toBe(true);
    expect(accepted).toBe(0);
  });

  it('connects to nothing when the allow list is empty', async () => {
    const prober = new TlsProber(
      probeConfig({ allowedHosts: [], connectTo: toTrap() }),
    );
    const [outcome] = await prober.probeAll(
      [target('api.example.com')],
      thresholds,
      Date.now(),
    );
    expect(outcome.view.reason).toBe(
      'not probed: not allowed (meshGateway.certificates.probe.allowedHosts is empty)',
    );
    expect(accepted).toBe(0);
  });

  it('does connect to an allowed host (the trap counts connections)', async () => {
    const prober = new TlsProber(
      probeConfig({
        allowedHosts: ['*.allowed.test', 'api.allowed.test:8443'],
        connectTo: toTrap(),
        timeoutMs: 1000,
      }),
    );
    const outcomes = await prober.probeAll(
      [target('api.allowed.test'), target('api.allowed.test', 8443)],
      thresholds,
      Date.now(),
    );
    expect(outcomes.map(o => o.view.outcome)).toEqual(['failed', 'failed']);
    expect(accepted).toBe(2);
  });

  it('probes at most maxHostsPerEntity hosts', async () => {
    const prober = new TlsProber(
      probeConfig({
        allowedHosts: ['**'],
        connectTo: toTrap(),
        maxHostsPerEntity: 1,
        timeoutMs: 1000,
      }),
    );
    const outcomes = await prober.probeAll(
      [target('one.example.test'), target('two.example.test')],
      thresholds,
      Date.now(),
    );
    expect(outcomes[1].view).toMatchObject({
      outcome: 'skipped',
      reason: 'not probed: more than 1 hosts',
    });
    expect(accepted).toBe(1);
  });
});
