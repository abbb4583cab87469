/**
 * Host names, host patterns and Kong SNI matching. Nothing here connects anywhere.
 */

import type { HostPort } from '@internal/plugin-mesh-gateway-common';


const PATTERN_LABEL = /^(\*\*|[a-z0-9*]([-a-z0-9*]{0,61}[a-z0-9*])?)$/;

/**
 * A host glob from app-config: `*` stands for one label or part of one (`*.example.com` matches
 * `api.example.com`, not `a.b.example.com`), `**` for one or more labels.
 */
export class HostPattern {
  private readonly regex: RegExp;

  constructor(readonly pattern: string) {
    const labels = pattern.toLowerCase().split('.');
    if (
      pattern.length === 0 ||
      !labels.every(label => PATTERN_LABEL.test(label))
    ) {
      throw new Error(
        `"${pattern}" is not a host pattern (labels of a-z, 0-9, -, * or **)`,
      );
    }
    const source = labels
      .map(label => {
        if (label === '**') return '[a-z0-9-]+(?:\\.[a-z0-9-]+)*';
        if (label === '*') return '[a-z0-9-]+';
        return label
          .split('*')
          .map(part => part.replace(/[-]/g, '\\-'))
          .join('[a-z0-9-]*');
      })
      .join('\\.');
    this.regex = new RegExp(`^${source}$`);
  }

  matches(host: string): boolean {
    return this.regex.test(host.toLowerCase());
  }
}

/**
 * An allow-list entry: a host pattern, optionally with `:port` or `:*`. Without a port only 443
 * is allowed, so an annotation cannot turn an allowed host into a port scan.
 */
export class AllowedHost {
  private readonly host: HostPattern;
  private readonly port: number | '*';

  constructor(readonly entry: string) {
    const match = /^([^:]+)(?::(\d{1,5}|\*))?$/.exec(entry.trim());
    if (!match) throw new Error(`"${entry}" is not host-pattern[:port]`);
    this.host = new HostPattern(match[1]);
    if (match[2] === undefined) this.port = 443;
    else if (match[2] === '*') this.port = '*';
    else this.port = Number(match[2]);
    if (this.port !== '*' && (this.port < 1 || this.port > 65535)) {
      throw new Error(`"${entry}": port out of range`);
    }
  }

  allows(target: HostPort): boolean {
    return (
      this.host.matches(target.host) &&
      (this.port === '*' || this.port === target.port)
    );
  }
}

/** Whether a Kong SNI name serves `host`: exact, prefix wildcard (`*.example.com`) or suffix wildcard (`example.*`). */
export function sniServes(sni: string, host: string): boolean {
  const name = sni.toLowerCase();
  const target = host.toLowerCase();
  if (name === target) return true;
  if (name.startsWith('*.')) {
    const rest = name.slice(1); // ".example.com"
    return (
      target.endsWith(rest) &&
      !target.slice(0, -rest.length).includes('.') &&
      target.length > rest.length
    );
  }
  if (name.endsWith('.*')) {
    const head = name.slice(0, -1); // "example."
    return (
      target.startsWith(head) &&
      !target.slice(head.length).includes('.') &&
      target.length > head.length
    );
  }
  return false;
}

/** The SNI Kong picks for `host`: an exact name before a prefix wildcard before a suffix wildcard. */
export function bestSni<T extends { name: string }>(
  snis: T[],
  host: string,
): T | undefined {
  const target = host.toLowerCase();
  return (
    snis.find(s => s.name.toLowerCase() === target) ??
    snis.find(s => s.name.startsWith('*.') && sniServes(s.name, target)) ??
    snis.find(s => s.name.endsWith('.*') && sniServes(s.name, target))
  );
}
