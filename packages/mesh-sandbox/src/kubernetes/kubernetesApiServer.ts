import { createHash } from 'node:crypto';
import http from 'node:http';
import { listen } from '../listen';
import type { FaultInjector } from '../faults/FaultInjector';
import { matchesSelector, parseLabelSelector } from './labelSelector';
import { KubeObject, SERVED_RESOURCES, ServedResource } from './types';

export interface KubernetesApiServerOptions {
  port?: number;
  host?: string;
  objects: KubeObject[];
  /** `plural.group` (or `plural` for core) the sandbox's service account may not list. */
  forbidden?: string[];
  /** Bearer token required on every request, when set. */
  token?: string;
  /** Answer the first request that carries a continue token with 410 Expired. */
  expireFirstContinue?: boolean;
  /** Misbehaviour to inject before requests reach the API. */
  faults?: FaultInjector;
  /**
   * API versions this cluster does not serve, as `group/version` (e.g. `networking.istio.io/v1`:
   * an Istio older than 1.22). Their paths answer 404 and discovery leaves them out.
   */
  unservedVersions?: string[];
}

export interface KubernetesApiServer {
  url: string;
  port: number;
  /** Every request received (method, path with query), for tests that count calls. */
  requests: { method: string; path: string }[];
  /** Makes every continue token issued so far expire (HTTP 410), as etcd compaction does. */
  expireContinueTokens(): void;
  close(): Promise<void>;
}

