import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import type { CertificateDetails } from '@internal/plugin-mesh-gateway-common';

const PEM_CERTIFICATE =
  /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;

/** Every certificate in a PEM bundle, in order; throws when a block does not parse or none is found. */
export function parsePemBundle(pem: string): X509Certificate[] {
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    throw new Error('no PEM certificate found');
  }
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (error) {
      throw new Error(
        `certificate ${i + 1} of the bundle does not parse (${(error as Error).message})`,
      );
    }
  });
}

function commonNameOf(distinguishedName: string): string | undefined {
  return /^CN=(.*)$/m.exec(distinguishedName)?.[1];
}

/** Splits Node's `subjectAltName` ("DNS:a, DNS:b"; values with a comma are quoted). */
function splitAltNames(value: string | undefined): string[] {
  if (!value) return [];
  const names: string[] = [];
  const pattern = /(?:^|, )([A-Za-z ]+:(?:"(?:[^"\\]|\\.)*"|[^,]*))/g;
  for (const match of value.matchAll(pattern)) names.push(match[1]);
  return names;
}

/** Signed by its own key under its own name (`checkIssued` would also ask for keyCertSign, which a self-signed leaf lacks). */
export function isSelfSigned(certificate: X509Certificate): boolean {
  return (
    certificate.subject === certificate.issuer &&
    certificate.verify(certificate.publicKey)
  );
}

/** `issuer` signed `certificate`: names match and the signature verifies. */
export function isIssuedBy(
  certificate: X509Certificate,
  issuer: X509Certificate,
): boolean {
  return (
    Boolean(certificate.checkIssued(issuer)) &&
    certificate.verify(issuer.publicKey)
  );
}

export function notAfterOf(certificate: X509Certificate): Date {
  return new Date(Date.parse(certificate.validTo));
}

export function notBeforeOf(certificate: X509Certificate): Date {
  return new Date(Date.parse(certificate.validFrom));
}

/** What the page shows of a certificate; the public key and the raw bytes stay behind. */
export function describeCertificate(
  certificate: X509Certificate,
): CertificateDetails {
  const subjectAltNames = splitAltNames(certificate.subjectAltName);
  return {
    subject: certificate.subject,
    commonName: commonNameOf(certificate.subject),
    subjectAltNames,
    dnsNames: subjectAltNames
      .filter(n => n.startsWith('DNS:'))
      .map(n => n.slice(4)),
    issuer: certificate.issuer,
    issuerCommonName: commonNameOf(certificate.issuer),
    serialNumber: certificate.serialNumber,
    notBefore: notBeforeOf(certificate).toISOString(),
    notAfter: notAfterOf(certificate).toISOString(),
    fingerprintSha256: certificate.fingerprint256,
    isCA: certificate.ca,
    selfSigned: isSelfSigned(certificate),
    keyType: certificate.publicKey.asymmetricKeyType,
  };
}

/** Whether the certificate is valid for `host`, by the rules TLS clients use (`tls.checkServerIdentity`). */
export function coversHost(
  certificate: X509Certificate,
  host: string,
): boolean {
  return (
    tls.checkServerIdentity(host, certificate.toLegacyObject()) === undefined
  );
}

/**
 * The root among `roots` a chain (leaf first) reaches: a certificate of the chain is that root,
 * or was signed by it. Undefined when the chain reaches none of them.
 */
export function chainRoot(
  chain: X509Certificate[],
  roots: X509Certificate[],
): X509Certificate | undefined {
  for (const certificate of [...chain].reverse()) {
    const root =
      roots.find(r => r.fingerprint256 === certificate.fingerprint256) ??
      roots.find(r => isIssuedBy(certificate, r));
    if (root) return root;
  }
  return undefined;
}
