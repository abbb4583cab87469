import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import {
  buildAdrKongDataset,
  ADR_EDGE_HOST,
  ADR_KONG_SECRETS,
} from '../kong/adrDataset';
import { startKongAdminServer } from '../kong/server';
import { httpGet } from '../testing/httpGet';
import { withTlsSandboxCertificates } from './kong';
import {
  startTlsSandbox,
  TlsSandbox,
  TLS_SANDBOX_HOSTS,
  TLS_SANDBOX_WRONG_HOST_NAME,
} from './tlsSandbox';

const DAY_MS = 24 * 60 * 60 * 1000;

interface Handshake {
  authorized: boolean;
  authorizationError?: string;
  leaf: X509Certificate;
  chainLength: number;
}

/** A TLS handshake as any client makes it: SNI, the sandbox root as the only trust anchor. */
function handshake(
  port: number,
  servername: string,
  ca: string,
): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      {
        host: '127.0.0.1',
        port,
        servername,
        ca: [ca],
        rejectUnauthorized: false,
      },
      () => {
        // getPeerCertificate before anything else: after getPeerX509Certificate Node 20 returns {}.
        const peer = socket.getPeerCertificate(true);
        let chainLength = 0;
        for (
          let c: tls.DetailedPeerCertificate | undefined = peer;
          c && chainLength < 10;
          c = c.issuerCertificate === c ? undefined : c.issuerCertificate
        ) {
          chainLength++;
        }
        resolve({
          authorized: socket.authorized,
          authorizationError: socket.authorizationError?.toString(),
          leaf: new X509Certificate(peer.raw),
          chainLength,
        });
        socket.end();
      },
    );
    socket.on('error', reject);
  });
}

describe('startTlsSandbox', () => {
  let sandbox: TlsSandbox;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tls-sandbox-'));
    sandbox = await startTlsSandbox({
      port: 0,
      caFile: path.join(dir, 'ca', 'root.pem'),
    });
  });
  afterAll(async () => {
    await sandbox.close();
    await rm(dir, { recursive: true, force: true });
  });

  const scenarioHost = (scenario: string) =>
    TLS_SANDBOX_HOSTS.find(h => h.scenario === scenario)!.host;

  it('maps every host to the one loopback listener and writes the root CA file', async () => {
    expect(Object.keys(sandbox.endpoints).sort()).toEqual(
      TLS_SANDBOX_HOSTS.map(h => h.host).sort(),
    );
    for (const address of Object.values(sandbox.endpoints)) {
      expect(address).toBe(`127.0.0.1:${sandbox.port}`);
    }
    expect(await readFile(sandbox.caFile!, 'utf8')).toBe(
      sandbox.caCertificatePem,
    );
  });

  it('serves a valid certificate, chained through the issuing CA to the root', async () => {
    const result = await handshake(
      sandbox.port,
      scenarioHost('valid'),
      sandbox.caCertificatePem,
    );
    expect(result).toMatchObject({ authorized: true });
    expect(result.leaf.subjectAltName).toBe(`DNS:${scenarioHost('valid')}`);
    // leaf, issuing CA, root (the root completed from the trust store)
    expect(result.chainLength).toBe(3);
    const root = new X509Certificate(sandbox.caCertificatePem);
    const issuing = new X509Certificate(sandbox.material.issuingCa.certPem);
    expect(
      result.leaf.checkIssued(issuing) && result.leaf.verify(issuing.publicKey),
    ).toBe(true);
    expect(issuing.checkIssued(root) && issuing.verify(root.publicKey)).toBe(
      true,
    );
  });

  it('serves one certificate expiring in 10 days, one expired and one for another name', async () => {
    const expiring = await handshake(
      sandbox.port,
      scenarioHost('expiring'),
      sandbox.caCertificatePem,
    );
    expect(expiring.authorized).toBe(true);
    const daysLeft = Math.floor(
      (Date.parse(expiring.leaf.validTo) - Date.now()) / DAY_MS,
    );
    expect(daysLeft).toBe(10);

    const expired = await handshake(
      sandbox.port,
      scenarioHost('expired'),
      sandbox.caCertificatePem,
    );
    expect(expired).toMatchObject({
      authorized: false,
      authorizationError: 'CERT_HAS_EXPIRED',
    });

    const wrongHost = await handshake(
      sandbox.port,
      scenarioHost('wrong-host'),
      sandbox.caCertificatePem,
    );
    expect(wrongHost).toMatchObject({
      authorized: false,
      authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
    expect(wrongHost.leaf.subjectAltName).toBe(
      `DNS:${TLS_SANDBOX_WRONG_HOST_NAME}`,
    );
  });

  it('answers an unknown name with the self-signed default certificate, as Kong does', async () => {
    const result = await handshake(
      sandbox.port,
      'unknown.example.com',
      sandbox.caCertificatePem,
    );
    expect(result.authorized).toBe(false);
    expect(result.leaf.subject).toContain('CN=localhost');
    expect(result.leaf.fingerprint256).toBe(
      sandbox.material.defaultCertificate.x509.fingerprint256,
    );
  });

  it('counts accepted connections', async () => {
    const before = sandbox.acceptedConnections();
    await handshake(
      sandbox.port,
      scenarioHost('valid'),
      sandbox.caCertificatePem,
    );
    expect(sandbox.acceptedConnections()).toBe(before + 1);
  });

  it('gives Kong the served certificates, replacing the ADR certificate of the edge host', async () => {
    const adr = buildAdrKongDataset();
    const dataset = withTlsSandboxCertificates(adr, sandbox.material);
    expect(dataset.snis.map(s => s.name).sort()).toEqual(
      TLS_SANDBOX_HOSTS.map(h => h.host).sort(),
    );
    expect(dataset.certificates).toHaveLength(TLS_SANDBOX_HOSTS.length);
    expect(JSON.stringify(dataset)).not.toContain(
      ADR_KONG_SECRETS.certificatePrivateKey.split('\n')[1],
    );
    // Everything else of the ADR dataset stays.
    expect(dataset.services).toEqual(adr.services);
    expect(dataset.routes).toEqual(adr.routes);

    const kong = await startKongAdminServer({ port: 0, dataset });
    try {
      const sni = await httpGet(kong.url, `/snis/${ADR_EDGE_HOST}`);
      expect(sni.status).toBe(200);
      const certificate = await httpGet(
        kong.url,
        `/certificates/${sni.body.certificate.id}`,
      );
      const served = sandbox.material.hosts.find(
        h => h.host === ADR_EDGE_HOST,
      )!.served;
      expect(certificate.body.cert).toBe(served.chainPem);
      expect(certificate.body.key).toBe(served.keyPem);
      expect(certificate.body.snis).toEqual([ADR_EDGE_HOST]);
    } finally {
      await kong.close();
    }
  });
});
