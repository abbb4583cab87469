import type {
  CertificateThresholds,
  CertManagerCertificateView,
  SectionError,
} from '@internal/plugin-mesh-gateway-common';
import { z } from 'zod';
import { toSectionError, UpstreamError } from '../http/UpstreamError';
import {
  ForbiddenResourceError,
  KubernetesObjectWithStatus,
  KubernetesReader,
  ResourceType,
} from '../kubernetes/KubernetesReader';
import { certificateHealth } from './health';

/** cert-manager's Certificate (cert-manager.io/v1, the only version v1.x serves). */
export const CERT_MANAGER_CERTIFICATES: ResourceType = {
  group: 'cert-manager.io',
  versions: ['v1'],
  plural: 'certificates',
  kind: 'Certificate',
};

const time = z
  .string()
  .refine(value => !Number.isNaN(Date.parse(value)), 'not an RFC 3339 time');
const conditionStatus = z.enum(['True', 'False', 'Unknown']);
const condition = z.object({
  type: z.string(),
  status: conditionStatus,
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: time.optional(),
});

/**
 * What is read of a Certificate. Every status field is optional: before the first issuance
 * cert-manager has set none of them. The Secret (`spec.secretName`) is named, never read.
 */
const certificateSchema = z.object({
  metadata: z.object({ name: z.string(), namespace: z.string().optional() }),
  spec: z.object({
    secretName: z.string(),
    issuerRef: z.object({
      name: z.string(),
      kind: z.string().optional(),
      group: z.string().optional(),
    }),
    commonName: z.string().optional(),
    dnsNames: z.array(z.string()).optional(),
    ipAddresses: z.array(z.string()).optional(),
    duration: z.string().optional(),
    renewBefore: z.string().optional(),
  }),
  status: z
    .object({
      conditions: z.array(condition).optional(),
      notBefore: time.optional(),
      notAfter: time.optional(),
      renewalTime: time.optional(),
      revision: z.number().int().optional(),
      lastFailureTime: time.optional(),
      failedIssuanceAttempts: z.number().int().optional(),
    })
    .optional(),
});

const iso = (value: string | undefined) =>
  value === undefined ? undefined : new Date(Date.parse(value)).toISOString();

/** Turns one listed Certificate into its view; throws naming the field that does not fit. */
export function parseCertManagerCertificate(
  raw: KubernetesObjectWithStatus,
  cluster: string,
  thresholds: CertificateThresholds,
  now: number,
): CertManagerCertificateView {
  const parsed = certificateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `Certificate ${raw.metadata?.namespace}/${raw.metadata?.name}: unexpected shape at "${issue.path.join('.')}" (${issue.message})`,
    );
  }
  const { metadata, spec, status = {} } = parsed.data;
  const ready = status.conditions?.find(c => c.type === 'Ready');
  const issuing = status.conditions?.find(c => c.type === 'Issuing');
  const verdict = certificateHealth(
    {
      notAfter: status.notAfter,
      notBefore: status.notBefore,
      ready: ready?.status,
    },
    thresholds,
    now,
  );
  return {
    cluster,
    namespace: metadata.namespace ?? '',
    name: metadata.name,
    secretName: spec.secretName,
    issuerRef: spec.issuerRef,
    commonName: spec.commonName,
    dnsNames: spec.dnsNames ?? [],
    ipAddresses: spec.ipAddresses ?? [],
    duration: spec.duration,
    renewBefore: spec.renewBefore,
    ready: ready && {
      status: ready.status,
      reason: ready.reason,
      message: ready.message,
      lastTransitionTime: iso(ready.lastTransitionTime),
    },
    issuing: issuing && {
      status: issuing.status,
      reason: issuing.reason,
      message: issuing.message,
    },
    notBefore: iso(status.notBefore),
    notAfter: iso(status.notAfter),
    renewalTime: iso(status.renewalTime),
    revision: status.revision,
    lastFailureTime: iso(status.lastFailureTime),
    failedIssuanceAttempts: status.failedIssuanceAttempts,
    daysLeft: verdict.daysLeft,
    health: verdict.health,
  };
}

/** Which Certificates are the entity's: a label selector in its namespace, and/or names. */
export interface CertManagerSelection {
  namespace: string;
  labelSelector?: string;
  /** `{namespace, name}` pairs from the `mesh-gateway.io/certificates` annotation. */
  names: { namespace: string; name: string }[];
}

export interface CertManagerClusterResult {
  certificates: CertManagerCertificateView[];
  errors: SectionError[];
  /** cert-manager's CRD is not served by the cluster. */
  notInstalled: boolean;
}

/**
 * Lists the entity's Certificates in one cluster, statuses included. A Certificate that does not
 * parse is reported and the others kept; a missing CRD is "not installed", not a failure.
 */
export async function loadCertManagerCertificates(
  reader: KubernetesReader,
  selection: CertManagerSelection,
  thresholds: CertificateThresholds,
  now: number,
): Promise<CertManagerClusterResult> {
  const cluster = reader.cluster.name;
  const errors: SectionError[] = [];
  const lists: Promise<KubernetesObjectWithStatus[]>[] = [];
  if (selection.labelSelector) {
    lists.push(
      reader.list(
        CERT_MANAGER_CERTIFICATES,
        selection.namespace,
        selection.labelSelector,
        { withStatus: true },
      ),
    );
  }
  const byNamespace = new Map<string, Set<string>>();
  for (const { namespace, name } of selection.names) {
    byNamespace.set(
      namespace,
      (byNamespace.get(namespace) ?? new Set()).add(name),
    );
  }
  for (const [namespace, names] of byNamespace) {
    lists.push(
      reader
        .list(CERT_MANAGER_CERTIFICATES, namespace, undefined, {
          withStatus: true,
        })
        .then(items => {
          for (const name of names) {
            if (!items.some(i => i.metadata.name === name)) {
              errors.push({
                name: 'not-found',
                instance: cluster,
                message: `${cluster}: Certificate ${namespace}/${name} does not exist`,
              });
            }
          }
          return items.filter(i => names.has(i.metadata.name));
        }),
    );
  }
  const settled = await Promise.allSettled(lists);
  const seen = new Set<string>();
  const certificates: CertManagerCertificateView[] = [];
  let notInstalled = false;
  for (const result of settled) {
    if (result.status === 'rejected') {
      const error = result.reason;
      if (error instanceof UpstreamError && error.kind === 'not-found') {
        notInstalled = true;
      } else if (error instanceof ForbiddenResourceError) {
        errors.push({
          name: 'forbidden',
          instance: cluster,
          message: `${cluster}: ${error.message}; the backend needs ${error.need}`,
        });
      } else {
        errors.push(toSectionError(error));
      }
      continue;
    }
    for (const item of result.value) {
      const key = `${item.metadata.namespace}/${item.metadata.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      try {
        certificates.push(
          parseCertManagerCertificate(item, cluster, thresholds, now),
        );
      } catch (error) {
        errors.push({
          name: 'bad-response',
          instance: cluster,
          message: `${cluster}: ${(error as Error).message}`,
        });
      }
    }
  }
  return { certificates, errors, notInstalled };
}
