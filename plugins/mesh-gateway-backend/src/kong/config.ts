import type { Config } from '@backstage/config';
import { z } from 'zod';
import { readInstanceArray } from '../service/configReading';

const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

const kongInstanceSchema = z.object({
  name: z.string().regex(dnsLabel, 'must be a lowercase DNS label'),
  adminUrl: z
    .string()
    .url()
    .refine(u => /^https?:$/.test(new URL(u).protocol), 'must be http or https'),
  workspace: z
    .string()
    .regex(/^[A-Za-z0-9.\-_~]+$/, 'must be a Kong workspace name')
    .optional(),
  authHeaderName: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
    .default('Kong-Admin-Token'),
  authToken: z.string().min(1).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).default(5000),
  managerUrl: z.string().url().optional(),
  pageSize: z.number().int().min(1).max(1000).default(1000),
});

/** One Kong Admin API the backend may call, from `meshGateway.kong.instances[]`. */
export type KongInstanceConfig = z.infer<typeof kongInstanceSchema>;

/**
 * Reads `meshGateway.kong.instances`. Returns an empty list when Kong is not configured;
 * throws with the key and reason when the configuration is wrong, so the backend refuses to
 * start rather than failing later on a request.
 */
export function readKongInstances(config: Config): KongInstanceConfig[] {
  return readInstanceArray(config, 'meshGateway.kong.instances', kongInstanceSchema, item => ({
    name: item.getString('name'),
    adminUrl: item.getString('adminUrl'),
    workspace: item.getOptionalString('workspace'),
    authHeaderName: item.getOptionalString('authHeaderName'),
    authToken: item.getOptionalString('authToken') || undefined,
    timeoutMs: item.getOptionalNumber('timeoutMs'),
    managerUrl: item.getOptionalString('managerUrl'),
    pageSize: item.getOptionalNumber('pageSize'),
  }));
}
