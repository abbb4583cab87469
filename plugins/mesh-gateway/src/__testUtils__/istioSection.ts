import type { Entity } from '@backstage/catalog-model';
import type {
  IstioSection,
  IstioWorkloadView,
  SectionResult,
} from '@internal/plugin-mesh-gateway-common';
import { KUBERNETES_ANNOTATIONS } from '@internal/plugin-mesh-gateway-common';
import { parseSectionResult } from '../api/responseSchemas';
import adrSections from './istioSections.json';

/*
 * istioSections.json holds what the backend's IstioSectionProvider answered for the three ADR
 * services, read from the sandbox Kubernetes API (`buildAdrCluster()`, with
 * `sidecars.networking.istio.io` forbidden) and only `fetchedAt` fixed. It carries the
 * sandbox's deliberate faults: user-service PERMISSIVE at the workload over a STRICT namespace,
 * analytics-service without outlier detection, ai-agent-service routing to a subset its
 * DestinationRule lacks. Read through the client's schema, so the schema is checked against
 * a real response too.
 */

export type AdrService = keyof typeof adrSections;

/** A fresh copy of the backend's Istio section of an ADR service. */
export function istioSection(
  service: AdrService,
  overrides: Partial<SectionResult<IstioSection>> = {},
): SectionResult<IstioSection> {
  const section = parseSectionResult(
    'istio',
    JSON.parse(JSON.stringify(adrSections[service])),
  );
  return { ...section, ...overrides };
}

/** The first (sandbox) workload of an ADR service, with `overrides` applied. */
export function istioWorkload(
  service: AdrService,
  overrides: Partial<IstioWorkloadView> = {},
): IstioWorkloadView {
  return { ...istioSection(service).data!.workloads[0], ...overrides };
}

/** An ADR service whose one workload is `workload`, without findings unless given. */
export function istioSectionWith(
  workload: IstioWorkloadView,
  overrides: Partial<SectionResult<IstioSection>> = {},
): SectionResult<IstioSection> {
  return istioSection('user-service', {
    data: { workloads: [workload] },
    findings: [],
    ...overrides,
  });
}

/** The catalog entity of an ADR service, as the Kubernetes plugin annotates it. */
export function istioEntity(service: AdrService): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: service,
      namespace: 'parallel-ai',
      annotations: {
        [KUBERNETES_ANNOTATIONS.id]: service,
        [KUBERNETES_ANNOTATIONS.namespace]: 'parallel-ai',
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-ai' },
  };
}
