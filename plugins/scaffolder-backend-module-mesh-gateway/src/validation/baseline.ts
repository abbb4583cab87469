import {
  BASELINE_RULES,
  BaselineRuleCode,
  MESH_BASELINE,
} from '@internal/plugin-mesh-gateway-common';
import { fieldPath, objectName, ParsedObject, Problem } from './types';

/**
 * The baseline rules (`BASELINE_RULES` in -common) evaluated over a folder of configuration:
 * the Kong service(s), and for every in-cluster host they or the Istio objects name, the mesh
 * policies that apply to it. Rules about live state (unhealthy targets, pods) are not checked.
 */

type Json = Record<string, unknown>;
type Path = (string | number)[];

const isObject = (value: unknown): value is Json =>
  !!value && typeof value === 'object' && !Array.isArray(value);
const asArray = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : [];
const str = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

const kong = MESH_BASELINE.kong;
const CLUSTER_HOST =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc\.cluster\.local$/;

function finding(
  code: BaselineRuleCode,
  at: { file: string; object: string },
  path: Path,
  message: string,
): Problem {
  const rule = BASELINE_RULES[code];
  return {
    file: at.file,
    object: at.object,
    field: fieldPath(path),
    message: `${rule.title}: ${message}. Fix: ${rule.fix}`,
    code,
    severity: rule.severity,
  };
}

interface PluginRef {
  name: string;
  config: Json;
  enabled: boolean;
}

/** What the gateway does for one Kong service, whichever way it is configured. */
interface GatewayService {
  at: { file: string; object: string };
  /** Where plugin findings point. */
  pluginsPath: Path;
  plugins: PluginRef[];
  routes: {
    at: { file: string; object: string };
    path: Path;
    stripPath?: boolean;
    protocols?: string[];
  }[];
  host?: { value: string; path: Path };
  retries?: { value: number | undefined; path: Path };
  timeouts?: { values: (number | undefined)[]; path: Path };
  enabled?: { value: boolean; path: Path };
}

function pluginRef(value: unknown): PluginRef | undefined {
  if (!isObject(value) || typeof value.name !== 'string') return undefined;
  return {
    name: value.name,
    config: isObject(value.config) ? value.config : {},
    enabled: value.enabled !== false,
  };
}

function deckServices(object: ParsedObject): GatewayService[] {
  const { value } = object;
  const at = { file: object.file, object: 'decK state' };
  const global = asArray(value.plugins)
    .filter(p => isObject(p) && !p.service && !p.route && !p.consumer)
    .map(pluginRef)
    .filter((p): p is PluginRef => !!p);
  return asArray(value.services).flatMap((service, s) => {
    if (!isObject(service)) return [];
    const path: Path = ['services', s];
    const routes = asArray(service.routes).filter(isObject);
    // A plugin on every route counts as a plugin of the service.
    const routePluginNames = routes.map(
      r =>
        new Set(
          asArray(r.plugins)
            .map(pluginRef)
            .filter(Boolean)
            .map(p => p!.name),
        ),
    );
    const onEveryRoute = asArray(routes[0]?.plugins)
      .map(pluginRef)
      .filter(
        (p): p is PluginRef =>
          !!p && routePluginNames.every(names => names.has(p.name)),
      );
    return [
      {
        at: { ...at, object: `decK service ${str(service.name) ?? s}` },
        pluginsPath: [...path, 'plugins'],
        plugins: [
          ...global,
          ...(asArray(service.plugins)
            .map(pluginRef)
            .filter(Boolean) as PluginRef[]),
          ...(routes.length > 0 ? onEveryRoute : []),
        ],
        routes: routes.map((route, r) => ({
          at: { ...at, object: `decK route ${str(route.name) ?? r}` },
          path: [...path, 'routes', r],
          stripPath:
            typeof route.strip_path === 'boolean'
              ? route.strip_path
              : undefined,
          protocols: Array.isArray(route.protocols)
            ? route.protocols.map(String)
            : undefined,
        })),
        host:
          typeof service.host === 'string'
            ? { value: service.host, path: [...path, 'host'] }
            : undefined,
        retries: {
          value:
            typeof service.retries === 'number' ? service.retries : undefined,
          path: [...path, 'retries'],
        },
        timeouts: {
          values: ['connect_timeout', 'read_timeout', 'write_timeout'].map(k =>
            typeof service[k] === 'number' ? (service[k] as number) : undefined,
          ),
          path,
        },
        enabled: {
          value: service.enabled !== false,
          path: [...path, 'enabled'],
        },
      },
    ];
  });
}

