import { z } from 'zod';
import type { CertificatesSection } from '@internal/plugin-mesh-gateway-common';

/*
 * The certificates section as the backend sends it, checked before a card reads it (register it
 * in `sectionDataSchemas` of api/responseSchemas.ts).
 */

const health = z.enum(['ok', 'warning', 'critical', 'expired', 'error']);
const conditionStatus = z.enum(['True', 'False', 'Unknown']);
const strings = z.array(z.string());

const sectionError = z.object({
  name: z.string(),
  message: z.string(),
  instance: z.string().optional(),
});

const details = z.object({
  subject: z.string(),
  commonName: z.string().optional(),
  subjectAltNames: strings,
  dnsNames: strings,
  issuer: z.string(),
  issuerCommonName: z.string().optional(),
  serialNumber: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  fingerprintSha256: z.string(),
  isCA: z.boolean(),
  selfSigned: z.boolean(),
  keyType: z.string().optional(),
});

function source<T extends z.ZodType>(data: T) {
  return z.object({
    status: z.enum(['ok', 'not-configured', 'error']),
    data: data.optional(),
    reason: z.string().optional(),
    missing: z
      .object({
        annotations: strings.optional(),
        configKey: z.string().optional(),
      })
      .optional(),
    errors: z.array(sectionError).optional(),
  });
}

const certManagerCertificate = z.object({
  cluster: z.string(),
  namespace: z.string(),
  name: z.string(),
  secretName: z.string(),
  issuerRef: z.object({
    name: z.string(),
    kind: z.string().optional(),
    group: z.string().optional(),
  }),
  commonName: z.string().optional(),
  dnsNames: strings,
  ipAddresses: strings,
  duration: z.string().optional(),
  renewBefore: z.string().optional(),
  ready: z
    .object({
      status: conditionStatus,
      reason: z.string().optional(),
      message: z.string().optional(),
      lastTransitionTime: z.string().optional(),
    })
    .optional(),
  issuing: z
    .object({
      status: conditionStatus,
      reason: z.string().optional(),
      message: z.string().optional(),
    })
    .optional(),
  notBefore: z.string().optional(),
  notAfter: z.string().optional(),
  renewalTime: z.string().optional(),
  revision: z.number().optional(),
  lastFailureTime: z.string().optional(),
  failedIssuanceAttempts: z.number().optional(),
  daysLeft: z.number().optional(),
  health,
});

const kongCertificate = z.object({
  instance: z.string(),
  id: z.string(),
  snis: strings,
  hosts: strings,
  uncoveredHosts: strings,
  tags: strings.nullish(),
  chain: z.array(details),
  alternate: details.optional(),
  daysLeft: z.number().optional(),
  health,
  error: z.string().optional(),
});

const tlsProbe = z.object({
  host: z.string(),
  port: z.number(),
  sources: z.array(z.enum(['kong-route', 'annotation'])),
  outcome: z.enum(['probed', 'failed', 'not-allowed', 'skipped']),
  reason: z.string().optional(),
  checkedAt: z.string().optional(),
  protocol: z.string().optional(),
  cipher: z.string().optional(),
  trusted: z.boolean().optional(),
  hostnameMatches: z.boolean().optional(),
  errors: z.array(
    z.object({
      kind: z.enum([
        'expired',
        'not-yet-valid',
        'self-signed',
        'unknown-ca',
        'wrong-host',
        'other',
      ]),
      code: z.string(),
      message: z.string(),
    }),
  ),
  chain: z.array(details),
  daysLeft: z.number().optional(),
  health,
});

const istioRoot = z.object({
  cluster: z.string(),
  namespace: z.string(),
  configMap: z.string(),
  certificates: z.array(details),
  daysLeft: z.number().optional(),
  health,
  error: z.string().optional(),
});

/** @public */
export const certificatesSectionSchema: z.ZodType<CertificatesSection> =
  z.object({
    thresholds: z.object({ warningDays: z.number(), criticalDays: z.number() }),
    certificates: z.array(
      z.object({
        id: z.string(),
        sources: z.array(
          z.object({
            kind: z.enum(['cert-manager', 'kong', 'istio-root', 'tls-probe']),
            object: z.string(),
            label: z.string(),
          }),
        ),
        subject: z.string().optional(),
        commonName: z.string().optional(),
        dnsNames: strings,
        issuer: z.string().optional(),
        notBefore: z.string().optional(),
        notAfter: z.string().optional(),
        daysLeft: z.number().optional(),
        health,
        reason: z.string(),
      }),
    ),
    summary: z.object({
      total: z.number(),
      byHealth: z.object({
        ok: z.number(),
        warning: z.number(),
        critical: z.number(),
        expired: z.number(),
        error: z.number(),
      }),
      worst: health.nullable(),
      nextExpiry: z
        .object({
          notAfter: z.string(),
          daysLeft: z.number(),
          label: z.string(),
        })
        .optional(),
      expired: z.number(),
    }),
    certManager: source(z.array(certManagerCertificate)),
    kong: source(
      z.object({
        certificates: z.array(kongCertificate),
        hosts: z.array(
          z.object({
            instance: z.string(),
            host: z.string(),
            sni: z.string().optional(),
            certificateId: z.string().optional(),
            routes: strings,
          }),
        ),
      }),
    ),
    istioRoot: source(z.array(istioRoot)),
    probes: source(z.array(tlsProbe)),
    sharedRoot: z.object({
      status: z.enum(['shared', 'partial', 'not-shared', 'unknown']),
      message: z.string(),
      istioRoots: strings,
      edge: z.array(
        z.object({
          source: z.enum(['kong', 'tls-probe']),
          object: z.string(),
          root: z.string().optional(),
          sharesIstioRoot: z.boolean().optional(),
        }),
      ),
    }),
  });
