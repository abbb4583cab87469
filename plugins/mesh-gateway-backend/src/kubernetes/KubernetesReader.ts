import * as k8s from '@kubernetes/client-node';
import type { KubernetesObjectView } from '@internal/plugin-mesh-gateway-common';
import { kindForStatus, UpstreamError } from '../http/UpstreamError';
import { parseRetryAfter } from '../http/fetchJson';
import { DEFAULT_UPSTREAM_POLICY, UpstreamPolicy, UpstreamPolicyOptions } from '../http/UpstreamPolicy';
import type { KubernetesClusterConfig } from './clusters';

/** A resource type the reader lists: group '' is the core API. */
export interface ResourceType {
  group: string;
  /** Versions to try in order; the first the cluster serves is used. */
  versions: string[];
  plural: string;
  kind: string;
}

/** The backend may not list a resource type; the section names the RBAC rule it needs. */
export class ForbiddenResourceError extends Error {
  readonly resource: string;
  /** The namespace listed in, or for a cluster-scoped resource the object's name. */
  readonly namespace: string;
  readonly clusterScoped: boolean;
  /** `list` for a search across namespaces, `get` for one cluster-scoped object. */
  readonly verb: 'get' | 'list';
  constructor(resource: string, namespace: string, options: { clusterScoped?: boolean; verb?: 'get' | 'list' } = {}) {
    const verb = options.verb ?? (options.clusterScoped ? 'get' : 'list');
    super(
      options.clusterScoped
        ? `forbidden: ${verb} ${resource} ${verb === 'get' ? namespace : `in ${namespace}`}`
        : `forbidden: list ${resource} in namespace ${namespace}`,
    );
    this.verb = verb;
    this.name = 'ForbiddenResourceError';
    this.resource = resource;
    this.namespace = namespace;
    this.clusterScoped = options.clusterScoped ?? false;
  }
  get need(): string {
    const [plural, ...group] = this.resource.split('.');
    const rule = `apiGroups: ["${group.join('.')}"], resources: ["${plural}"]`;
    if (!this.clusterScoped) return `${rule}, verbs: ["get", "list"] in namespace ${this.namespace}`;
    if (this.verb === 'list') return `${rule}, verbs: ["list"] in a ClusterRole (to search ${this.namespace})`;
    return `${rule}, verbs: ["get"] in a ClusterRole (${plural} are cluster-scoped)`;
  }
}

const MAX_PAGES = 200;

/** An object with its `status`, for resources whose status is what is read (e.g. cert-manager Certificates). */
export type KubernetesObjectWithStatus = KubernetesObjectView & { status?: Record<string, unknown> };

/** Keeps what the analysis and the page show; managedFields and status stay behind. */
export function toObjectView(raw: any, fallback: { apiVersion: string; kind: string }): KubernetesObjectView {
  const metadata = raw?.metadata ?? {};
  return {
    apiVersion: raw?.apiVersion ?? fallback.apiVersion,
    kind: raw?.kind ?? fallback.kind,
    metadata: {
      name: String(metadata.name ?? ''),
      namespace: metadata.namespace,
      uid: metadata.uid,
      creationTimestamp:
        metadata.creationTimestamp instanceof Date
          ? metadata.creationTimestamp.toISOString()
          : metadata.creationTimestamp,
      generation: metadata.generation,
      labels: metadata.labels,
      annotations: withoutLastApplied(metadata.annotations),
    },
    spec: raw?.spec,
  };
}

function withoutLastApplied(annotations?: Record<string, string>) {
  if (!annotations) return undefined;
  const { 'kubectl.kubernetes.io/last-applied-configuration': _dropped, ...rest } = annotations;
  return rest;
}

/**
 * Read-only access to one cluster through @kubernetes/client-node, with a timeout on every
 * call, `continue` pagination, version fallback for CRDs and 403s reported per resource type.
 */
export class KubernetesReader {
  readonly cluster: KubernetesClusterConfig;
  private readonly custom: k8s.CustomObjectsApi;
  private readonly core: k8s.CoreV1Api;
  private readonly timeoutMs: number;
  private readonly servedVersion = new Map<string, string>();

  private readonly pageSize: number;

  readonly policy: UpstreamPolicy;

  constructor(
    cluster: KubernetesClusterConfig,
    timeoutMs: number,
    pageSize = 500,
    policy: UpstreamPolicyOptions = DEFAULT_UPSTREAM_POLICY,
  ) {
    this.cluster = cluster;
    this.policy = new UpstreamPolicy(cluster.name, policy);
    this.timeoutMs = timeoutMs;
    this.pageSize = pageSize;
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({
      clusters: [
        {
          name: cluster.name,
          server: cluster.url,
          caData: cluster.caData,
          caFile: cluster.caFile,
          skipTLSVerify: cluster.skipTLSVerify,
        },
      ],
      users: [{ name: 'mesh-gateway', token: cluster.serviceAccountToken }],
      contexts: [{ name: cluster.name, cluster: cluster.name, user: 'mesh-gateway' }],
      currentContext: cluster.name,
    });
    this.custom = kc.makeApiClient(k8s.CustomObjectsApi);
    this.core = kc.makeApiClient(k8s.CoreV1Api);
  }