function annotation(value: Json, name: string): string | undefined {
  const metadata = isObject(value.metadata) ? value.metadata : {};
  const annotations = isObject(metadata.annotations)
    ? metadata.annotations
    : {};
  return str(annotations[name]);
}

function namespaceOf(value: Json): string | undefined {
  return isObject(value.metadata) ? str(value.metadata.namespace) : undefined;
}

function nameOf(value: Json): string | undefined {
  return isObject(value.metadata) ? str(value.metadata.name) : undefined;
}

/** Kong Ingress Controller: one gateway service per Kubernetes Service an Ingress routes to. */
function kicServices(objects: ParsedObject[]): {
  services: GatewayService[];
  problems: Problem[];
} {
  const problems: Problem[] = [];
  const kongPlugins = objects.filter(o => o.value.kind === 'KongPlugin');
  const resolvePlugins = (
    names: string | undefined,
    namespace: string | undefined,
    from: ParsedObject,
    path: Path,
  ) =>
    (names ?? '')
      .split(',')
      .map(n => n.trim())
      .filter(Boolean)
      .flatMap(name => {
        const plugin = kongPlugins.find(
          p => nameOf(p.value) === name && namespaceOf(p.value) === namespace,
        );
        if (!plugin) {
          problems.push({
            file: from.file,
            object: objectName(from.value),
            field: fieldPath(path),
            message: `names KongPlugin "${name}", which is not in namespace ${namespace ?? '<none>'} of this configuration`,
            severity: 'critical',
          });
          return [];
        }
        return [
          {
            name: String(plugin.value.plugin),
            config: isObject(plugin.value.config) ? plugin.value.config : {},
            enabled: plugin.value.disabled !== true,
          },
        ];
      });
  const ingresses = objects.filter(
    o =>
      o.value.kind === 'Ingress' &&
      annotation(o.value, 'konghq.com/plugins') !== undefined,
  );
  const byService = new Map<
    string,
    {
      gateway: GatewayService;
      servicePlugins: PluginRef[];
      routePlugins?: PluginRef[];
    }
  >();
  for (const ingress of ingresses) {
    const namespace = namespaceOf(ingress.value);
    const spec = isObject(ingress.value.spec) ? ingress.value.spec : {};
    const backends = asArray(spec.rules).flatMap(rule =>
      isObject(rule) && isObject(rule.http)
        ? asArray(rule.http.paths).flatMap(p =>
            isObject(p) && isObject(p.backend) && isObject(p.backend.service)
              ? [str(p.backend.service.name)]
              : [],
          )
        : [],
    );
    const pluginsPath: Path = ['metadata', 'annotations', 'konghq.com/plugins'];
    const plugins = resolvePlugins(
      annotation(ingress.value, 'konghq.com/plugins'),
      namespace,
      ingress,
      pluginsPath,
    );
    const protocols = annotation(ingress.value, 'konghq.com/protocols');
    const stripPath = annotation(ingress.value, 'konghq.com/strip-path');
    const route = {
      at: { file: ingress.file, object: objectName(ingress.value) },
      path: ['metadata', 'annotations'] as Path,
      // The Kong Ingress Controller does not strip paths unless told to.
      stripPath: stripPath === undefined ? false : stripPath === 'true',
      protocols:
        protocols === undefined
          ? undefined
          : protocols.split(',').map(p => p.trim()),
    };
    for (const backend of new Set(backends)) {
      const key = `${namespace}/${backend}`;
      let entry = byService.get(key);
      if (!entry) {
        const service = objects.find(
          o =>
            o.value.kind === 'Service' &&
            o.value.apiVersion === 'v1' &&
            nameOf(o.value) === backend &&
            namespaceOf(o.value) === namespace,
        );
        const number = (name: string) => {
          const raw = service ? annotation(service.value, name) : undefined;
          return raw === undefined ? undefined : Number(raw);
        };
        entry = {
          servicePlugins: service
            ? resolvePlugins(
                annotation(service.value, 'konghq.com/plugins'),
                namespace,
                service,
                pluginsPath,
              )
            : [],
          gateway: {
            at: service
              ? { file: service.file, object: objectName(service.value) }
              : { file: ingress.file, object: `Service/${backend}` },
            pluginsPath,
            plugins: [],
            routes: [],
            host: {
              value: `${backend}.${namespace}.svc.cluster.local`,
              path: [],
            },
            ...(service
              ? {
                  retries: {
                    value: number('konghq.com/retries'),
                    path: ['metadata', 'annotations', 'konghq.com/retries'],
                  },
                  timeouts: {
                    values: ['connect', 'read', 'write'].map(t =>
                      number(`konghq.com/${t}-timeout`),
                    ),
                    path: ['metadata', 'annotations'],
                  },
                }
              : {}),
          },
        };
        byService.set(key, entry);
      }
      entry.gateway.routes.push(route);
      // A plugin on every Ingress of the service counts as a plugin of the service.
      const names = new Set(plugins.map(p => p.name));
      entry.routePlugins = entry.routePlugins
        ? entry.routePlugins.filter(p => names.has(p.name))
        : plugins;
      entry.gateway.plugins = [...entry.servicePlugins, ...entry.routePlugins];
    }
  }
  return { services: [...byService.values()].map(e => e.gateway), problems };
}

