import type { ResilienceView, TrafficRouteView } from '@internal/plugin-mesh-gateway-common';
import { hostMatches, IstioInventory, objectName, resolveHost } from './inventory';

interface StringMatch { exact?: string; prefix?: string; regex?: string }
interface HttpMatch {
  uri?: StringMatch;
  method?: StringMatch;
  headers?: Record<string, StringMatch>;
  queryParams?: Record<string, StringMatch>;
}
interface HttpRoute {
  name?: string;
  match?: HttpMatch[];
  route?: { destination?: { host?: string; subset?: string; port?: { number?: number } }; weight?: number }[];
  timeout?: string;
  retries?: { attempts?: number; perTryTimeout?: string; retryOn?: string };
  fault?: {
    delay?: { fixedDelay?: string; percentage?: { value?: number } };
    abort?: { httpStatus?: number; grpcStatus?: string; percentage?: { value?: number } };
  };
}

function describe(kind: string, m?: StringMatch): string | undefined {
  if (!m) return undefined;
  if (m.exact !== undefined) return `${kind} = ${m.exact}`;
  if (m.prefix !== undefined) return `${kind} starts with ${m.prefix}`;
  if (m.regex !== undefined) return `${kind} ~ /${m.regex}/`;
  return undefined;
}

function describeMatch(match: HttpMatch): string {
  const parts = [
    describe('uri', match.uri),
    describe('method', match.method),
    ...Object.entries(match.headers ?? {}).map(([name, m]) => describe(`header ${name}`, m)),
    ...Object.entries(match.queryParams ?? {}).map(([name, m]) => describe(`query ${name}`, m)),
  ].filter((p): p is string => Boolean(p));
  return parts.join(' and ') || 'any request';
}

/** Whether a VirtualService applies to the inventory's host (mesh traffic to the service). */
export function virtualServicesForHost(inventory: IstioInventory) {
  return inventory.virtualServices.filter(vs =>
    ((vs.spec?.hosts ?? []) as string[]).some(h =>
      hostMatches(resolveHost(h, vs.metadata.namespace ?? inventory.namespace), inventory.host),
    ),
  );
}

export function destinationRulesForHost(inventory: IstioInventory) {
  return inventory.destinationRules.filter(dr => {
    const host = dr.spec?.host;
    return typeof host === 'string' && hostMatches(resolveHost(host, dr.metadata.namespace ?? inventory.namespace), inventory.host);
  });
}

/** The http routes that apply to the service's host, in the order Envoy evaluates them. */
export function trafficRoutes(inventory: IstioInventory): TrafficRouteView[] {
  return virtualServicesForHost(inventory).flatMap(vs =>
    ((vs.spec?.http ?? []) as HttpRoute[]).map((route, index) => {
      const ns = vs.metadata.namespace ?? inventory.namespace;
      const fault = route.fault
        ? {
            delay: route.fault.delay?.fixedDelay
              ? `${route.fault.delay.fixedDelay} for ${route.fault.delay.percentage?.value ?? 100}%`
              : undefined,
            abort:
              route.fault.abort?.httpStatus !== undefined || route.fault.abort?.grpcStatus !== undefined
                ? `${route.fault.abort.httpStatus ?? route.fault.abort.grpcStatus} for ${route.fault.abort.percentage?.value ?? 100}%`
                : undefined,
          }
        : undefined;
      return {
        virtualService: objectName(vs),
        route: index,
        name: route.name,
        match: (route.match ?? []).map(describeMatch),
        destinations: (route.route ?? []).map(r => ({
          host: resolveHost(r.destination?.host ?? '', ns),
          subset: r.destination?.subset,
          port: r.destination?.port?.number,
          weight: r.weight,
        })),
        timeout: route.timeout,
        retries: route.retries,
        fault,
      };
    }),
  );
}

export function resilience(inventory: IstioInventory): ResilienceView[] {
  return destinationRulesForHost(inventory).map(dr => {
    const policy = (dr.spec?.trafficPolicy ?? {}) as Record<string, unknown>;
    return {
      destinationRule: objectName(dr),
      host: resolveHost(String(dr.spec?.host), dr.metadata.namespace ?? inventory.namespace),
      subsets: ((dr.spec?.subsets ?? []) as { name: string; labels?: Record<string, string> }[]).map(s => ({
        name: s.name,
        labels: s.labels ?? {},
      })),
      tlsMode: (policy.tls as { mode?: string } | undefined)?.mode,
      outlierDetection: policy.outlierDetection as Record<string, unknown> | undefined,
      connectionPool: policy.connectionPool as Record<string, unknown> | undefined,
      loadBalancer: policy.loadBalancer as Record<string, unknown> | undefined,
    };
  });
}
