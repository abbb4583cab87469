import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { UpstreamPolicyOptions } from '../http/UpstreamPolicy';
import type { KongInstanceConfig } from '../kong/config';
import type { KubernetesReader } from '../kubernetes/KubernetesReader';
import { CertificatesSectionProvider } from './CertificatesSectionProvider';
import { readCertificatesConfig } from './config';

export { CertificatesSectionProvider } from './CertificatesSectionProvider';
export type { CertificatesSectionProviderOptions } from './CertificatesSectionProvider';
export { readCertificatesConfig } from './config';
export type { CertificatesConfig, TlsProbeConfig } from './config';
export { certificateHealth, daysLeft } from './health';
export { CERT_MANAGER_CERTIFICATES } from './certManager';
export { TlsProber } from './tlsProbe';

/**
 * The certificates section from `meshGateway.certificates` (throws `Invalid config at
 * meshGateway.certificates...` on a wrong value). cert-manager Certificates and the Istio root
 * are read through `readers`, Kong's certificates through `kongInstances`; without them those
 * sources answer `not-configured`, and without `probe.allowedHosts` no host is probed.
 */
export function createCertificatesSectionProvider(options: {
  config: Config;
  logger: LoggerService;
  readers: KubernetesReader[];
  kongInstances: KongInstanceConfig[];
  policy?: UpstreamPolicyOptions;
  now?: () => number;
}): CertificatesSectionProvider {
  return new CertificatesSectionProvider({
    config: readCertificatesConfig(options.config),
    readers: options.readers,
    kongInstances: options.kongInstances,
    policy: options.policy,
    logger: options.logger,
    now: options.now,
  });
}