function kongFindings(service: GatewayService): Problem[] {
  const found: Problem[] = [];
  const enabled = service.plugins.filter(p => p.enabled);
  const named = (name: string) => enabled.filter(p => p.name === name);
  const at = service.at;
  for (const plugin of service.plugins.filter(p => !p.enabled)) {
    found.push(
      finding(
        'MG-KONG-013',
        at,
        service.pluginsPath,
        `${plugin.name} is disabled`,
      ),
    );
  }
  const jwt = named('jwt');
  if (jwt.length === 0) {
    found.push(
      finding(
        'MG-KONG-001',
        at,
        service.pluginsPath,
        'no jwt plugin applies to every route of the service',
      ),
    );
  } else if (
    !jwt.every(p => asArray(p.config.claims_to_verify).includes('exp'))
  ) {
    found.push(
      finding(
        'MG-KONG-002',
        at,
        service.pluginsPath,
        'claims_to_verify does not contain exp',
      ),
    );
  }
  const marker = `${kong.requestSourceHeader}:${kong.requestSourceValue}`;
  const marks = named('request-transformer').some(p => {
    const add = isObject(p.config.add) ? p.config.add : {};
    return asArray(add.headers).some(
      h => String(h).replace(/\s/g, '').toLowerCase() === marker,
    );
  });
  if (!marks) {
    found.push(
      finding(
        'MG-KONG-004',
        at,
        service.pluginsPath,
        `no request-transformer adds ${marker}`,
      ),
    );
  }
  const metrics = named('prometheus').some(
    p =>
      p.config.status_code_metrics === true &&
      p.config.latency_metrics === true,
  );
  if (!metrics) {
    found.push(
      finding(
        'MG-KONG-009',
        at,
        service.pluginsPath,
        'no prometheus plugin with status_code_metrics and latency_metrics on',
      ),
    );
  }
  if (
    !enabled.some(p =>
      (kong.tracingPlugins as readonly string[]).includes(p.name),
    )
  ) {
    found.push(
      finding(
        'MG-KONG-010',
        at,
        service.pluginsPath,
        'no opentelemetry or zipkin plugin',
      ),
    );
  }
  for (const route of service.routes) {
    if (route.stripPath !== false) {
      found.push(
        finding(
          'MG-KONG-005',
          route.at,
          [...route.path, 'strip_path'],
          "strip_path is true (Kong's default when unset)",
        ),
      );
    }
    if (!route.protocols || route.protocols.includes('http')) {
      found.push(
        finding(
          'MG-KONG-011',
          route.at,
          [...route.path, 'protocols'],
          `protocols are ${route.protocols?.join(', ') ?? 'http, https (default)'}`,
        ),
      );
    }
  }
  if (service.host && !CLUSTER_HOST.test(service.host.value)) {
    found.push(
      finding(
        'MG-KONG-006',
        at,
        service.host.path,
        `host is ${service.host.value}`,
      ),
    );
  }
  if (service.retries && service.retries.value !== kong.retries) {
    found.push(
      finding(
        'MG-KONG-007',
        at,
        service.retries.path,
        `retries is ${service.retries.value ?? "5 (Kong's default)"}`,
      ),
    );
  }
  if (
    service.timeouts &&
    service.timeouts.values.some(v => v !== kong.timeoutMs)
  ) {
    found.push(
      finding(
        'MG-KONG-008',
        at,
        service.timeouts.path,
        `connect/read/write timeouts are ${service.timeouts.values.map(v => v ?? '60000 (default)').join('/')} ms`,
      ),
    );
  }
  if (service.enabled && !service.enabled.value) {
    found.push(
      finding('MG-KONG-014', at, service.enabled.path, 'enabled is false'),
    );
  }
  return found;
}

