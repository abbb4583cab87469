import type { Config } from '@backstage/config';
import { z } from 'zod';
import { DEFAULT_UPSTREAM_POLICY, UpstreamPolicyOptions } from './UpstreamPolicy';

const schema = z.object({
  concurrency: z.number().int().min(1).max(256).default(DEFAULT_UPSTREAM_POLICY.concurrency),
  retries: z.number().int().min(0).max(5).default(DEFAULT_UPSTREAM_POLICY.retries),
  retryBaseMs: z.number().int().min(1).max(10_000).default(DEFAULT_UPSTREAM_POLICY.retryBaseMs),
  failureThreshold: z.number().int().min(1).max(1000).default(DEFAULT_UPSTREAM_POLICY.failureThreshold),
  openSeconds: z.number().min(1).max(3600).default(DEFAULT_UPSTREAM_POLICY.openMs / 1000),
});

/** Reads `meshGateway.upstreams`: the policy every upstream instance gets. */
export function readUpstreamPolicyOptions(config: Config): UpstreamPolicyOptions {
  const raw = config.getOptional('meshGateway.upstreams') ?? {};
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = ['meshGateway.upstreams', ...issue.path.map(String)].join('.');
    throw new Error(`Invalid config at ${key}: ${issue.message}`);
  }
  const { openSeconds, ...rest } = parsed.data;
  return { ...rest, openMs: openSeconds * 1000 };
}
