import OpenAPIRequestValidator from 'openapi-request-validator';
import { readYamlContract } from './contracts';

type Spec = { paths: Record<string, any>; components: Record<string, any> };

function resolveRefs(value: any, spec: Spec): any {
  if (Array.isArray(value)) return value.map(v => resolveRefs(v, spec));
  if (value && typeof value === 'object') {
    if (typeof value.$ref === 'string' && value.$ref.startsWith('#/')) {
      const target = value.$ref.slice(2).split('/').reduce((v: any, k: string) => v?.[k], spec);
      return resolveRefs(target, spec);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, spec)]));
  }
  return value;
}

interface Operation {
  template: string;
  regex: RegExp;
  names: string[];
  parameters: any[];
}

function operations(spec: Spec): Operation[] {
  return Object.entries(spec.paths)
    .filter(([, item]) => item.get)
    .map(([template, item]) => {
      const names: string[] = [];
      const regex = new RegExp(
        `^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, name) => {
          names.push(name);
          return '([^/]+)';
        })}$`,
      );
      // Operation parameters override path-item ones of the same name and location.
      const merged = new Map<string, any>();
      for (const parameter of resolveRefs([...(item.parameters ?? []), ...(item.get.parameters ?? [])], spec)) {
        merged.set(`${parameter.in}:${parameter.name}`, parameter);
      }
      const parameters = [...merged.values()];
      return { template, regex, names, parameters };
    })
    // Literal segments win over parameters: /schemas/plugins/{name} before /{endpoint}.
    .sort((a, b) => a.names.length - b.names.length || b.template.length - a.template.length);
}

/**
 * Checks requests a client sent against Kong's Admin API OpenAPI documents: the path must be a
 * GET operation of the spec and its query and headers must satisfy the operation's parameters.
 *
 * The documents' known defects are handled here, by name, rather than by loosening the check:
 * - OSS 3.9 has no `/upstreams/{id}/health`, a real endpoint (kong/api/routes/upstreams.lua):
 *   it is checked against the pagination parameters every Kong list takes.
 * - OSS 3.9 spells `/services/{service_id_or_name}plugins` without a slash; the client never
 *   calls the per-service plugin list, so the typo cannot match or hide a request.
 * - Workspace paths (`/{workspace}/...`) and `Kong-Admin-Token` exist only in the EE document.
 */
export class KongRequestContract {
  private readonly oss: Operation[];
  private readonly ee: Operation[];
  private readonly paginationParameters: any[];

  constructor() {
    const oss = readYamlContract<Spec>('kong/admin-oss-3.9.openapi.yaml');
    const ee = readYamlContract<Spec>('kong/admin-ee-3.10.openapi.yaml');
    this.oss = operations(oss);
    this.ee = operations(ee);
    this.paginationParameters = resolveRefs(
      [
        { $ref: '#/components/parameters/pagination-size' },
        { $ref: '#/components/parameters/pagination-offset' },
      ],
      oss,
    );
  }

  /** Returns the problems of one request; empty when it fits the contract. */
  check(request: { method: string; path: string; headers?: Record<string, unknown> }, workspace?: string): string[] {
    const url = new URL(request.path, 'http://kong');
    if (request.method !== 'GET') return [`${request.method} ${url.pathname}: the client must only read`];
    const query = Object.fromEntries(url.searchParams.entries());
    const pathname = url.pathname;
    let table = this.oss;
    if (workspace) {
      table = this.ee;
      // Node-wide endpoints (/status, /schemas/...) have no workspace prefix in the EE document.
      if (!pathname.startsWith(`/${workspace}/`) && !this.ee.some(op => !op.template.startsWith('/{workspace}') && op.regex.test(pathname))) {
        return [`${pathname}: missing the workspace prefix /${workspace}`];
      }
    }
    const health = /^(\/[^/]+)?\/upstreams\/[^/]+\/health$/.exec(pathname);
    if (health) {
      return this.validate({ template: '/upstreams/{id}/health', regex: /.*/, names: [], parameters: this.paginationParameters }, {}, query, request.headers);
    }
    const operation = table.find(op => op.regex.test(pathname));
    if (!operation) return [`GET ${pathname}: no such operation in the ${workspace ? 'EE' : 'OSS'} Admin API document`];
    const match = operation.regex.exec(pathname)!;
    const params = Object.fromEntries(operation.names.map((name, i) => [name, decodeURIComponent(match[i + 1])]));
    return this.validate(operation, params, query, request.headers);
  }

  private validate(operation: Operation, params: Record<string, string>, query: Record<string, string>, headers: Record<string, unknown> = {}): string[] {
    // Query values arrive as strings; the spec's integer `size` is coerced as a server would.
    const coerced = Object.fromEntries(
      Object.entries(query).map(([k, v]) => {
        const parameter = operation.parameters.find((p: any) => p.in === 'query' && p.name === k);
        return [k, parameter?.schema?.type === 'integer' && /^-?\d+$/.test(v) ? Number(v) : v];
      }),
    );
    const unknown = Object.keys(query).filter(k => !operation.parameters.some((p: any) => p.in === 'query' && p.name === k));
    const validator = new OpenAPIRequestValidator({ parameters: operation.parameters, enableHeadersLowercase: true });
    const result = validator.validateRequest({ params, query: coerced, headers, body: undefined });
    const problems = (result?.errors ?? []).map((e: any) => `${operation.template}: ${e.path ?? ''} ${e.message}`);
    return [...problems, ...unknown.map(k => `${operation.template}: query parameter "${k}" is not in the document`)];
  }
}