function matchLabels(value: Json): Record<string, unknown> | undefined {
  const spec = isObject(value.spec) ? value.spec : {};
  const selector = isObject(spec.selector) ? spec.selector : undefined;
  return selector && isObject(selector.matchLabels)
    ? selector.matchLabels
    : undefined;
}

/** Does a policy in `namespace` select the workload `app=<name>` (or the whole namespace)? */
function selects(
  value: Json,
  name: string,
  namespace: string,
): 'workload' | 'namespace' | undefined {
  if (namespaceOf(value) !== namespace) return undefined;
  const labels = matchLabels(value);
  if (!labels || Object.keys(labels).length === 0) return 'namespace';
  return Object.entries(labels).every(([k, v]) => k === 'app' && v === name)
    ? 'workload'
    : undefined;
}

function locationOf(object: ParsedObject) {
  return { file: object.file, object: objectName(object.value) };
}

function istioFindings(
  objects: ParsedObject[],
  name: string,
  namespace: string,
): Problem[] {
  const found: Problem[] = [];
  const host = `${name}.${namespace}.svc.cluster.local`;
  // Findings about the service as a whole, when no object of it can carry them.
  const service = { file: '.', object: `service ${host}` };
  const kind = (k: string) => objects.filter(o => o.value.kind === k);
  const specOf = (o: ParsedObject) =>
    isObject(o.value.spec) ? o.value.spec : {};
  const hostMatches = (h: unknown, objectNamespace?: string) =>
    h === host ||
    h === `${name}.${namespace}` ||
    (h === name && objectNamespace === namespace);

  const ns = kind('Namespace').find(o => nameOf(o.value) === namespace);
  if (ns) {
    const labels =
      isObject(ns.value.metadata) && isObject(ns.value.metadata.labels)
        ? ns.value.metadata.labels
        : {};
    if (labels['istio-injection'] !== 'enabled' && !labels['istio.io/rev']) {
      found.push(
        finding(
          'MG-ISTIO-008',
          locationOf(ns),
          ['metadata', 'labels', 'istio-injection'],
          `namespace ${namespace} is not labelled istio-injection=enabled`,
        ),
      );
    }
  }

  const peer = kind('PeerAuthentication')
    .map(o => ({ o, scope: selects(o.value, name, namespace) }))
    .filter(p => p.scope)
    .sort(
      (a, b) =>
        (a.scope === 'workload' ? -1 : 1) - (b.scope === 'workload' ? -1 : 1),
    )[0];
  const mode = peer
    ? str(
        isObject(specOf(peer.o).mtls)
          ? (specOf(peer.o).mtls as Json).mode
          : undefined,
      )
    : undefined;
  if (!peer || mode !== 'STRICT') {
    found.push(
      finding(
        'MG-ISTIO-001',
        peer ? locationOf(peer.o) : service,
        peer ? ['spec', 'mtls', 'mode'] : [],
        peer
          ? `mode is ${mode ?? 'UNSET (inherits, PERMISSIVE by default)'}`
          : `no PeerAuthentication applies to ${host}, so mTLS is PERMISSIVE`,
      ),
    );
  } else {
    const portLevel = isObject(specOf(peer.o).portLevelMtls)
      ? (specOf(peer.o).portLevelMtls as Json)
      : {};
    for (const [port, setting] of Object.entries(portLevel)) {
      if (!isObject(setting) || setting.mode !== 'STRICT') {
        found.push(
          finding(
            'MG-ISTIO-001',
            locationOf(peer.o),
            ['spec', 'portLevelMtls', port, 'mode'],
            `port ${port} is not STRICT`,
          ),
        );
      }
    }
  }

  const destinationRules = kind('DestinationRule').filter(o =>
    hostMatches(specOf(o).host, namespaceOf(o.value)),
  );
  for (const dr of destinationRules) {
    const policy = isObject(specOf(dr).trafficPolicy)
      ? (specOf(dr).trafficPolicy as Json)
      : {};
    const tls = isObject(policy.tls) ? policy.tls : undefined;
    if (tls && tls.mode !== 'ISTIO_MUTUAL') {
      found.push(
        finding(
          'MG-ISTIO-002',
          locationOf(dr),
          ['spec', 'trafficPolicy', 'tls', 'mode'],
          `tls.mode is ${str(tls.mode) ?? 'unset'}`,
        ),
      );
    }
    if (!isObject(policy.outlierDetection)) {
      found.push(
        finding(
          'MG-ISTIO-006',
          locationOf(dr),
          ['spec', 'trafficPolicy', 'outlierDetection'],
          'no outlierDetection',
        ),
      );
    }
    if (!isObject(policy.connectionPool)) {
      found.push(
        finding(
          'MG-ISTIO-018',
          locationOf(dr),
          ['spec', 'trafficPolicy', 'connectionPool'],
          'no connectionPool',
        ),
      );
    }
  }
  if (destinationRules.length === 0) {
    found.push(
      finding('MG-ISTIO-006', service, [], `no DestinationRule for ${host}`),
    );
    found.push(
      finding('MG-ISTIO-018', service, [], `no DestinationRule for ${host}`),
    );
  }

  const virtualServices = kind('VirtualService').filter(o =>
    asArray(specOf(o).hosts).some(h => hostMatches(h, namespaceOf(o.value))),
  );
  if (virtualServices.length === 0) {
    found.push(
      finding('MG-ISTIO-013', service, [], `no VirtualService for ${host}`),
    );
  }
  const subsets = new Set(
    destinationRules.flatMap(dr =>
      asArray(specOf(dr).subsets).map(s => (isObject(s) ? s.name : undefined)),
    ),
  );
  for (const vs of virtualServices) {
    asArray(specOf(vs).http).forEach((route, i) => {
      if (!isObject(route)) return;
      if (!route.timeout || !isObject(route.retries)) {
        found.push(
          finding(
            'MG-ISTIO-019',
            locationOf(vs),
            ['spec', 'http', i],
            `route ${str(route.name) ?? i} has no ${route.timeout ? 'retries' : 'timeout'}`,
          ),
        );
      }
      asArray(route.route).forEach((destination, d) => {
        const dest =
          isObject(destination) && isObject(destination.destination)
            ? destination.destination
            : {};
        if (
          hostMatches(dest.host, namespaceOf(vs.value)) &&
          typeof dest.subset === 'string' &&
          !subsets.has(dest.subset)
        ) {
          found.push(
            finding(
              'MG-ISTIO-009',
              locationOf(vs),
              ['spec', 'http', i, 'route', d, 'destination', 'subset'],
              `subset ${dest.subset} is not defined`,
            ),
          );
        }
      });
    });
  }

  const allowPolicies = kind('AuthorizationPolicy').filter(
    o =>
      selects(o.value, name, namespace) &&
      (specOf(o).action ?? 'ALLOW') === 'ALLOW',
  );
  for (const policy of allowPolicies.filter(
    o => asArray(specOf(o).rules).length === 0,
  )) {
    found.push(
      finding(
        'MG-ISTIO-016',
        locationOf(policy),
        ['spec', 'rules'],
        'the ALLOW policy has no rules',
      ),
    );
  }
  const rules = allowPolicies.flatMap(o =>
    asArray(specOf(o).rules)
      .filter(isObject)
      .map(rule => ({ o, rule })),
  );
  const sources = (rule: Json) =>
    asArray(rule.from).flatMap(f =>
      isObject(f) && isObject(f.source) ? [f.source] : [],
    );
  const gatewayRules = rules.filter(({ rule }) =>
    sources(rule).some(s =>
      asArray(s.principals).includes(MESH_BASELINE.istio.gatewayPrincipal),
    ),
  );
  if (gatewayRules.length === 0) {
    found.push(
      finding(
        'MG-ISTIO-003',
        allowPolicies[0] ? locationOf(allowPolicies[0]) : service,
        allowPolicies[0] ? ['spec', 'rules'] : [],
        `no ALLOW rule admits ${MESH_BASELINE.istio.gatewayPrincipal} to ${host}`,
      ),
    );
  }

  const requestAuth = kind('RequestAuthentication').filter(o =>
    selects(o.value, name, namespace),
  );
  const audiences = requestAuth.flatMap(o =>
    asArray(specOf(o).jwtRules).flatMap(r =>
      isObject(r) ? asArray(r.audiences) : [],
    ),
  );
  const principalRequired =
    rules.length > 0 &&
    rules.every(
      ({ rule }) =>
        sources(rule).length > 0 &&
        sources(rule).every(s => asArray(s.requestPrincipals).length > 0),
    );
  if (audiences.length === 0 || !principalRequired) {
    found.push(
      finding(
        'MG-ISTIO-005',
        requestAuth[0] ? locationOf(requestAuth[0]) : service,
        [],
        audiences.length === 0
          ? `no RequestAuthentication with audiences selects ${name}`
          : 'the ALLOW rules do not require a request principal, so requests without a JWT are let in',
      ),
    );
  }
  return found;
}

