import type { Config } from '@backstage/config';
import { MESH_BASELINE } from '@internal/plugin-mesh-gateway-common';
import { z } from 'zod';
import { isHostName } from '@internal/plugin-mesh-gateway-common';
import { AllowedHost, HostPattern } from './hosts';

const KEY = 'meshGateway.certificates';

/** Whether `parse` accepts the value (it throws on what it refuses). */
const parses = (parse: (value: string) => unknown) => (value: string) => {
  try {
    return Boolean(parse(value));
  } catch {
    return false;
  }
};

const hostPattern = z.string().refine(
  parses(value => new HostPattern(value)),
  'must be a host pattern: labels of a-z, 0-9, -, * (one label) or ** (several)',
);

const allowedHost = z.string().refine(
  parses(value => new AllowedHost(value)),
  'must be host-pattern, host-pattern:port or host-pattern:*',
);

const address = z
  .string()
  .refine(
    value =>
      isHostName(value.toLowerCase()) ||
      /^(\d{1,3}\.){3}\d{1,3}$/.test(value) ||
      /^[0-9a-f:]+$/i.test(value),
    'must be a host name or an IP address',
  );

const probeSchema = z.object({
  allowedHosts: z.array(allowedHost).default([]),
  timeoutMs: z.number().int().min(100).max(60_000).default(5000),
  cacheSeconds: z.number().int().min(0).max(86_400).default(300),
  concurrency: z.number().int().min(1).max(64).default(4),
  maxHostsPerEntity: z.number().int().min(1).max(200).default(20),
  caBundleFile: z.string().min(1).optional(),
  connectTo: z
    .array(
      z.object({
        host: hostPattern,
        address,
        port: z.number().int().min(1).max(65535).optional(),
      }),
    )
    .default([]),
});

const schema = z
  .object({
    warningDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(MESH_BASELINE.certificates.warningDays),
    criticalDays: z
      .number()
      .int()
      .min(0)
      .max(3650)
      .default(MESH_BASELINE.certificates.criticalDays),
    probe: probeSchema.prefault({}),
  })
  .refine(value => value.criticalDays < value.warningDays, {
    message: 'criticalDays must be less than warningDays',
    path: ['criticalDays'],
  });

/** `meshGateway.certificates` after validation, with defaults filled in. */
export type CertificatesConfig = z.output<typeof schema>;
export type TlsProbeConfig = CertificatesConfig['probe'];

/**
 * Reads `meshGateway.certificates`; throws `Invalid config at meshGateway.certificates...: why`
 * so that the backend refuses to start on a wrong value.
 */
export function readCertificatesConfig(config: Config): CertificatesConfig {
  const parsed = schema.safeParse(config.getOptional(KEY) ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.length > 0 ? `.${issue.path.join('.')}` : '';
    throw new Error(`Invalid config at ${KEY}${path}: ${issue.message}`);
  }
  return parsed.data;
}
