import { ServiceSpec } from '@internal/plugin-mesh-gateway-common';
import { certificateName, objectMeta } from './common';
import { yamlFile } from './serialize';
import { Certificate, GeneratedFile } from './types';

/**
 * The service's certificate from the issuer chained to the root CA that Kong and Istio share.
 * Renewed `rotationDays` after issuance: `renewBefore = duration - rotation`.
 */
export function certificate(spec: ServiceSpec): Certificate {
  const { durationDays, rotationDays } = spec.certificate;
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: objectMeta(spec, certificateName(spec)),
    spec: {
      secretName: certificateName(spec),
      dnsNames: [...spec.certificate.hosts],
      duration: `${durationDays * 24}h`,
      renewBefore: `${(durationDays - rotationDays) * 24}h`,
      issuerRef: {
        name: spec.certificate.issuerName,
        kind: spec.certificate.issuerKind,
        group: 'cert-manager.io',
      },
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      usages: ['server auth', 'digital signature'],
    },
  };
}

export function certificateFiles(spec: ServiceSpec): GeneratedFile[] {
  return [yamlFile('certificates/certificate.yaml', [certificate(spec)])];
}