  /** Lists a namespaced resource, following `continue` and restarting once on an expired token. */
  async list(
    type: ResourceType,
    namespace: string,
    labelSelector?: string,
    options: { withStatus?: boolean } = {},
  ): Promise<KubernetesObjectWithStatus[]> {
    const key = `${type.group}/${type.plural}`;
    const versions = this.servedVersion.has(key) ? [this.servedVersion.get(key)!] : type.versions;
    let lastError: unknown;
    for (const version of versions) {
      try {
        const items = await this.listVersion(type, version, namespace, labelSelector, options.withStatus);
        this.servedVersion.set(key, version);
        return items;
      } catch (error) {
        lastError = error;
        if (statusOf(error) !== 404) break;
      }
    }
    throw this.translate(lastError, type, namespace);
  }

  private async listVersion(type: ResourceType, version: string, namespace: string, labelSelector?: string, withStatus = false) {
    const apiVersion = type.group ? `${type.group}/${version}` : version;
    for (let attempt = 0; attempt < 2; attempt++) {
      const items: KubernetesObjectWithStatus[] = [];
      let token: string | undefined;
      try {
        for (let page = 0; page < MAX_PAGES; page++) {
          const pageToken = token;
          const body: any = await this.withTimeout(
            () => type.group
              ? this.custom.listNamespacedCustomObject({
                  group: type.group,
                  version,
                  namespace,
                  plural: type.plural,
                  labelSelector,
                  limit: this.pageSize,
                  _continue: pageToken,
                })
              : this.listCore(type.plural, namespace, labelSelector, pageToken),
            `list ${type.plural}`,
          );
          for (const item of body?.items ?? []) {
            const view: KubernetesObjectWithStatus = toObjectView(item, { apiVersion, kind: type.kind });
            if (withStatus && item?.status) view.status = item.status;
            items.push(view);
          }
          token = body?.metadata?._continue ?? body?.metadata?.continue;
          if (!token) return items;
        }
        throw new UpstreamError({
          kind: 'bad-response',
          instance: this.cluster.name,
          message: `${this.cluster.name}: list ${type.plural} in ${namespace} has more than ${MAX_PAGES} pages`,
        });
      } catch (error) {
        // A continue token expires (410 Gone); the list must restart from the beginning.
        if (statusOf(error) === 410 && attempt === 0) continue;
        throw error;
      }
    }
    return [];
  }

  private listCore(plural: string, namespace: string, labelSelector?: string, token?: string) {
    const request = { namespace, labelSelector, limit: this.pageSize, _continue: token };
    switch (plural) {
      case 'services':
        return this.core.listNamespacedService(request);
      case 'pods':
        return this.core.listNamespacedPod(request);
      case 'configmaps':
        return this.core.listNamespacedConfigMap(request);
      default:
        throw new Error(`core resource ${plural} is not read`);
    }
  }

  /**
   * The namespaces holding pods that match `labelSelector`, across the cluster: how the
   * Kubernetes plugin finds an entity's workloads when no namespace is annotated.
   */
  async namespacesOfPods(labelSelector: string): Promise<string[]> {
    const namespaces = new Set<string>();
    let token: string | undefined;
    try {
      for (let page = 0; page < MAX_PAGES; page++) {
        const request = { labelSelector, limit: this.pageSize, _continue: token };
        const body: any = await this.withTimeout(
          () => this.core.listPodForAllNamespaces(request),
          'list pods in all namespaces',
        );
        for (const item of body?.items ?? []) {
          if (item?.metadata?.namespace) namespaces.add(item.metadata.namespace);
        }
        token = body?.metadata?._continue ?? body?.metadata?.continue;
        if (!token) break;
      }
    } catch (error) {
      if (statusOf(error) === 403) throw new ForbiddenResourceError('pods', 'all namespaces', { clusterScoped: true, verb: 'list' });
      throw error;
    }
    return [...namespaces].sort();
  }

  async readNamespace(name: string): Promise<KubernetesObjectView | undefined> {
    try {
      const ns = await this.withTimeout(() => this.core.readNamespace({ name }), 'read namespace');
      return toObjectView(ns, { apiVersion: 'v1', kind: 'Namespace' });
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      if (statusOf(error) === 403) throw new ForbiddenResourceError('namespaces', name, { clusterScoped: true });
      throw this.translate(error, { group: '', plural: 'namespaces', versions: ['v1'], kind: 'Namespace' }, name);
    }
  }

