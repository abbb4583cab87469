import { createPrivateKey, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { createSelfSignedCertificateSync } from './selfSignedSync';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('createSelfSignedCertificateSync', () => {
  it('makes a self-signed EC P-256 certificate and its key that node:crypto and @peculiar/x509 read', async () => {
    const now = Date.now();
    const made = createSelfSignedCertificateSync({
      commonName: 'api.parallel-ai.example.com',
      organization: 'mesh-sandbox',
      dnsNames: ['api.parallel-ai.example.com', '*.parallel-ai.example.com'],
      notBefore: new Date(now - DAY_MS + 123),
      notAfter: new Date(now + 10 * DAY_MS),
    });
    const certificate = new X509Certificate(made.certPem);
    expect(certificate.subject).toBe(
      'CN=api.parallel-ai.example.com\nO=mesh-sandbox',
    );
    expect(certificate.issuer).toBe(certificate.subject);
    expect(certificate.subjectAltName).toBe(
      'DNS:api.parallel-ai.example.com, DNS:*.parallel-ai.example.com',
    );
    expect(certificate.ca).toBe(true);
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.checkPrivateKey(createPrivateKey(made.keyPem))).toBe(
      true,
    );
    expect(certificate.publicKey.asymmetricKeyDetails).toEqual({
      namedCurve: 'prime256v1',
    });
    // Whole seconds, as X.509 stores them.
    expect(new Date(certificate.validFrom).getTime()).toBe(
      made.notBefore.getTime(),
    );
    expect(made.notBefore.getTime() % 1000).toBe(0);
    expect(new Date(certificate.validTo).getTime()).toBe(
      made.notAfter.getTime(),
    );

    const parsed = new x509.X509Certificate(made.certPem);
    expect(await parsed.isSelfSigned()).toBe(true);
    const ski = parsed.getExtension(x509.SubjectKeyIdentifierExtension)!;
    const aki = parsed.getExtension(x509.AuthorityKeyIdentifierExtension)!;
    expect(ski.keyId).toMatch(/^[0-9a-f]{40}$/);
    expect(aki.keyId).toBe(ski.keyId);
    expect(parsed.getExtension(x509.BasicConstraintsExtension)).toMatchObject({
      ca: true,
      critical: true,
    });
  });

  it('writes GeneralizedTime from 2050, long SAN lists, and leaf certificates', () => {
    const dnsNames = Array.from(
      { length: 40 },
      (_, i) => `host-${i}.example.com`,
    );
    const made = createSelfSignedCertificateSync({
      commonName: 'leaf.example.com',
      dnsNames,
      notBefore: new Date('2049-12-31T23:59:59Z'),
      notAfter: new Date('2051-06-01T00:00:00Z'),
      ca: false,
    });
    const certificate = new X509Certificate(made.certPem);
    expect(certificate.subject).toBe('CN=leaf.example.com');
    expect(certificate.ca).toBe(false);
    expect(certificate.subjectAltName!.split(', ')).toHaveLength(40);
    expect(new Date(certificate.validFrom).toISOString()).toBe(
      '2049-12-31T23:59:59.000Z',
    );
    expect(new Date(certificate.validTo).toISOString()).toBe(
      '2051-06-01T00:00:00.000Z',
    );
    expect(certificate.verify(certificate.publicKey)).toBe(true);
  });

  it('makes a new key and serial number every time', () => {
    const options = {
      commonName: 'a.example.com',
      dnsNames: ['a.example.com'],
      notBefore: new Date(),
      notAfter: new Date(Date.now() + DAY_MS),
    };
    const [a, b] = [
      createSelfSignedCertificateSync(options),
      createSelfSignedCertificateSync(options),
    ];
    expect(a.keyPem).not.toBe(b.keyPem);
    expect(new X509Certificate(a.certPem).serialNumber).not.toBe(
      new X509Certificate(b.certPem).serialNumber,
    );
  });
});
