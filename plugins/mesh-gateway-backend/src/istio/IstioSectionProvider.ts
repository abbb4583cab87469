import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import {
  IstioSection,
  IstioWorkloadView,
  KUBERNETES_ANNOTATIONS,
  KubernetesObjectView,
  MESH_GATEWAY_ANNOTATIONS,
  SectionError,
  SectionResult,
  sortFindings,
  Finding,
  parseIstioHost,
} from '@internal/plugin-mesh-gateway-common';
import { toSectionError } from '../http/UpstreamError';
import { ForbiddenResourceError, KubernetesReader, ResourceType } from '../kubernetes/KubernetesReader';
import type { SectionContext, SectionProvider } from '../service/SectionProvider';
import { analyseIstio, isInjected, KongUpstreamTarget } from './analysis';
import { effectiveAuthorization, selectsWorkload } from './authorization';
import { hostMatches, IstioInventory, matchLabelsOf, resolveHost, selectorMatches } from './inventory';
import { effectiveMtls } from './mtls';
import { CORE_RESOURCE_TYPES, ISTIO_RESOURCE_TYPES } from './resourceTypes';
import { destinationRulesForHost, resilience, trafficRoutes, virtualServicesForHost } from './traffic';

export interface IstioSectionProviderOptions {
  readers: KubernetesReader[];
  rootNamespace: string;
  logger: LoggerService;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** Parses an equality-based label selector ("app=x,version=v1"); set-based ones are refused. */
export function parseLabelSelector(value: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of value.split(',').map(s => s.trim()).filter(Boolean)) {
    const match = /^([^=!]+)==?([^=]*)$/.exec(part);
    if (!match || !LABEL_KEY.test(match[1].trim()) || !LABEL_VALUE.test(match[2].trim())) {
      throw new Error(`"${part}" in "${value}" is not an equality requirement (key=value); set-based selectors are not supported`);
    }
    labels[match[1].trim()] = match[2].trim();
  }
  if (Object.keys(labels).length === 0) throw new Error('the label selector is empty');
  return labels;
}

function withAnnotation<T>(annotation: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new Error(`${annotation}: ${(error as Error).message}`);
  }
}

function toSelectorString(labels: Record<string, string>): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
}

/** Namespaces one entity's view may span when none is annotated: each costs a round of lists. */
const MAX_SEARCHED_NAMESPACES = 3;

/**
 * The Istio section: the objects that shape the entity's workload in each cluster the
 * Kubernetes plugin knows, what they add up to (mTLS, who may call, routes, resilience) and
 * the findings, cross-checked with the Kong section.
 */
export class IstioSectionProvider implements SectionProvider<'istio'> {
  readonly section = 'istio' as const;

  constructor(private readonly options: IstioSectionProviderOptions) {}

