import type { X509Certificate } from 'node:crypto';
import type {
  CertificateThresholds,
  KongCertificateView,
  KongHostCoverage,
  KongSection,
  SectionError,
} from '@internal/plugin-mesh-gateway-common';
import { z } from 'zod';
import { toSectionError } from '../http/UpstreamError';
import type { UpstreamPolicyOptions } from '../http/UpstreamPolicy';
import type { KongInstanceConfig } from '../kong/config';
import { KongAdminClient } from '../kong/KongAdminClient';
import { parseKong, parseKongList } from '../kong/kongEntities';
import { TtlMemo } from '../service/TtlMemo';
import { certificateHealth } from './health';
import type { HostPort } from '@internal/plugin-mesh-gateway-common';
import { bestSni } from './hosts';
import {
  coversHost,
  describeCertificate,
  notAfterOf,
  notBeforeOf,
  parsePemBundle,
} from './x509';

/** Kong's SNI entity: a name and the certificate it selects. */
const kongSniSchema = z.object({
  id: z.string(),
  name: z.string(),
  certificate: z.object({ id: z.string() }),
});
type KongSni = z.infer<typeof kongSniSchema>;

/**
 * Kong's certificate entity, without `key` and `key_alt`: the schema does not name them, so zod
 * drops them while parsing and the private keys go no further than the HTTP response body.
 */
export const kongCertificateSchema = z.object({
  id: z.string(),
  cert: z.string(),
  cert_alt: z.string().nullish(),
  snis: z.array(z.string()).nullish(),
  tags: z.array(z.string()).nullish(),
});
export type KongCertificateEntity = z.infer<typeof kongCertificateSchema>;

/** Protocols whose routes Kong terminates TLS for. */
const TLS_PROTOCOLS = new Set(['https', 'grpcs', 'tls', 'wss']);

/** The hosts and SNIs of the entity's TLS routes, per Kong instance, with the routes naming each. */
export function routeHostsOf(
  kong: KongSection,
): Map<string, Map<string, string[]>> {
  const byInstance = new Map<string, Map<string, string[]>>();
  for (const view of kong.services) {
    const hosts = byInstance.get(view.instance) ?? new Map<string, string[]>();
    byInstance.set(view.instance, hosts);
    for (const route of view.routes) {
      if (!route.protocols.some(p => TLS_PROTOCOLS.has(p))) continue;
      for (const host of [...(route.hosts ?? []), ...(route.snis ?? [])]) {
        const name = host.toLowerCase();
        const routes = hosts.get(name) ?? [];
        const routeName = route.name ?? route.id;
        if (!routes.includes(routeName)) routes.push(routeName);
        hosts.set(name, routes);
      }
    }
  }
  return byInstance;
}

export interface KongCertificatesResult {
  certificates: KongCertificateView[];
  hosts: KongHostCoverage[];
  errors: SectionError[];
  /** Parsed chains by `instance/id`, for the shared-root check. */
  chains: Map<string, X509Certificate[]>;
}

/**
 * Kong's certificates for the entity's hosts: the SNIs of an instance are listed once (shared by
 * every entity for a minute), and each certificate an entity host needs is read by id.
 */
export class KongCertificateSource {
  private readonly clients: Map<string, KongAdminClient>;
  private readonly snis: TtlMemo<KongSni[]>;
  private readonly certificates: TtlMemo<KongCertificateEntity | undefined>;

  constructor(
    instances: KongInstanceConfig[],
    policy?: UpstreamPolicyOptions,
    ttlMs = 60_000,
  ) {
    this.clients = new Map(
      instances.map(i => [i.name, new KongAdminClient(i, policy)]),
    );
    this.snis = new TtlMemo(ttlMs);
    this.certificates = new TtlMemo(ttlMs);
  }

  get configured(): boolean {
    return this.clients.size > 0;
  }

