import type { X509Certificate } from 'node:crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  CertificateSourceResult,
  CertificatesSection,
  CertificateThresholds,
  CertManagerCertificateView,
  IstioRootCaView,
  KongCertificatesData,
  KongSection,
  KUBERNETES_ANNOTATIONS,
  MESH_GATEWAY_ANNOTATIONS,
  SectionError,
  SectionResult,
  TlsHostSource,
  TlsProbeView,
  parseCertificateNames,
  HostPort,
  isHostName,
  parseHostList,
} from '@internal/plugin-mesh-gateway-common';
import { toSectionError } from '../http/UpstreamError';
import type { UpstreamPolicyOptions } from '../http/UpstreamPolicy';
import { parseLabelSelector } from '../istio/IstioSectionProvider';
import type { KongInstanceConfig } from '../kong/config';
import {
  ForbiddenResourceError,
  KubernetesReader,
} from '../kubernetes/KubernetesReader';
import type {
  SectionContext,
  SectionProvider,
} from '../service/SectionProvider';
import { analyseCertificates } from './analysis';
import {
  CertManagerSelection,
  loadCertManagerCertificates,
} from './certManager';
import type { CertificatesConfig } from './config';
import { loadIstioRoot } from './istioRoot';
import { KongCertificateSource, routeHostsOf } from './kongCertificates';
import { TlsProbeOutcome, TlsProbeTarget, TlsProber } from './tlsProbe';

