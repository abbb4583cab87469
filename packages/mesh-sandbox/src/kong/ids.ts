import { createHash } from 'node:crypto';

/** Namespace of every id the sandbox derives (a fixed random UUID). */
const SANDBOX_NAMESPACE = '6f1f4a4e-3c1a-4b8e-9a51-4a1d2b8f7c30';

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

function formatUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** RFC 4122 version 5 UUID (SHA-1 of namespace + name). */
const SANDBOX_NAMESPACE_BYTES = uuidBytes(SANDBOX_NAMESPACE);

export function uuidV5(
  name: string,
  namespace: string = SANDBOX_NAMESPACE,
): string {
  const hash = createHash('sha1')
    .update(
      namespace === SANDBOX_NAMESPACE
        ? SANDBOX_NAMESPACE_BYTES
        : uuidBytes(namespace),
    )
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  return formatUuid(hash);
}

/** The UUID check of Kong's `utils.is_valid_uuid` (any version, case-insensitive). */
const UUID_PATTERN =
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