  /**
   * @param routeHosts - per instance, the route hosts and the routes naming them (checked for an SNI)
   * @param extraHosts - hosts the entity names itself (annotation): their certificates are listed, a missing SNI is not a finding
   */
  async load(
    routeHosts: Map<string, Map<string, string[]>>,
    extraHosts: HostPort[],
    thresholds: CertificateThresholds,
    now: number,
  ): Promise<KongCertificatesResult> {
    const result: KongCertificatesResult = {
      certificates: [],
      hosts: [],
      errors: [],
      chains: new Map(),
    };
    await Promise.all(
      [...routeHosts.entries()].map(async ([instance, hosts]) => {
        const client = this.clients.get(instance);
        if (!client) {
          result.errors.push({
            name: 'not-configured',
            instance,
            message: `Kong instance ${instance} is not in meshGateway.kong.instances`,
          });
          return;
        }
        try {
          await this.loadInstance(
            client,
            hosts,
            extraHosts,
            thresholds,
            now,
            result,
          );
        } catch (error) {
          result.errors.push(toSectionError(error));
        }
      }),
    );
    result.certificates.sort(
      (a, b) =>
        a.instance.localeCompare(b.instance) || a.id.localeCompare(b.id),
    );
    result.hosts.sort(
      (a, b) =>
        a.instance.localeCompare(b.instance) || a.host.localeCompare(b.host),
    );
    return result;
  }

  private async loadInstance(
    client: KongAdminClient,
    routeHosts: Map<string, string[]>,
    extraHosts: HostPort[],
    thresholds: CertificateThresholds,
    now: number,
    result: KongCertificatesResult,
  ) {
    const instance = client.instance.name;
    const snis = await this.snis.get(instance, async () =>
      parseKongList(
        kongSniSchema,
        await client.list<unknown>('/snis'),
        `${instance} /snis`,
      ),
    );
    const hostsByCertificate = new Map<string, Set<string>>();
    const note = (host: string, sni: KongSni | undefined) => {
      if (!sni) return;
      hostsByCertificate.set(
        sni.certificate.id,
        (hostsByCertificate.get(sni.certificate.id) ?? new Set()).add(host),
      );
    };
    for (const [host, routes] of routeHosts) {
      // A wildcard route host is served by a wildcard SNI of the same name.
      const sni = host.includes('*')
        ? snis.find(s => s.name.toLowerCase() === host)
        : bestSni(snis, host);
      note(host, sni);
      result.hosts.push({
        instance,
        host,
        routes,
        sni: sni?.name,
        certificateId: sni?.certificate.id,
      });
    }
    for (const { host } of extraHosts) {
      note(host, bestSni(snis, host));
    }

    await Promise.all(
      [...hostsByCertificate.entries()].map(async ([id, hosts]) => {
        const entity = await this.certificates.get(
          `${instance}/${id}`,
          async () => {
            const raw = await client.get<unknown>(
              `/certificates/${encodeURIComponent(id)}`,
            );
            return raw === undefined
              ? undefined
              : parseKong(
                  kongCertificateSchema,
                  raw,
                  `${instance} /certificates/${id}`,
                );
          },
        );
        if (!entity) {
          result.errors.push({
            name: 'not-found',
            instance,
            message: `${instance}: certificate ${id} of SNI ${[...hosts].join(', ')} does not exist`,
          });
          return;
        }
        result.certificates.push(
          this.view(
            instance,
            entity,
            [...hosts].sort(),
            snis,
            thresholds,
            now,
            result,
          ),
        );
      }),
    );
  }

  private view(
    instance: string,
    entity: KongCertificateEntity,
    hosts: string[],
    snis: KongSni[],
    thresholds: CertificateThresholds,
    now: number,
    result: KongCertificatesResult,
  ): KongCertificateView {
    const base = {
      instance,
      id: entity.id,
      snis:
        entity.snis ??
        snis.filter(s => s.certificate.id === entity.id).map(s => s.name),
      hosts,
      uncoveredHosts: [] as string[],
      tags: entity.tags,
    };
    let chain: X509Certificate[];
    try {
      chain = parsePemBundle(entity.cert);
    } catch (error) {
      return {
        ...base,
        chain: [],
        health: 'error',
        error: `cert: ${(error as Error).message}`,
      };
    }
    result.chains.set(`${instance}/${entity.id}`, chain);
    let alternate;
    if (entity.cert_alt) {
      try {
        alternate = describeCertificate(parsePemBundle(entity.cert_alt)[0]);
      } catch {
        // The main certificate is what most clients get; a broken cert_alt shows as absent.
      }
    }
    const leaf = chain[0];
    const uncoveredHosts = hosts.filter(
      host => !host.includes('*') && !coversHost(leaf, host),
    );
    const verdict = certificateHealth(
      {
        notAfter: notAfterOf(leaf),
        notBefore: notBeforeOf(leaf),
        rejected: uncoveredHosts.length > 0,
      },
      thresholds,
      now,
    );
    return {
      ...base,
      uncoveredHosts,
      chain: chain.map(describeCertificate),
      alternate,
      daysLeft: verdict.daysLeft,
      health: verdict.health,
    };
  }
}
