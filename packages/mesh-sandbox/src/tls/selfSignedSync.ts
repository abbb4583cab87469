import {
  createHash,
  generateKeyPairSync,
  KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';

/*
 * A small synchronous X.509 builder for one job: a self-signed EC P-256 certificate made in the
 * same tick it is asked for. `@peculiar/x509` (see certificates.ts) is asynchronous, because Web
 * Crypto is; values that must exist when a module loads (the ADR dataset's edge certificate,
 * `ADR_KONG_SECRETS`) are made here instead. The key comes from `generateKeyPairSync`, the
 * signature from `crypto.sign`; only the DER of the TBSCertificate is written by hand.
 */

/** @public */
export interface SelfSignedCertificateSyncOptions {
  commonName: string;
  organization?: string;
  /** Subject alternative names (dNSName). */
  dnsNames: string[];
  notBefore: Date;
  notAfter: Date;
  /** basicConstraints CA:TRUE (critical), as `openssl req -x509` makes by default. Default true. */
  ca?: boolean;
}

/** @public */
export interface SelfSignedCertificateSync {
  /** The certificate (PEM). */
  certPem: string;
  /** PKCS#8 private key (PEM). */
  keyPem: string;
  notBefore: Date;
  notAfter: Date;
}

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) {
    bytes.unshift(rest % 256);
  }
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const sequence = (...content: Buffer[]) => tlv(0x30, ...content);
const set = (...content: Buffer[]) => tlv(0x31, ...content);
const octetString = (content: Buffer) => tlv(0x04, content);
const bitString = (content: Buffer) => tlv(0x03, Buffer.from([0]), content);
const utf8String = (value: string) => tlv(0x0c, Buffer.from(value, 'utf8'));
const booleanTrue = () => tlv(0x01, Buffer.from([0xff]));

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes: number[] = [first * 40 + second];
  for (const arc of rest) {
    const base128: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) {
      base128.unshift(0x80 | (v & 0x7f));
    }
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
function time(date: Date): Buffer {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050
    ? tlv(0x17, Buffer.from(digits.slice(2), 'ascii'))
    : tlv(0x18, Buffer.from(digits, 'ascii'));
}

function name(commonName: string, organization?: string): Buffer {
  const rdn = (type: string, value: string) =>
    set(sequence(oid(type), utf8String(value)));
  return sequence(
    rdn('2.5.4.3', commonName),
    ...(organization ? [rdn('2.5.4.10', organization)] : []),
  );
}

function extension(id: string, value: Buffer, critical = false): Buffer {
  return sequence(
    oid(id),
    ...(critical ? [booleanTrue()] : []),
    octetString(value),
  );
}

/** The EC point of the public key: what the key identifier is the SHA-1 of (RFC 5280 4.2.1.2). */
function ecPoint(publicKey: KeyObject): Buffer {
  const jwk = publicKey.export({ format: 'jwk' });
  return Buffer.concat([
    Buffer.from([0x04]),
    Buffer.from(jwk.x!, 'base64url'),
    Buffer.from(jwk.y!, 'base64url'),
  ]);
}

function serialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x40; // positive, and no leading zero byte to trim
  return tlv(0x02, bytes);
}

function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

/** RFC 7468 textual encoding: base64 in lines of 64 between the label's boundaries. */
function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return [
    `-----BEGIN ${label}-----`,
    ...lines,
    `-----END ${label}-----`,
    '',
  ].join('\n');
}

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));

/**
 * Makes a self-signed EC P-256 certificate (ecdsa-with-SHA256; subject and issuer the same;
 * subject and authority key identifiers; basicConstraints; DNS SANs) and its key, synchronously.
 *
 * @public
 */
export function createSelfSignedCertificateSync(
  options: SelfSignedCertificateSyncOptions,
): SelfSignedCertificateSync {
  const { publicKey, privateKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
  });
  const notBefore = wholeSeconds(options.notBefore);
  const notAfter = wholeSeconds(options.notAfter);
  const subject = name(options.commonName, options.organization);
  const keyId = createHash('sha1').update(ecPoint(publicKey)).digest();
  const extensions = [
    extension('2.5.29.14', octetString(keyId)),
    extension('2.5.29.35', sequence(tlv(0x80, keyId))),
    extension(
      '2.5.29.19',
      options.ca === false ? sequence() : sequence(booleanTrue()),
      true,
    ),
    // RFC 5280: no subjectAltName extension rather than an empty one.
    ...(options.dnsNames.length > 0
      ? [
          extension(
            '2.5.29.17',
            sequence(
              ...options.dnsNames.map(dns =>
                tlv(0x82, Buffer.from(dns, 'ascii')),
              ),
            ),
          ),
        ]
      : []),
  ];
  const tbs = sequence(
    tlv(0xa0, tlv(0x02, Buffer.from([2]))), // v3
    serialNumber(),
    ECDSA_WITH_SHA256,
    subject,
    sequence(time(notBefore), time(notAfter)),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
    tlv(0xa3, sequence(...extensions)),
  );
  const signature = sign('sha256', tbs, privateKey); // DER ECDSA-Sig-Value
  const der = sequence(tbs, ECDSA_WITH_SHA256, bitString(signature));
  return {
    certPem: pem('CERTIFICATE', der),
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    notBefore,
    notAfter,
  };
}