  /** Reads a ConfigMap's data (never a Secret). */
  async readConfigMapData(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    try {
      const cm = await this.withTimeout(() => this.core.readNamespacedConfigMap({ name, namespace }), 'read configmap');
      return cm.data ?? {};
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw this.translate(error, { group: '', plural: 'configmaps', versions: ['v1'], kind: 'ConfigMap' }, namespace);
    }
  }

  /**
   * One API call under the cluster's policy. Failures are classified first, so that the
   * breaker counts timeouts and unreachable clusters but not 403s or 404s.
   */
  private withTimeout<T>(call: () => Promise<T>, what: string): Promise<T> {
    // Each attempt waits only what is left of the call's deadline, so a retry never holds a
    // connection slot past it.
    return this.policy.run(async ({ timeoutMs }) => {
      try {
        return await this.timed(call(), what, timeoutMs);
      } catch (error) {
        throw classify(error, this.cluster.name, what);
      }
    }, this.timeoutMs);
  }

  private async timed<T>(promise: Promise<T>, what: string, timeoutMs: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new UpstreamError({
              kind: 'timeout',
              instance: this.cluster.name,
              message: `${this.cluster.name}: ${what} got no answer within ${timeoutMs} ms`,
            }),
          ),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([promise, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private translate(error: unknown, type: ResourceType, namespace: string): Error {
    const status = statusOf(error);
    const resource = type.group ? `${type.plural}.${type.group}` : type.plural;
    if (status === 403) return new ForbiddenResourceError(resource, namespace);
    if (status !== undefined) {
      const retryAfterMs = error instanceof UpstreamError ? error.retryAfterMs : undefined;
      return new UpstreamError({
        kind: kindForStatus(status),
        instance: this.cluster.name,
        status,
        retryAfterMs,
        message: `${this.cluster.name}: ${resource} in ${namespace}: HTTP ${status}${status === 404 ? ' (the API is not served: is the CRD installed?)' : ''}${retryAfterMs !== undefined ? ` (Retry-After ${Math.ceil(retryAfterMs / 1000)} s)` : ''}`,
      });
    }
    if (error instanceof UpstreamError) return error;
    return new UpstreamError({
      kind: 'unreachable',
      instance: this.cluster.name,
      message: `${this.cluster.name}: ${resource} in ${namespace}: ${(error as Error)?.message ?? String(error)}`,
      cause: error,
    });
  }
}

/**
 * Gives API failures an UpstreamError kind while keeping the HTTP status, which `translate`
 * later turns into the message a section shows (403 → the RBAC rule to add).
 */
function classify(error: unknown, cluster: string, what: string): unknown {
  if (error instanceof UpstreamError) return error;
  const status = statusOf(error);
  if (status === undefined) {
    const code = (error as { code?: string; cause?: { code?: string } })?.cause?.code ?? (error as { code?: string })?.code;
    if (error instanceof SyntaxError) {
      return new UpstreamError({ kind: 'bad-response', instance: cluster, message: `${cluster}: ${what}: the answer is not valid JSON`, cause: error });
    }
    return new UpstreamError({
      kind: 'unreachable',
      instance: cluster,
      message: `${cluster}: ${what}: ${connectionProblem(code, error)}`,
      cause: error,
    });
  }
  const retryAfterMs =
    status === 429 || status === 503 ? parseRetryAfter(headerOf(error, 'retry-after') ?? null) : undefined;
  return new UpstreamError({
    kind: kindForStatus(status),
    instance: cluster,
    status,
    retryAfterMs,
    message: `${cluster}: ${what}: HTTP ${status}${retryAfterMs !== undefined ? ` (Retry-After ${Math.ceil(retryAfterMs / 1000)} s)` : ''}`,
    cause: error,
  });
}

function connectionProblem(code: string | undefined, error: unknown): string {
  if (code === 'ECONNRESET') return 'connection reset by the upstream (ECONNRESET)';
  if (code) return `connection failed (${code})`;
  return (error as Error)?.message ?? String(error);
}

/** A response header of the client's ApiException, whatever casing the client keeps. */
function headerOf(error: unknown, name: string): string | undefined {
  const headers = (error as { headers?: Record<string, unknown> })?.headers;
  if (!headers) return undefined;
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  const value = Array.isArray(entry?.[1]) ? entry?.[1][0] : entry?.[1];
  return typeof value === 'string' ? value : undefined;
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof UpstreamError) return error.status;
  if (error instanceof k8s.ApiException) return error.code;
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'number' ? code : undefined;
}
