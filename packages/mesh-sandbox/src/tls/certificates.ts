import { randomBytes, webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALGORITHM = {
  name: 'ECDSA',
  namedCurve: 'P-256',
  hash: 'SHA-256',
} as const;

/**
 * A certificate made by the sandbox, with its private key. Nothing here is ever written to the
 * repository: keys exist in memory from the moment the sandbox (or a test) makes them.
 *
 * @public
 */
export interface GeneratedCertificate {
  /** This certificate alone (PEM). */
  certPem: string;
  /** This certificate followed by its intermediates, without the root: what a server sends. */
  chainPem: string;
  /** PKCS#8 private key (PEM). */
  keyPem: string;
  /** The certificate as `node:crypto` reads it. */
  x509: X509Certificate;
  notBefore: Date;
  notAfter: Date;
  dnsNames: string[];
}

/** @public */
export interface GeneratedCertificateAuthority extends GeneratedCertificate {
  readonly keys: CryptoKeyPair;
  readonly certificate: x509.X509Certificate;
  /** The CA that signed this one; absent for a root. */
  readonly issuer?: GeneratedCertificateAuthority;
}

/** X.509 stores whole seconds; dates are cut to seconds so that what is stored equals what was asked. */
function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f; // positive INTEGER
  return bytes.toString('hex');
}

function distinguishedName(commonName: string, organization?: string) {
  const escape = (value: string) => value.replace(/([,+"\\<>;=])/g, '\\$1');
  return `CN=${escape(commonName)}${organization ? `, O=${escape(organization)}` : ''}`;
}

async function keyPem(keys: CryptoKeyPair): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey(
    'pkcs8',
    keys.privateKey as webcrypto.CryptoKey,
  );
  return x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHM, true, [
    'sign',
    'verify',
  ])) as unknown as CryptoKeyPair;
}

function pem(certificate: x509.X509Certificate): string {
  return `${certificate.toString('pem')}\n`;
}

/** @public */
export interface CertificateAuthorityOptions {
  commonName: string;
  organization?: string;
  notBefore: Date;
  notAfter: Date;
  /** Signs the new CA; without it the CA is a self-signed root. */
  issuer?: GeneratedCertificateAuthority;
}

/**
 * Makes a CA certificate (EC P-256, basicConstraints CA, keyCertSign): a root, or an
 * intermediate when `issuer` is given.
 *
 * @public
 */
export async function createCertificateAuthority(
  options: CertificateAuthorityOptions,
): Promise<GeneratedCertificateAuthority> {
  const keys = await generateKeys();
  const notBefore = wholeSeconds(options.notBefore);
  const notAfter = wholeSeconds(options.notAfter);
  const name = distinguishedName(options.commonName, options.organization);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(
      true,
      options.issuer ? 0 : undefined,
      true,
    ),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
      true,
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  let certificate: x509.X509Certificate;
  if (options.issuer) {
    extensions.push(
      await x509.AuthorityKeyIdentifierExtension.create(
        options.issuer.certificate,
      ),
    );
    certificate = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: name,
      issuer: options.issuer.certificate.subject,
      notBefore,
      notAfter,
      signingAlgorithm: ALGORITHM,
      publicKey: keys.publicKey,
      signingKey: options.issuer.keys.privateKey,
      extensions,
    });
  } else {
    certificate = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serialNumber(),
      name,
      notBefore,
      notAfter,
      signingAlgorithm: ALGORITHM,
      keys,
      extensions,
    });
  }
  const certPem = pem(certificate);
  return {
    certPem,
    chainPem: certPem + (options.issuer ? intermediatesOf(options.issuer) : ''),
    keyPem: await keyPem(keys),
    x509: new X509Certificate(certPem),
    notBefore,
    notAfter,
    dnsNames: [],
    keys,
    certificate,
    issuer: options.issuer,
  };
}

/** @public */
export interface ServerCertificateOptions {
  /** Subject alternative names; the first is also the common name unless `commonName` is set. */
  dnsNames: string[];
  commonName?: string;
  organization?: string;
  notBefore: Date;
  notAfter: Date;
  /** Signs the certificate; without it the certificate is self-signed. */
  issuer?: GeneratedCertificateAuthority;
}

/**
 * Makes a TLS server certificate (EC P-256, serverAuth, DNS SANs), signed by `issuer` or
 * self-signed. `chainPem` is the leaf and the issuer's intermediates, as a server sends them.
 *
 * @public
 */
export async function createServerCertificate(
  options: ServerCertificateOptions,
): Promise<GeneratedCertificate> {
  const keys = await generateKeys();
  const notBefore = wholeSeconds(options.notBefore);
  const notAfter = wholeSeconds(options.notAfter);
  const name = distinguishedName(
    options.commonName ?? options.dnsNames[0],
    options.organization,
  );
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension(
      options.dnsNames.map(value => ({ type: 'dns' as const, value })),
    ),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  let certificate: x509.X509Certificate;
  if (options.issuer) {
    extensions.push(
      await x509.AuthorityKeyIdentifierExtension.create(
        options.issuer.certificate,
      ),
    );
    certificate = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: name,
      issuer: options.issuer.certificate.subject,
      notBefore,
      notAfter,
      signingAlgorithm: ALGORITHM,
      publicKey: keys.publicKey,
      signingKey: options.issuer.keys.privateKey,
      extensions,
    });
  } else {
    certificate = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serialNumber(),
      name,
      notBefore,
      notAfter,
      signingAlgorithm: ALGORITHM,
      keys,
      extensions,
    });
  }
  const certPem = pem(certificate);
  return {
    certPem,
    chainPem: certPem + (options.issuer ? intermediatesOf(options.issuer) : ''),
    keyPem: await keyPem(keys),
    x509: new X509Certificate(certPem),
    notBefore,
    notAfter,
    dnsNames: [...options.dnsNames],
  };
}

/** The CA and the CAs above it, without the root: the intermediates a server sends. */
function intermediatesOf(ca: GeneratedCertificateAuthority): string {
  return ca.issuer ? ca.certPem + intermediatesOf(ca.issuer) : '';
}
