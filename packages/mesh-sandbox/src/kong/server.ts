import { createServer } from 'node:http';
import { z } from 'zod';
import { listen } from '../listen';
import type { FaultInjector } from '../faults/FaultInjector';
import { KongAdminApi, KongAdminApiOptions, KongServerStats } from './adminApi';
import type { KongDataset } from './types';

/** @public */
export interface KongAdminServerOptions extends KongAdminApiOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1: the sandbox serves secrets as Kong does and stays on loopback. */
  host?: string;
  dataset: KongDataset;
  /** Named in the error when the port is taken: how the caller's user picks another port. */
  portSetting?: string;
  /** Misbehaviour to inject before requests reach the Admin API. */
  faults?: FaultInjector;
}

/** A request as the server received it. @public */
export interface RecordedRequest {
  method: string;
  /** Path and query string, as sent. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
}

/** @public */
export interface KongAdminServer {
  /** Base URL, e.g. `http://127.0.0.1:8001`. */
  url: string;
  port: number;
  close(): Promise<void>;
  /** Every request received, oldest first (tests count calls with it). */
  requests: RecordedRequest[];
  /** Serves another dataset from now on, as if Kong's configuration had changed. */
  setDataset(dataset: KongDataset): void;
}

const httpToken = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

const optionsSchema = z.object({
  port: z.number().int().min(0).max(65535).default(0),
  host: z.string().min(1).default('127.0.0.1'),
  workspace: z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9._~-]*$/,
      'a workspace name has no slashes or spaces',
    )
    .optional(),
  adminToken: z.string().min(1).optional(),
  authHeader: z.string().regex(httpToken, 'not an HTTP header name').optional(),
  nestedNextUses: z.enum(['parent-id', 'path-segment']).optional(),
  nextIncludesWorkspace: z.boolean().optional(),
  portSetting: z.string().optional(),
});

/**
 * Starts a Kong Admin API (read side) over `dataset` on loopback. With `workspace` it behaves like
 * Kong Enterprise (`/{workspace}/services`...), with `adminToken` it answers 401 to requests that
 * lack the token in `authHeader` (default `Kong-Admin-Token`).
 *
 * @public
 */
export async function startKongAdminServer(
  options: KongAdminServerOptions,
): Promise<KongAdminServer> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `startKongAdminServer: invalid option ${issue.path.join('.')}: ${issue.message}`,
    );
  }
  const { port, host, portSetting, ...apiOptions } = parsed.data;
  const stats: KongServerStats = {
    totalRequests: 0,
    connectionsAccepted: 0,
    connectionsActive: 0,
  };
  const api = new KongAdminApi(options.dataset, apiOptions, stats);
  const requests: RecordedRequest[] = [];

  const server = createServer(async (req, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    requests.push({ method, path, headers: { ...req.headers } });
    if (options.faults && (await options.faults.apply(req, res))) return;
    const response = api.handle({ method, url: path, headers: req.headers });
    const body =
      response.body === undefined ? '' : JSON.stringify(response.body);
    res.writeHead(response.status, {
      ...response.headers,
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(method === 'HEAD' ? undefined : body);
    // Drain a request body nobody reads, so the connection can be reused.
    req.resume();
  });
  server.on('connection', socket => {
    stats.connectionsAccepted++;
    stats.connectionsActive++;
    socket.on('close', () => stats.connectionsActive--);
  });

  const listening = await listen(server, {
    host,
    port,
    what: `Kong Admin API sandbox${apiOptions.workspace ? ` (workspace ${apiOptions.workspace})` : ''}`,
    howToChange: portSetting ?? 'the "port" option of startKongAdminServer',
  });
  return {
    ...listening,
    close: async () => {
      options.faults?.releaseHanging();
      await listening.close();
    },
    requests,
    setDataset: dataset => api.setDataset(dataset),
  };
}
