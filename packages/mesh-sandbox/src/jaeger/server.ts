import { createServer } from 'node:http';
import { z } from 'zod';
import type { FaultInjector } from '../faults/FaultInjector';
import { listen } from '../listen';
import { AdrTraceGenerator } from './adrTraces';
import type { TraceSource } from './model';
import { handleQuery } from './queryApi';
import { indexPage, searchPage, tracePage } from './uiPages';

/** @public */
export interface JaegerQueryServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Where traces come from; by default the ADR services' traces from `seed`. */
  source?: TraceSource;
  /** Seed of the default generated traces. */
  seed?: string;
  /** Jaeger has no auth of its own; with this every request needs the header (as behind a proxy). */
  auth?: { header: string; value: string };
  now?: () => number;
  faults?: FaultInjector;
  /** Named in the error when the port is taken. */
  portSetting?: string;
}

/** @public */
export interface JaegerQueryServer {
  /** Base URL of the query service (and of its UI stand-in), e.g. `http://127.0.0.1:16686`. */
  url: string;
  port: number;
  /** Every request received (method and path with query), oldest first. */
  requests: { method: string; path: string }[];
  source: TraceSource;
  close(): Promise<void>;
}

const optionsSchema = z.object({
  port: z.number().int().min(0).max(65535).default(0),
  host: z.string().min(1).default('127.0.0.1'),
  seed: z.string().min(1).optional(),
  auth: z
    .object({
      header: z
        .string()
        .regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'not an HTTP header name'),
      value: z.string().min(1),
    })
    .optional(),
  portSetting: z.string().optional(),
});

/**
 * Starts Jaeger's query service on loopback: the v1 API (`/api/*`) and the v3 API (`/api/v3/*`)
 * over the same traces, plus plain pages for the UI links `/trace/{id}` and `/search`.
 *
 * @public
 */
export async function startJaegerQueryServer(
  options: JaegerQueryServerOptions = {},
): Promise<JaegerQueryServer> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `startJaegerQueryServer: invalid option ${issue.path.join('.')}: ${issue.message}`,
    );
  }
  const { port, host, seed, auth, portSetting } = parsed.data;
  const now = options.now ?? Date.now;
  const source = options.source ?? new AdrTraceGenerator({ seed, now });
  const requests: JaegerQueryServer['requests'] = [];

  const server = createServer(async (req, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    requests.push({ method, path });
    req.resume();
    if (options.faults && (await options.faults.apply(req, res))) return;
    const send = (
      status: number,
      headers: Record<string, string>,
      body: string,
    ) => {
      res.writeHead(status, {
        ...headers,
        'Content-Length': Buffer.byteLength(body),
      });
      res.end(method === 'HEAD' ? undefined : body);
    };
    if (auth && req.headers[auth.header.toLowerCase()] !== auth.value) {
      send(
        401,
        { 'Content-Type': 'text/plain; charset=utf-8' },
        'Unauthorized\n',
      );
      return;
    }
    if (method !== 'GET' && method !== 'HEAD') {
      send(
        405,
        { 'Content-Type': 'text/plain; charset=utf-8' },
        'Method Not Allowed\n',
      );
      return;
    }
    const url = new URL(path, 'http://jaeger');
    try {
      const html = uiPage(url, source, now);
      if (html !== undefined) {
        send(
          html ? 200 : 404,
          { 'Content-Type': 'text/html; charset=utf-8' },
          html || 'trace not found',
        );
        return;
      }
      const response = handleQuery(url, { source, now });
      send(response.status, response.headers, response.body);
    } catch (error) {
      send(
        500,
        { 'Content-Type': 'text/plain; charset=utf-8' },
        `sandbox error: ${(error as Error).message}\n`,
      );
    }
  });

  const listening = await listen(server, {
    host,
    port,
    what: 'Jaeger query sandbox',
    howToChange: portSetting ?? 'the "port" option of startJaegerQueryServer',
  });
  return {
    ...listening,
    requests,
    source,
    close: async () => {
      options.faults?.releaseHanging();
      await listening.close();
    },
  };
}

/** The UI stand-in's page for `url`: HTML, '' for a missing trace, undefined when not a UI path. */
function uiPage(
  url: URL,
  source: TraceSource,
  now: () => number,
): string | undefined {
  if (url.pathname === '/') return indexPage(source);
  const trace = /^\/trace\/([0-9a-fA-F]{1,32})$/.exec(url.pathname);
  if (trace) {
    const found = source.trace(trace[1].toLowerCase().padStart(32, '0'));
    return found ? tracePage(found) : '';
  }
  if (url.pathname === '/search') {
    const nowUs = now() * 1000;
    const number = (name: string, fallback: number) => {
      const value = Number(url.searchParams.get(name));
      return url.searchParams.has(name) && Number.isFinite(value)
        ? value
        : fallback;
    };
    return searchPage(
      source,
      url.searchParams.get('service') ?? '',
      number('start', nowUs - 3_600_000_000),
      number('end', nowUs),
      Math.min(number('limit', 20), 200),
    );
  }
  return undefined;
}