function status(code: number, reason: string, message: string) {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

function resourceName(r: ServedResource) {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

/**
 * A read-only Kubernetes API server on loopback: discovery, get and list of the resources in
 * {@link SERVED_RESOURCES}, label selectors, `limit`/`continue` pagination with 410 on expired
 * tokens, version conversion between served versions, and 403 for forbidden resource types.
 */
export async function startKubernetesApiServer(options: KubernetesApiServerOptions): Promise<KubernetesApiServer> {
  const objects = options.objects.map((o, i) => ({
    ...o,
    metadata: {
      uid: createHash('sha1').update(`${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12}).*$/, '$1-$2-$3-$4-$5'),
      resourceVersion: String(1000 + i),
      generation: 1,
      creationTimestamp: '2026-10-01T08:00:00Z',
      managedFields: [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: o.apiVersion, time: '2026-10-01T08:00:00Z', fieldsType: 'FieldsV1', fieldsV1: {} }],
      ...o.metadata,
    },
  }));
  const resourceVersion = String(1000 + objects.length);
  const forbidden = new Set(options.forbidden ?? []);
  const unserved = new Set(options.unservedVersions ?? []);
  const servedResources: ServedResource[] = SERVED_RESOURCES.map(r => ({
    ...r,
    versions: r.versions.filter(v => !unserved.has(r.group ? `${r.group}/${v}` : v)),
  })).filter(r => r.versions.length > 0);
  const requests: KubernetesApiServer['requests'] = [];
  let tokenEpoch = 0;
  let expiredOnce = false;

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    requests.push({ method: req.method ?? 'GET', path: `${url.pathname}${url.search}` });
    if (options.faults && (await options.faults.apply(req, res))) return;
    const send = (code: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    if (options.token && req.headers.authorization !== `Bearer ${options.token}`) {
      send(401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    if (req.method !== 'GET') {
      send(405, status(405, 'MethodNotAllowed', 'the sandbox is read-only'));
      return;
    }
    try {
      const result = route(url);
      send(result.code, result.body);
    } catch (error) {
      send(400, status(400, 'BadRequest', (error as Error).message));
    }
  });

  function route(url: URL): { code: number; body: unknown } {
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (url.pathname === '/version') {
      return { code: 200, body: { major: '1', minor: '31', gitVersion: 'v1.31.0-mesh-sandbox', platform: 'linux/amd64' } };
    }
    if (url.pathname === '/api') {
      return { code: 200, body: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] } };
    }
    if (url.pathname === '/apis') {
      const groups = [...new Set(servedResources.filter(r => r.group).map(r => r.group))];
      return {
        code: 200,
        body: {
          kind: 'APIGroupList',
          apiVersion: 'v1',
          groups: groups.map(name => {
            const versions = servedResources.find(r => r.group === name)!.versions;
            return { name, versions: versions.map(v => ({ groupVersion: `${name}/${v}`, version: v })), preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] } };
          }),
        },
      };
    }
    let group: string;
    let version: string;
    let rest: string[];
    if (parts[0] === 'api' && parts[1] === 'v1') {
      group = '';
      version = 'v1';
      rest = parts.slice(2);
    } else if (parts[0] === 'apis' && parts.length >= 4) {
      group = parts[1];
      version = parts[2];
      rest = parts.slice(3);
    } else {
      return notFound();
    }
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const [plural, name, ...extra] = rest;
    const resource = servedResources.find(r => r.group === group && r.plural === plural && r.versions.includes(version));
    if (!resource || extra.length > 0) return notFound();
    const apiVersion = group ? `${group}/${version}` : version;
    if (forbidden.has(resourceName(resource))) {
      const verb = name ? 'get' : 'list';
      return {
        code: 403,
        body: status(403, 'Forbidden', `${resourceName(resource)}${name ? ` "${name}"` : ''} is forbidden: User "system:serviceaccount:backstage:mesh-gateway" cannot ${verb} resource "${plural}" in API group "${group}"${namespace ? ` in the namespace "${namespace}"` : ' at the cluster scope'}`),
      };
    }
    const matching = objects.filter(
      o => o.kind === resource.kind && (o.apiVersion.split('/')[0] === (group || o.apiVersion.split('/')[0])) && (!namespace || o.metadata.namespace === namespace),
    );
    const served = (o: KubeObject) => ({ ...o, apiVersion });
    if (name) {
      const found = matching.find(o => o.metadata.name === name);
      if (!found) {
        return { code: 404, body: status(404, 'NotFound', `${resourceName(resource)} "${name}" not found`) };
      }
      return { code: 200, body: served(found) };
    }

    const selector = url.searchParams.get('labelSelector') ?? '';
    const requirements = parseLabelSelector(selector);
    const selected = matching
      .filter(o => matchesSelector(requirements, o.metadata.labels))
      .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
    const queryKey = createHash('sha1').update(`${url.pathname}?${selector}`).digest('hex').slice(0, 12);
    let offset = 0;
    const token = url.searchParams.get('continue');
    if (token) {
      let decoded: { o?: number; q?: string; e?: number };
      try {
        decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
      } catch {
        throw new Error('continue key is not valid');
      }
      if (decoded.q !== queryKey || typeof decoded.o !== 'number') throw new Error('continue key is not valid for this query');
      if (options.expireFirstContinue && !expiredOnce) {
        expiredOnce = true;
        tokenEpoch++;
      }
      if (decoded.e !== tokenEpoch) {
        return { code: 410, body: status(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.') };
      }
      offset = decoded.o;
    }
    const limitParam = url.searchParams.get('limit');
    const limit = limitParam ? Number(limitParam) : 0;
    if (limitParam && (!Number.isInteger(limit) || limit < 0)) throw new Error(`invalid limit ${limitParam}`);
    const page = limit > 0 ? selected.slice(offset, offset + limit) : selected.slice(offset);
    const next = limit > 0 && offset + limit < selected.length ? offset + limit : undefined;
    const metadata: Record<string, unknown> = { resourceVersion };
    if (next !== undefined) {
      metadata.continue = Buffer.from(JSON.stringify({ o: next, q: queryKey, e: tokenEpoch })).toString('base64url');
      if (!selector) metadata.remainingItemCount = selected.length - next;
    }
    return {
      code: 200,
      body: {
        apiVersion,
        kind: `${resource.kind}List`,
        metadata,
        // Typed core lists omit apiVersion/kind on items; custom resource lists keep them.
        items: page.map(o => (group && !['apps'].includes(group) ? served(o) : stripTypeMeta(o))),
      },
    };
  }

  function notFound() {
    return { code: 404, body: status(404, 'NotFound', 'the server could not find the requested resource') };
  }

  const listening = await listen(server, {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    what: 'Kubernetes API sandbox',
    howToChange: '--kubernetes-port, MESH_SANDBOX_KUBERNETES_PORT or config kubernetes.port',
  });
  return {
    ...listening,
    close: async () => {
      options.faults?.releaseHanging();
      await listening.close();
    },
    requests,
    expireContinueTokens: () => {
      tokenEpoch++;
    },
  };
}

function stripTypeMeta(o: KubeObject) {
  const { apiVersion: _a, kind: _k, ...rest } = o;
  return rest;
}