/** Every in-cluster service the configuration is about, as [name, namespace]. */
function meshServices(
  objects: ParsedObject[],
  gateway: GatewayService[],
): [string, string][] {
  const hosts = new Set<string>();
  for (const service of gateway) {
    if (service.host) hosts.add(service.host.value);
  }
  for (const o of objects) {
    const spec = isObject(o.value.spec) ? o.value.spec : {};
    if (o.value.kind === 'DestinationRule' && typeof spec.host === 'string')
      hosts.add(spec.host);
    if (o.value.kind === 'VirtualService')
      asArray(spec.hosts).forEach(h => typeof h === 'string' && hosts.add(h));
  }
  return [...hosts].flatMap(h => {
    const match = CLUSTER_HOST.exec(h);
    return match ? [[match[1], match[3]] as [string, string]] : [];
  });
}

/** Evaluates the baseline over all parsed objects of a folder. */
export function checkBaseline(objects: ParsedObject[]): Problem[] {
  const deck = objects
    .filter(o => '_format_version' in o.value)
    .flatMap(deckServices);
  const kic = kicServices(objects);
  const gateway = [...deck, ...kic.services];
  const problems = [...kic.problems, ...gateway.flatMap(kongFindings)];
  for (const [name, namespace] of meshServices(objects, gateway)) {
    problems.push(...istioFindings(objects, name, namespace));
  }
  return problems;
}
