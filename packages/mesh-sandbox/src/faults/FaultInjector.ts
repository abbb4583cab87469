import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';

/** The ways an upstream misbehaves that the backend must survive. @public */
export const faultSchema = z.discriminatedUnion('type', [
  /** Answer normally, but only after `ms`. */
  z.object({ type: z.literal('latency'), ms: z.number().int().min(0).max(600_000) }),
  /** Answer with this status and a JSON error body. */
  z.object({ type: z.literal('status'), status: z.number().int().min(400).max(599) }),
  /** 429 with Retry-After. */
  z.object({ type: z.literal('rate-limit'), retryAfterSeconds: z.number().int().min(0).max(3600) }),
  /** 200 with a body that is not JSON. */
  z.object({ type: z.literal('malformed-json') }),
  /** 200 announcing more bytes than are sent, then the connection closes. */
  z.object({ type: z.literal('truncated') }),
  /** The TCP connection is reset before any answer. */
  z.object({ type: z.literal('reset') }),
  /** The connection is accepted and never answered. */
  z.object({ type: z.literal('hang') }),
]);

/** @public */
export type Fault = z.infer<typeof faultSchema>;

/** @public */
export const faultRuleSchema = z.object({
  /** Requests whose path (with query) contains this string, or all when absent. */
  pathIncludes: z.string().optional(),
  fault: faultSchema,
  /** How many requests to hit; unlimited when absent. */
  times: z.number().int().min(1).optional(),
});

/** @public */
export type FaultRule = z.input<typeof faultRuleSchema>;

/**
 * Decides, per request, whether a sandbox server misbehaves. Servers call {@link apply} first;
 * it either handles the request with a fault (returns `true`) or lets it through, possibly late.
 *
 * @public
 */
export class FaultInjector {
  private rules: { rule: z.infer<typeof faultRuleSchema>; left?: number }[] = [];
  private readonly hanging = new Set<IncomingMessage>();
  /** How many requests each fault type has hit, for tests. */
  readonly hits: Record<string, number> = {};

  constructor(rules: FaultRule[] = []) {
    this.set(rules);
  }

  set(rules: FaultRule[]): void {
    this.rules = rules.map(r => {
      const rule = faultRuleSchema.parse(r);
      return { rule, left: rule.times };
    });
  }

  clear(): void {
    this.rules = [];
  }

  /** Returns true when the request was answered (or swallowed) by a fault. */
  async apply(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const path = req.url ?? '/';
    const entry = this.rules.find(
      r => (r.left === undefined || r.left > 0) && (!r.rule.pathIncludes || path.includes(r.rule.pathIncludes)),
    );
    if (!entry) return false;
    if (entry.left !== undefined) entry.left--;
    const { fault } = entry.rule;
    this.hits[fault.type] = (this.hits[fault.type] ?? 0) + 1;
    switch (fault.type) {
      case 'latency':
        await new Promise(resolve => setTimeout(resolve, fault.ms));
        return false;
      case 'status':
        send(res, fault.status, { message: `sandbox fault: HTTP ${fault.status}` });
        return true;
      case 'rate-limit':
        send(res, 429, { message: 'API rate limit exceeded' }, { 'Retry-After': String(fault.retryAfterSeconds) });
        return true;
      case 'malformed-json': {
        const body = '<html><body>502 Bad Gateway</body></html>{"data":[';
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
        return true;
      }
      case 'truncated': {
        const body = '{"data":[{"id":"a","name":"truncated';
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) + 500 });
        res.write(body);
        res.socket?.destroy();
        return true;
      }
      case 'reset':
        req.socket.resetAndDestroy();
        return true;
      case 'hang':
        this.hanging.add(req);
        req.on('close', () => this.hanging.delete(req));
        return true;
      default:
        return false;
    }
  }

  /** Ends connections held by `hang` faults (servers call this on close). */
  releaseHanging(): void {
    for (const req of this.hanging) req.socket.destroy();
    this.hanging.clear();
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