export interface CertificatesSectionProviderOptions {
  config: CertificatesConfig;
  /** One per cluster of the Kubernetes plugin's config; cert-manager and the Istio root are read there. */
  readers: KubernetesReader[];
  /** The Kong Admin APIs (`meshGateway.kong.instances`), for the certificates behind route hosts. */
  kongInstances: KongInstanceConfig[];
  policy?: UpstreamPolicyOptions;
  logger: LoggerService;
  now?: () => number;
  /** How long Kong's SNI list and certificates are reused across entities (default 60 s). */
  kongListTtlMs?: number;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

type Source<T> = CertificateSourceResult<T>;


const annotationError = (annotation: string, error: unknown): SectionError => ({
  name: 'bad-annotation',
  message: `${annotation}: ${(error as Error).message}`,
});

/**
 * The certificates section: every certificate on the entity's path with its health, from four
 * sources that each stand alone (cert-manager Certificates, Kong's certificates for the route
 * hosts, the Istio mesh root, a live TLS check of the public hosts), cross-checked for findings.
 */
export class CertificatesSectionProvider
  implements SectionProvider<'certificates'>
{
  readonly section = 'certificates' as const;
  private readonly kong: KongCertificateSource;
  private readonly prober: TlsProber;
  private readonly thresholds: CertificateThresholds;
  private readonly now: () => number;

  constructor(private readonly options: CertificatesSectionProviderOptions) {
    this.kong = new KongCertificateSource(
      options.kongInstances,
      options.policy,
      options.kongListTtlMs,
    );
    this.prober = new TlsProber(options.config.probe);
    this.thresholds = {
      warningDays: options.config.warningDays,
      criticalDays: options.config.criticalDays,
    };
    this.now = options.now ?? Date.now;
  }

  async getSection(
    entity: Entity,
    context: SectionContext,
  ): Promise<SectionResult<CertificatesSection>> {
    const now = this.now();
    const fetchedAt = new Date(now).toISOString();
    const annotations = entity.metadata.annotations ?? {};

    const kubernetes = this.kubernetesSelection(annotations);
    const kongSection = context.getSection('kong').catch(error => {
      this.options.logger.debug(
        `certificates: no Kong section (${(error as Error).message})`,
      );
      return undefined;
    });
    const [certManager, istioRoot, kongAndProbes] = await Promise.all([
      this.loadCertManager(kubernetes, now),
      this.loadIstioRoots(kubernetes, now),
      kongSection.then(kong => this.loadKongAndProbes(kong, annotations, now)),
    ]);
    const { kong, probes } = kongAndProbes;

    const sources = [
      certManager.result,
      kong.result,
      istioRoot.result,
      probes.result,
    ];
    const errors = sources.flatMap(s => s.errors ?? []);
    for (const error of errors) {
      this.options.logger.warn(
        `Certificates section of ${entity.metadata.name}: ${error.message}`,
      );
    }
    if (sources.every(s => s.status === 'not-configured')) {
      const missingAnnotations = [
        ...new Set(sources.flatMap(s => s.missing?.annotations ?? [])),
      ];
      const configKey = sources.find(s => s.missing?.configKey)?.missing
        ?.configKey;
      return {
        section: this.section,
        status: 'not-configured',
        missing:
          missingAnnotations.length > 0
            ? { annotations: missingAnnotations }
            : { configKey },
        findings: [],
        fetchedAt,
      };
    }
    const configured = sources.filter(s => s.status !== 'not-configured');
    if (configured.every(s => s.status === 'error')) {
      return {
        section: this.section,
        status: 'error',
        errors,
        findings: [],
        fetchedAt,
      };
    }

    const analysis = analyseCertificates({
      now,
      thresholds: this.thresholds,
      certManager: certManager.result.data ?? [],
      kongCertificates: kong.result.data?.certificates ?? [],
      kongHosts: kong.result.data?.hosts ?? [],
      kongChains: kong.chains,
      istioRoots: istioRoot.result.data ?? [],
      istioRootCertificates: istioRoot.roots,
      probes: probes.outcomes,
    });
    return {
      section: this.section,
      status: 'ok',
      data: {
        thresholds: this.thresholds,
        certificates: analysis.rows,
        summary: analysis.summary,
        certManager: certManager.result,
        kong: kong.result,
        istioRoot: istioRoot.result,
        probes: probes.result,
        sharedRoot: analysis.sharedRoot,
      },
      errors: errors.length > 0 ? errors : undefined,
      findings: analysis.findings,
      fetchedAt,
    };
  }

  /** The entity's namespace, label selector and named Certificates, or why they cannot be used. */
  private kubernetesSelection(
    annotations: Record<string, string>,
  ):
    | {
        selection: CertManagerSelection;
        hasWorkload: boolean;
        namesError?: SectionError;
      }
    | { error: SectionError }
    | undefined {
    const id = annotations[KUBERNETES_ANNOTATIONS.id];
    const selectorAnnotation =
      annotations[KUBERNETES_ANNOTATIONS.labelSelector];
    const namesAnnotation = annotations[MESH_GATEWAY_ANNOTATIONS.certificates];
    if (!id && !selectorAnnotation && !namesAnnotation) return undefined;
    const namespace =
      annotations[KUBERNETES_ANNOTATIONS.namespace] ?? 'default';
    if (!DNS_LABEL.test(namespace)) {
      return {
        error: annotationError(
          KUBERNETES_ANNOTATIONS.namespace,
          new Error(`"${namespace}" is not a namespace name`),
        ),
      };
    }
    let labelSelector: string | undefined;
    try {
      if (selectorAnnotation) {
        labelSelector = Object.entries(parseLabelSelector(selectorAnnotation))
          .map(([k, v]) => `${k}=${v}`)
          .join(',');
      } else if (id) {
        if (!LABEL_VALUE.test(id))
          throw new Error(`"${id}" is not a label value`);
        labelSelector = `${KUBERNETES_ANNOTATIONS.id}=${id}`;
      }
    } catch (error) {
      return {
        error: annotationError(
          selectorAnnotation
            ? KUBERNETES_ANNOTATIONS.labelSelector
            : KUBERNETES_ANNOTATIONS.id,
          error,
        ),
      };
    }
    let names: CertManagerSelection['names'] = [];
    let namesError: SectionError | undefined;
    if (namesAnnotation) {
      try {
        names = parseCertificateNames(namesAnnotation, namespace);
      } catch (error) {
        namesError = annotationError(
          MESH_GATEWAY_ANNOTATIONS.certificates,
          error,
        );
      }
    }
    return {
      selection: { namespace, labelSelector, names },
      hasWorkload: Boolean(id || selectorAnnotation),
      namesError,
    };
  }

  private async loadCertManager(
    kubernetes: ReturnType<CertificatesSectionProvider['kubernetesSelection']>,
    now: number,
  ): Promise<{ result: Source<CertManagerCertificateView[]> }> {
    if (!kubernetes) {
      return {
        result: {
          status: 'not-configured',
          reason: 'the entity names no Kubernetes workload and no Certificate',
          missing: {
            annotations: [
              KUBERNETES_ANNOTATIONS.id,
              KUBERNETES_ANNOTATIONS.labelSelector,
              MESH_GATEWAY_ANNOTATIONS.certificates,
            ],
          },
        },
      };
    }
    if ('error' in kubernetes)
      return { result: { status: 'error', errors: [kubernetes.error] } };
    const { selection, namesError } = kubernetes;
    if (namesError && !selection.labelSelector)
      return { result: { status: 'error', errors: [namesError] } };
    if (this.options.readers.length === 0) {
      return {
        result: {
          status: 'not-configured',
          reason: 'the backend knows no Kubernetes cluster',
          missing: { configKey: 'kubernetes.clusterLocatorMethods' },
        },
      };
    }
    const results = await Promise.all(
      this.options.readers.map(reader =>
        loadCertManagerCertificates(
          reader,
          selection,
          this.thresholds,
          now,
        ).catch(error => ({
          certificates: [] as CertManagerCertificateView[],
          errors: [toSectionError(error)],
          notInstalled: false,
        })),
      ),
    );
    const certificates = results.flatMap(r => r.certificates);
    const errors = [
      ...(namesError ? [namesError] : []),
      ...results.flatMap(r => r.errors),
    ];
    if (results.every(r => r.notInstalled)) {
      return {
        result: {
          status: 'not-configured',
          reason:
            'cert-manager is not installed: no cluster serves certificates.cert-manager.io/v1',
        },
      };
    }
    const failedEverywhere = results.every(
      r => r.errors.length > 0 && r.certificates.length === 0,
    );
    return {
      result: {
        status: failedEverywhere ? 'error' : 'ok',
        data: failedEverywhere ? undefined : certificates,
        errors: errors.length > 0 ? errors : undefined,
      },
    };
  }

  private async loadIstioRoots(
    kubernetes: ReturnType<CertificatesSectionProvider['kubernetesSelection']>,
    now: number,
  ): Promise<{ result: Source<IstioRootCaView[]>; roots: X509Certificate[] }> {
    if (!kubernetes || ('selection' in kubernetes && !kubernetes.hasWorkload)) {
      return {
        result: {
          status: 'not-configured',
          reason: 'the entity names no Kubernetes workload',
          missing: {
            annotations: [
              KUBERNETES_ANNOTATIONS.id,
              KUBERNETES_ANNOTATIONS.labelSelector,
            ],
          },
        },
        roots: [],
      };
    }
    if ('error' in kubernetes)
      return {
        result: { status: 'error', errors: [kubernetes.error] },
        roots: [],
      };
    if (this.options.readers.length === 0) {
      return {
        result: {
          status: 'not-configured',
          reason: 'the backend knows no Kubernetes cluster',
          missing: { configKey: 'kubernetes.clusterLocatorMethods' },
        },
        roots: [],
      };
    }
    const { namespace } = kubernetes.selection;
    const errors: SectionError[] = [];
    const views: IstioRootCaView[] = [];
    const roots: X509Certificate[] = [];
    await Promise.all(
      this.options.readers.map(async reader => {
        try {
          const loaded = await loadIstioRoot(
            reader,
            namespace,
            this.thresholds,
            now,
          );
          if (loaded.view) views.push(loaded.view);
          roots.push(...loaded.roots);
        } catch (error) {
          errors.push(
            error instanceof ForbiddenResourceError
              ? {
                  name: 'forbidden',
                  instance: reader.cluster.name,
                  message: `${reader.cluster.name}: ${error.message}; the backend needs ${error.need}`,
                }
              : toSectionError(error),
          );
        }
      }),
    );
    views.sort((a, b) => a.cluster.localeCompare(b.cluster));
    if (views.length === 0 && errors.length === 0) {
      return {
        result: {
          status: 'not-configured',
          reason: `no istio-ca-root-cert ConfigMap in namespace ${namespace}: Istio is not installed or the namespace is outside the mesh`,
        },
        roots,
      };
    }
    return {
      result: {
        status: views.length === 0 ? 'error' : 'ok',
        data: views.length === 0 ? undefined : views,
        errors: errors.length > 0 ? errors : undefined,
      },
      roots,
    };
  }

  private async loadKongAndProbes(
    kongSection: SectionResult<KongSection> | undefined,
    annotations: Record<string, string>,
    now: number,
  ): Promise<{
    kong: {
      result: Source<KongCertificatesData>;
      chains: Map<string, X509Certificate[]>;
    };
    probes: { result: Source<TlsProbeView[]>; outcomes: TlsProbeOutcome[] };
  }> {
    const routeHosts =
      kongSection?.status === 'ok' && kongSection.data
        ? routeHostsOf(kongSection.data)
        : new Map<string, Map<string, string[]>>();

    const hostErrors: SectionError[] = [];
    let annotationHosts: HostPort[] = [];
    const hostsAnnotation = annotations[MESH_GATEWAY_ANNOTATIONS.tlsHosts];
    if (hostsAnnotation) {
      try {
        annotationHosts = parseHostList(hostsAnnotation);
      } catch (error) {
        hostErrors.push(
          annotationError(MESH_GATEWAY_ANNOTATIONS.tlsHosts, error),
        );
      }
    }

    const [kong, probes] = await Promise.all([
      this.loadKong(kongSection, routeHosts, annotationHosts, now),
      this.loadProbes(routeHosts, annotationHosts, hostErrors, now),
    ]);
    return { kong, probes };
  }

  private async loadKong(
    kongSection: SectionResult<KongSection> | undefined,
    routeHosts: Map<string, Map<string, string[]>>,
    annotationHosts: HostPort[],
    now: number,
  ): Promise<{
    result: Source<KongCertificatesData>;
    chains: Map<string, X509Certificate[]>;
  }> {
    const chains = new Map<string, X509Certificate[]>();
    if (!this.kong.configured) {
      return {
        result: {
          status: 'not-configured',
          reason: 'the backend knows no Kong instance',
          missing: { configKey: 'meshGateway.kong.instances' },
        },
        chains,
      };
    }
    if (!kongSection || kongSection.status === 'not-configured') {
      return {
        result: {
          status: 'not-configured',
          reason: 'the entity names no Kong service',
          missing: {
            annotations: [
              MESH_GATEWAY_ANNOTATIONS.kongServices,
              MESH_GATEWAY_ANNOTATIONS.kongTags,
            ],
          },
        },
        chains,
      };
    }
    if (kongSection.status === 'error' || !kongSection.data) {
      const first = kongSection.errors?.[0];
      return {
        result: {
          status: 'error',
          errors: [
            {
              name: first?.name ?? 'upstream',
              instance: first?.instance,
              message: `the Kong section could not be read${first ? `: ${first.message}` : ''}`,
            },
          ],
        },
        chains,
      };
    }
    const loaded = await this.kong.load(
      routeHosts,
      annotationHosts,
      this.thresholds,
      now,
    );
    const failedEverywhere =
      loaded.errors.length > 0 &&
      loaded.certificates.length === 0 &&
      loaded.hosts.length === 0;
    return {
      result: {
        status: failedEverywhere ? 'error' : 'ok',
        data: failedEverywhere
          ? undefined
          : { certificates: loaded.certificates, hosts: loaded.hosts },
        errors: loaded.errors.length > 0 ? loaded.errors : undefined,
      },
      chains: loaded.chains,
    };
  }

  private async loadProbes(
    routeHosts: Map<string, Map<string, string[]>>,
    annotationHosts: HostPort[],
    errors: SectionError[],
    now: number,
  ): Promise<{ result: Source<TlsProbeView[]>; outcomes: TlsProbeOutcome[] }> {
    const targets: TlsProbeTarget[] = [];
    const skipped: TlsProbeOutcome[] = [];
    const add = (host: string, port: number, source: TlsHostSource) => {
      const existing = targets.find(t => t.host === host && t.port === port);
      if (existing) {
        if (!existing.sources.includes(source)) existing.sources.push(source);
      } else {
        targets.push({ host, port, sources: [source] });
      }
    };
    for (const hosts of routeHosts.values()) {
      for (const host of hosts.keys()) {
        if (isHostName(host)) {
          add(host, 443, 'kong-route');
        } else if (!skipped.some(s => s.view.host === host)) {
          const reason = host.includes('*')
            ? 'not probed: a wildcard host names no server'
            : 'not probed: not a host name';
          skipped.push({
            view: {
              host,
              port: 443,
              sources: ['kong-route'],
              outcome: 'skipped',
              reason,
              errors: [],
              chain: [],
              health: 'error',
            },
            chain: [],
          });
        }
      }
    }
    for (const { host, port } of annotationHosts) add(host, port, 'annotation');

    if (targets.length === 0 && skipped.length === 0) {
      return {
        result:
          errors.length > 0
            ? { status: 'error', errors }
            : {
                status: 'not-configured',
                reason: `no public host: no TLS route host in Kong and no ${MESH_GATEWAY_ANNOTATIONS.tlsHosts}`,
                missing: { annotations: [MESH_GATEWAY_ANNOTATIONS.tlsHosts] },
              },
        outcomes: [],
      };
    }
    const outcomes = [
      ...(await this.prober.probeAll(targets, this.thresholds, now)),
      ...skipped,
    ];
    const views = outcomes.map(o => o.view);
    if (!this.prober.configured) {
      return {
        result: {
          status: 'not-configured',
          reason:
            'no host may be probed: meshGateway.certificates.probe.allowedHosts is empty',
          missing: { configKey: 'meshGateway.certificates.probe.allowedHosts' },
          data: views,
          errors: errors.length > 0 ? errors : undefined,
        },
        outcomes: [],
      };
    }
    return {
      result: {
        status: 'ok',
        data: views,
        errors: errors.length > 0 ? errors : undefined,
      },
      outcomes,
    };
  }
}