  async getSection(entity: Entity, context: SectionContext): Promise<SectionResult<IstioSection>> {
    const fetchedAt = new Date().toISOString();
    const base = { section: this.section, findings: [] as Finding[], fetchedAt };
    const annotations = entity.metadata.annotations ?? {};
    const kubernetesId = annotations[KUBERNETES_ANNOTATIONS.id];
    const selectorAnnotation = annotations[KUBERNETES_ANNOTATIONS.labelSelector];
    const hostAnnotation = annotations[MESH_GATEWAY_ANNOTATIONS.istioHost];
    if (!kubernetesId && !selectorAnnotation && !hostAnnotation) {
      return {
        ...base,
        status: 'not-configured',
        missing: { annotations: [KUBERNETES_ANNOTATIONS.id, KUBERNETES_ANNOTATIONS.labelSelector, MESH_GATEWAY_ANNOTATIONS.istioHost] },
      };
    }
    if (this.options.readers.length === 0) {
      return { ...base, status: 'not-configured', missing: { configKey: 'kubernetes.clusterLocatorMethods' } };
    }

    const namespaceAnnotation = annotations[KUBERNETES_ANNOTATIONS.namespace];
    const namespace = namespaceAnnotation ?? 'default';
    let selector: Record<string, string>;
    try {
      if (!DNS_LABEL.test(namespace)) {
        throw new Error(`${KUBERNETES_ANNOTATIONS.namespace}: "${namespace}" is not a namespace name`);
      }
      if (hostAnnotation) parseIstioHost(hostAnnotation);
      if (selectorAnnotation) {
        selector = withAnnotation(KUBERNETES_ANNOTATIONS.labelSelector, () => parseLabelSelector(selectorAnnotation));
      } else {
        selector = kubernetesId ? { [KUBERNETES_ANNOTATIONS.id]: kubernetesId } : {};
      }
      if (kubernetesId && !LABEL_VALUE.test(kubernetesId)) {
        throw new Error(`${KUBERNETES_ANNOTATIONS.id}: "${kubernetesId}" is not a label value`);
      }
    } catch (error) {
      return { ...base, status: 'error', errors: [{ name: 'bad-annotation', message: (error as Error).message }] };
    }

    // Kong's targets are only needed for the analysis: read the clusters meanwhile.
    const kongTargets = this.kongTargets(context);
    kongTargets.catch(() => {});
    const errors: SectionError[] = [];
    const workloads: IstioWorkloadView[] = [];
    const findings: Finding[] = [];
    await Promise.all(
      this.options.readers.map(async reader => {
        try {
          const { namespaces, forbidden, notice } = await this.workloadNamespaces(reader, namespaceAnnotation, selector);
          if (notice) errors.push(notice);
          let found = 0;
          await Promise.all(
            namespaces.map(async ns => {
              const result = await this.loadWorkload(reader, ns, selector, hostAnnotation, kubernetesId, kongTargets);
              if (result) {
                found++;
                result.view.forbidden.unshift(...forbidden);
                workloads.push(result.view);
                findings.push(...result.findings.map(f => (this.options.readers.length > 1 ? { ...f, object: `${reader.cluster.name}:${f.object}` } : f)));
              }
            }),
          );
          if (found === 0 && forbidden.length > 0) {
            errors.push({
              name: 'unauthorized',
              instance: reader.cluster.name,
              message: `${reader.cluster.name}: the entity's pods could not be searched for (grant ${forbidden[0].need}), and namespace ${namespaces[0]} does not exist; or annotate ${KUBERNETES_ANNOTATIONS.namespace}`,
            });
          }
        } catch (error) {
          errors.push(toSectionError(error));
        }
      }),
    );
    workloads.sort((a, b) => a.cluster.localeCompare(b.cluster) || a.namespace.localeCompare(b.namespace));
    if (workloads.length === 0 && errors.length === 0) {
      errors.push({
        name: 'not-found',
        message: `namespace ${namespace} exists in none of the clusters (${this.options.readers.map(r => r.cluster.name).join(', ')})`,
      });
    }
    for (const error of errors) {
      this.options.logger.warn(`Istio section of ${entity.metadata.name}: ${error.message}`);
    }
    return {
      ...base,
      status: workloads.length === 0 ? 'error' : 'ok',
      data: workloads.length === 0 ? undefined : { workloads },
      errors: errors.length > 0 ? errors : undefined,
      findings: sortFindings(findings),
    };
  }

  /**
   * Without a namespace annotation the Kubernetes plugin looks for the entity's pods in every
   * namespace; so does this, falling back to `default` when none match or listing is forbidden.
   */
  private async workloadNamespaces(
    reader: KubernetesReader,
    namespaceAnnotation: string | undefined,
    selector: Record<string, string>,
  ): Promise<{ namespaces: string[]; forbidden: IstioWorkloadView['forbidden']; notice?: SectionError }> {
    if (namespaceAnnotation || Object.keys(selector).length === 0) {
      return { namespaces: [namespaceAnnotation ?? 'default'], forbidden: [] };
    }
    try {
      const found = await reader.namespacesOfPods(toSelectorString(selector));
      if (found.length > MAX_SEARCHED_NAMESPACES) {
        return {
          namespaces: found.slice(0, MAX_SEARCHED_NAMESPACES),
          forbidden: [],
          notice: {
            name: 'too-many-namespaces',
            instance: reader.cluster.name,
            message: `${reader.cluster.name}: pods matching ${toSelectorString(selector)} run in ${found.length} namespaces; showing ${found.slice(0, MAX_SEARCHED_NAMESPACES).join(', ')}. Annotate ${KUBERNETES_ANNOTATIONS.namespace} to pick one.`,
          },
        };
      }
      return { namespaces: found.length > 0 ? found : ['default'], forbidden: [] };
    } catch (error) {
      if (!(error instanceof ForbiddenResourceError)) throw error;
      return { namespaces: ['default'], forbidden: [{ resource: error.resource, namespace: error.namespace, need: error.need }] };
    }
  }

