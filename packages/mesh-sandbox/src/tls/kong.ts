import { KongDatasetBuilder, KongDatasetBuilderOptions } from '../kong/dataset';
import type { KongDataset } from '../kong/types';
import type { TlsSandboxMaterial } from './tlsSandbox';

/**
 * Adds to a Kong dataset the certificates the TLS sandbox serves, each with an SNI for its host,
 * exactly as Kong would hold them: the leaf and intermediate in `cert`, the private key in `key`.
 * The builder must not hold SNIs of the same names (see {@link withTlsSandboxCertificates}).
 *
 * @public
 */
export function addTlsSandboxToKong(
  builder: KongDatasetBuilder,
  material: TlsSandboxMaterial,
): void {
  for (const host of material.hosts) {
    builder.addCertificate({
      cert: host.served.chainPem,
      key: host.served.keyPem,
      tags: [
        'team:platform',
        'managed-by:cert-manager',
        `scenario:${host.scenario}`,
      ],
      snis: [{ name: host.host, tags: ['team:platform'] }],
    });
  }
}

/**
 * A copy of `dataset` whose certificates for the sandbox hosts are those the TLS sandbox serves:
 * an SNI of the same name (e.g. the ADR's `api.parallel-ai.example.com`) is replaced, together
 * with its certificate when no other SNI uses it.
 *
 * @public
 */
export function withTlsSandboxCertificates(
  dataset: KongDataset,
  material: TlsSandboxMaterial,
  options: KongDatasetBuilderOptions = {},
): KongDataset {
  const replaced = new Set(material.hosts.map(h => h.host.toLowerCase()));
  const snis = dataset.snis.filter(s => !replaced.has(s.name.toLowerCase()));
  const stillUsed = new Set(snis.map(s => s.certificate.id));
  const orphaned = new Set(
    dataset.snis
      .filter(s => replaced.has(s.name.toLowerCase()))
      .map(s => s.certificate.id)
      .filter(id => !stillUsed.has(id)),
  );
  const builder = KongDatasetBuilder.from(
    {
      ...dataset,
      snis,
      certificates: dataset.certificates.filter(c => !orphaned.has(c.id)),
    },
    options,
  );
  addTlsSandboxToKong(builder, material);
  return builder.build();
}
