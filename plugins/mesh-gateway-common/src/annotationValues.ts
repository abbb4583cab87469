import { MESH_GATEWAY_ANNOTATIONS } from './annotations';

/**
 * Parsers of the mesh-gateway annotations whose values are host names or object names: one
 * implementation for the backend that reads them and the scaffolder that writes them.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const ISTIO_HOST = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** A host to check and the port to check it on. @public */
export interface HostPort {
  host: string;
  port: number;
}

/**
 * Whether `value` is a DNS host name (lowercase). IP literals are refused, and so is a last label
 * that does not start with a letter: `2130706433` or `0x7f000001` are addresses to a resolver.
 *
 * @public
 */
export function isHostName(value: string): boolean {
  if (value.length === 0 || value.length > 253) return false;
  const labels = value.split('.');
  if (!labels.every(label => DNS_LABEL.test(label))) return false;
  return /^[a-z]/.test(labels[labels.length - 1]);
}

/** Parses `host` or `host:port` (default port 443); throws with the reason when it is neither. @public */
export function parseHostPort(value: string): HostPort {
  const trimmed = value.trim().toLowerCase();
  const match = /^([^:]+)(?::(\d{1,5}))?$/.exec(trimmed);
  if (!match) {
    throw new Error(`"${value}" is not host or host:port`);
  }
  const [, host, portText] = match;
  if (!isHostName(host)) {
    throw new Error(`"${value}": "${host}" is not a DNS host name`);
  }
  const port = portText === undefined ? 443 : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`"${value}": port ${portText} is out of range`);
  }
  return { host, port };
}

/** Parses a comma-separated list of `host[:port]` (`mesh-gateway.io/tls-hosts`), without duplicates. @public */
export function parseHostList(value: string): HostPort[] {
  const hosts: HostPort[] = [];
  for (const item of value
    .split(',')
    .map(s => s.trim())
    .filter(Boolean)) {
    const parsed = parseHostPort(item);
    if (!hosts.some(h => h.host === parsed.host && h.port === parsed.port)) hosts.push(parsed);
  }
  return hosts;
}

/** Parses `name` or `namespace/name` items of `mesh-gateway.io/certificates`. @public */
export function parseCertificateNames(
  value: string,
  defaultNamespace: string,
): { namespace: string; name: string }[] {
  return value
    .split(',')
    .map(item => item.trim())
    .filter(Boolean)
    .map(item => {
      const parts = item.split('/');
      const [namespace, name] = parts.length === 2 ? parts : [defaultNamespace, parts[0]];
      if (parts.length > 2 || !DNS_LABEL.test(namespace) || !DNS_SUBDOMAIN.test(name) || name.length > 253) {
        throw new Error(`"${item}" is not name or namespace/name of a Certificate`);
      }
      return { namespace, name };
    });
}

/** Checks `mesh-gateway.io/istio-host`; throws naming the annotation when it is not a host name. @public */
export function parseIstioHost(value: string): string {
  if (!ISTIO_HOST.test(value)) {
    throw new Error(`${MESH_GATEWAY_ANNOTATIONS.istioHost}: "${value.slice(0, 64)}" is not a host name`);
  }
  return value;
}