  private async kongTargets(context: SectionContext): Promise<KongUpstreamTarget[] | undefined> {
    const kong = await context.getSection('kong');
    if (kong.status !== 'ok' || !kong.data) return undefined;
    return kong.data.services.map(view => ({
      service: view.service.name ?? view.service.id,
      // A Kong upstream's targets are where traffic goes; a plain host is the target itself.
      host: view.upstream?.targets[0]?.target.replace(/:\d+$/, '') ?? view.service.host,
      port: Number(view.upstream?.targets[0]?.target.match(/:(\d+)$/)?.[1] ?? view.service.port),
    }));
  }

  private async loadWorkload(
    reader: KubernetesReader,
    namespace: string,
    selector: Record<string, string>,
    hostAnnotation: string | undefined,
    kubernetesId: string | undefined,
    kongTargetsRequest: Promise<KongUpstreamTarget[] | undefined>,
  ): Promise<{ view: IstioWorkloadView; findings: Finding[] } | undefined> {
    const { rootNamespace } = this.options;

    const forbidden: IstioWorkloadView['forbidden'] = [];
    const list = async (type: ResourceType, ns: string, labelSelector?: string) => {
      try {
        return await reader.list(type, ns, labelSelector);
      } catch (error) {
        if (error instanceof ForbiddenResourceError) {
          forbidden.push({ resource: error.resource, namespace: error.namespace, need: error.need });
          return [];
        }
        throw error;
      }
    };
    const namespaces = namespace === rootNamespace ? [namespace] : [namespace, rootNamespace];
    const listBoth = async (type: ResourceType) => (await Promise.all(namespaces.map(ns => list(type, ns)))).flat();

    // One round trip: every read is independent of the others. Pods are found the way the
    // Kubernetes plugin finds them, by the entity's label selector.
    const t = ISTIO_RESOURCE_TYPES;
    const readNamespace = async () => {
      try {
        return await reader.readNamespace(namespace);
      } catch (error) {
        if (!(error instanceof ForbiddenResourceError)) throw error;
        forbidden.push({ resource: error.resource, namespace: error.namespace, need: error.need });
        return 'forbidden' as const;
      }
    };
    const [namespaceRead, services, entityPods, vs, dr, gw, se, sc, pa, ap, ra, tel, cronJobs] = await Promise.all([
      readNamespace(),
      list(CORE_RESOURCE_TYPES.services, namespace),
      Object.keys(selector).length > 0
        ? list(CORE_RESOURCE_TYPES.pods, namespace, toSelectorString(selector))
        : Promise.resolve(undefined),
      listBoth(t.virtualServices),
      listBoth(t.destinationRules),
      listBoth(t.gateways),
      listBoth(t.serviceEntries),
      listBoth(t.sidecars),
      listBoth(t.peerAuthentications),
      listBoth(t.authorizationPolicies),
      listBoth(t.requestAuthentications),
      listBoth(t.telemetries),
      // The entity's own jobs (its backup among them) carry its labels.
      Object.keys(selector).length > 0
        ? list(CORE_RESOURCE_TYPES.cronJobs, namespace, toSelectorString(selector))
        : Promise.resolve([]),
    ]);
    if (!namespaceRead) return undefined;
    // Without the Namespace, injection is unknown rather than off.
    const namespaceObject = namespaceRead === 'forbidden' ? undefined : namespaceRead;
    const service = this.pickService(services, namespace, selector, hostAnnotation, kubernetesId);
    const workloadLabels =
      (service?.spec?.selector as Record<string, string> | undefined) ?? selector;
    const serviceName = service?.metadata.name ?? kubernetesId ?? 'unknown';
    const host = hostAnnotation
      ? resolveHost(hostAnnotation, namespace)
      : `${serviceName}.${namespace}.svc.cluster.local`;
    const pods =
      entityPods ??
      (Object.keys(workloadLabels).length > 0
        ? await list(CORE_RESOURCE_TYPES.pods, namespace, toSelectorString(workloadLabels))
        : undefined);
    const kongTargets = await kongTargetsRequest;
    const podsForbidden = forbidden.some(f => f.resource === 'pods');

    const inventory: IstioInventory = {
      namespace,
      rootNamespace,
      host,
      workloadLabels,
      podLabels: pods && !podsForbidden ? pods.map(p => p.metadata.labels ?? {}) : undefined,
      namespaceObject,
      service,
      serviceHosts: services.map(s => `${s.metadata.name}.${namespace}.svc.cluster.local`),
      peerAuthentications: pa,
      authorizationPolicies: ap,
      requestAuthentications: ra,
      virtualServices: vs,
      destinationRules: dr,
      serviceEntries: se,
      telemetries: tel,
      cronJobs,
    };
    const mtls = effectiveMtls(inventory);
    const authorization = effectiveAuthorization(inventory);
    const traffic = trafficRoutes(inventory);
    const resilienceViews = resilience(inventory);
    const findings = analyseIstio({ inventory, mtls, authorization, traffic, resilience: resilienceViews, kongTargets });

    const hostVirtualServices = virtualServicesForHost(inventory);
    const gatewayNames = new Set(hostVirtualServices.flatMap(v => (v.spec?.gateways ?? []) as string[]));
    const destinationHosts = new Set(traffic.flatMap(r => r.destinations.map(d => d.host)));
    const selects = (o: KubernetesObjectView) => {
      const labels = matchLabelsOf(o);
      return !labels || selectorMatches(labels, workloadLabels);
    };
    const objects = [
      ...(service ? [service] : []),
      ...pa.filter(p => p.metadata.namespace === namespace || !matchLabelsOf(p) || p.metadata.namespace === rootNamespace),
      ...ap.filter(p => selectsWorkload(p, inventory)),
      ...ra.filter(p => selectsWorkload(p, inventory)),
      ...hostVirtualServices,
      ...destinationRulesForHost(inventory),
      ...dr.filter(d => d.metadata.namespace === namespace && !destinationRulesForHost(inventory).includes(d) && findings.some(f => f.object.endsWith(`/${d.metadata.namespace}/${d.metadata.name}`))),
      ...gw.filter(g => gatewayNames.has(g.metadata.name) || gatewayNames.has(`${g.metadata.namespace}/${g.metadata.name}`)),
      ...se.filter(s => ((s.spec?.hosts ?? []) as string[]).some(h => [...destinationHosts].some(d => hostMatches(h, d)))),
      ...sc.filter(selects),
      ...tel.filter(selects),
      // CronJobs stay out: their commands and env may carry a Kong admin token.
    ];

    const servicePorts = (service?.spec?.ports ?? []) as NonNullable<IstioWorkloadView['service']>['ports'];
    const labels = namespaceObject?.metadata.labels ?? {};
    return {
      view: {
        cluster: reader.cluster.name,
        namespace,
        rootNamespace,
        host,
        workloadLabels,
        injection: namespaceObject
          ? {
              enabled: isInjected(namespaceObject),
              label: labels['istio-injection'],
              revision: labels['istio.io/rev'],
            }
          : { enabled: false, unknown: true },
        service: service
          ? {
              name: service.metadata.name,
              ports: servicePorts.map(p => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol, appProtocol: p.appProtocol })),
            }
          : undefined,
        mtls,
        authorization,
        traffic,
        resilience: resilienceViews,
        objects,
        forbidden,
      },
      findings,
    };
  }

  private pickService(
    services: KubernetesObjectView[],
    namespace: string,
    selector: Record<string, string>,
    hostAnnotation?: string,
    kubernetesId?: string,
  ): KubernetesObjectView | undefined {
    if (hostAnnotation) {
      const host = resolveHost(hostAnnotation, namespace);
      const byHost = services.find(s => `${s.metadata.name}.${namespace}.svc.cluster.local` === host);
      if (byHost) return byHost;
    }
    const labelled = services.filter(s => Object.keys(selector).length > 0 && selectorMatches(selector, s.metadata.labels ?? {}));
    return labelled[0] ?? services.find(s => s.metadata.name === kubernetesId);
  }
}
