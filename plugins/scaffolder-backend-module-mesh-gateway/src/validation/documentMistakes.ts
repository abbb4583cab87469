import { parseGoDuration } from './openapi';
import { fieldPath, objectName, ParsedObject, Problem } from './types';

/**
 * The configuration mistakes of the architecture documents (DESIGN.md, last section), each
 * recognised with the reason it fails and what works instead. Most of them are also schema
 * violations; these messages say why.
 */

type Path = (string | number)[];
type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  !!value && typeof value === 'object' && !Array.isArray(value);

const asArray = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : [];

function problem(
  object: ParsedObject,
  path: Path,
  message: string,
  code?: string,
): Problem {
  return {
    file: object.file,
    object:
      '_format_version' in object.value
        ? 'decK state'
        : objectName(object.value),
    field: fieldPath(path),
    message,
    ...(code ? { code } : {}),
    severity: 'critical',
  };
}

/** Every jwt plugin configuration with where it sits. */
function jwtConfigs(object: ParsedObject): { config: Json; path: Path }[] {
  const value = object.value;
  if (
    (value.kind === 'KongPlugin' || value.kind === 'KongClusterPlugin') &&
    value.plugin === 'jwt' &&
    isObject(value.config)
  ) {
    return [{ config: value.config, path: ['config'] }];
  }
  if (!('_format_version' in value)) {
    return [];
  }
  const found: { config: Json; path: Path }[] = [];
  const collect = (plugins: unknown, path: Path) =>
    asArray(plugins).forEach((plugin, i) => {
      if (
        isObject(plugin) &&
        plugin.name === 'jwt' &&
        isObject(plugin.config)
      ) {
        found.push({ config: plugin.config, path: [...path, i, 'config'] });
      }
    });
  collect(value.plugins, ['plugins']);
  asArray(value.services).forEach((service, s) => {
    if (!isObject(service)) return;
    collect(service.plugins, ['services', s, 'plugins']);
    asArray(service.routes).forEach((route, r) => {
      if (isObject(route))
        collect(route.plugins, ['services', s, 'routes', r, 'plugins']);
    });
  });
  asArray(value.routes).forEach((route, r) => {
    if (isObject(route)) collect(route.plugins, ['routes', r, 'plugins']);
  });
  return found;
}

function jwtAudience(object: ParsedObject): Problem[] {
  return jwtConfigs(object).flatMap(({ config, path }) =>
    asArray(config.claims_to_verify)
      .map((claim, i) => ({ claim, i }))
      .filter(({ claim }) => claim !== 'exp' && claim !== 'nbf')
      .map(({ claim, i }) =>
        problem(
          object,
          [...path, 'claims_to_verify', i],
          `Kong's jwt plugin accepts only exp and nbf in claims_to_verify and rejects ${JSON.stringify(claim)}: verify the audience in the mesh with a RequestAuthentication (jwtRules[].audiences)`,
          'MG-KONG-003',
        ),
      ),
  );
}

function oredAuthorizationRules(object: ParsedObject): Problem[] {
  const { value } = object;
  if (value.kind !== 'AuthorizationPolicy' || !isObject(value.spec)) {
    return [];
  }
  const action = value.spec.action ?? 'ALLOW';
  if (action !== 'ALLOW') {
    return [];
  }
  return asArray(value.spec.rules).flatMap((rule, i) => {
    if (!isObject(rule)) return [];
    const from = asArray(rule.from);
    const anySource =
      from.length === 0 ||
      from.some(
        f =>
          !isObject(f) ||
          !isObject(f.source) ||
          Object.keys(f.source).length === 0,
      );
    return anySource
      ? [
          problem(
            object,
            ['spec', 'rules', i, 'from'],
            'this ALLOW rule matches requests from any source; rules are ORed, so it opens the service to every caller. Put from and to in the same rule',
            'MG-ISTIO-004',
          ),
        ]
      : [];
  });
}

function trafficPolicies(spec: Json): { policy: Json; path: Path }[] {
  const policies: { policy: Json; path: Path }[] = [];
  const add = (policy: unknown, path: Path) => {
    if (!isObject(policy)) return;
    policies.push({ policy, path });
    asArray(policy.portLevelSettings).forEach(
      (setting, i) =>
        isObject(setting) &&
        policies.push({
          policy: setting,
          path: [...path, 'portLevelSettings', i],
        }),
    );
  };
  add(spec.trafficPolicy, ['spec', 'trafficPolicy']);
  asArray(spec.subsets).forEach(
    (subset, i) =>
      isObject(subset) &&
      add(subset.trafficPolicy, ['spec', 'subsets', i, 'trafficPolicy']),
  );
  return policies;
}

function destinationRuleFields(object: ParsedObject): Problem[] {
  const { value } = object;
  if (value.kind !== 'DestinationRule' || !isObject(value.spec)) {
    return [];
  }
  return trafficPolicies(value.spec).flatMap(({ policy, path }) => {
    const found: Problem[] = [];
    if ('circuitBreaker' in policy) {
      found.push(
        problem(
          object,
          [...path, 'circuitBreaker'],
          'Istio has no circuitBreaker field: the API server drops it and nothing is limited. Use outlierDetection and connectionPool',
          'MG-ISTIO-014',
        ),
      );
    }
    const pool = isObject(policy.connectionPool) ? policy.connectionPool : {};
    if (isObject(pool.http) && 'connectTimeout' in pool.http) {
      found.push(
        problem(
          object,
          [...path, 'connectionPool', 'http', 'connectTimeout'],
          'connectTimeout belongs to connectionPool.tcp; under http it is dropped',
          'MG-ISTIO-014',
        ),
      );
    }
    if (isObject(pool.tcp) && 'keepAlive' in pool.tcp) {
      found.push(
        problem(
          object,
          [...path, 'connectionPool', 'tcp', 'keepAlive'],
          'the TCP keepalive field is tcpKeepalive (time, interval, probes); keepAlive is dropped',
          'MG-ISTIO-014',
        ),
      );
    }
    return found;
  });
}

function accessLogCustomTags(object: ParsedObject): Problem[] {
  const { value } = object;
  if (value.kind !== 'Telemetry' || !isObject(value.spec)) {
    return [];
  }
  return asArray(value.spec.accessLogging).flatMap((entry, i) =>
    isObject(entry) && 'customTags' in entry
      ? [
          problem(
            object,
            ['spec', 'accessLogging', i, 'customTags'],
            'customTags exist only under tracing; under accessLogging they are dropped. Tag spans in spec.tracing[].customTags',
            'MG-ISTIO-014',
          ),
        ]
      : [],
  );
}

function retriesOverrunTimeout(object: ParsedObject): Problem[] {
  const { value } = object;
  if (value.kind !== 'VirtualService' || !isObject(value.spec)) {
    return [];
  }
  return asArray(value.spec.http).flatMap((route, i) => {
    if (
      !isObject(route) ||
      !isObject(route.retries) ||
      typeof route.timeout !== 'string'
    ) {
      return [];
    }
    const timeout = parseGoDuration(route.timeout);
    const perTry =
      typeof route.retries.perTryTimeout === 'string'
        ? parseGoDuration(route.retries.perTryTimeout)
        : undefined;
    const attempts =
      typeof route.retries.attempts === 'number' ? route.retries.attempts : 2;
    if (timeout === undefined || perTry === undefined || attempts === 0) {
      return [];
    }
    return (attempts + 1) * perTry > timeout
      ? [
          problem(
            object,
            ['spec', 'http', i, 'retries', 'perTryTimeout'],
            `${attempts + 1} tries of ${route.retries.perTryTimeout} take up to ${((attempts + 1) * perTry) / 1000}s, longer than the ${route.timeout} route timeout: the last retries never finish. Use at most ${Math.floor(timeout / (attempts + 1))}ms`,
            'MG-ISTIO-007',
          ),
        ]
      : [];
  });
}

function nonExistentKongKinds(object: ParsedObject): Problem[] {
  const { value } = object;
  if (
    value.apiVersion === 'configuration.konghq.com/v1' &&
    (value.kind === 'KongService' || value.kind === 'KongRoute')
  ) {
    return [
      problem(
        object,
        ['kind'],
        `configuration.konghq.com/v1 has no ${value.kind}: the Kong Ingress Controller takes services and routes from Services and Ingresses (or HTTPRoutes) with KongPlugins, or use a decK file`,
      ),
    ];
  }
  if (
    (value.kind === 'KongPlugin' || value.kind === 'KongClusterPlugin') &&
    'protocol' in value
  ) {
    return [
      problem(
        object,
        ['protocol'],
        'the KongPlugin field is protocols (a list)',
      ),
    ];
  }
  return [];
}

const DECK_IMAGE = /(^|\/)deck([:@]|$)/;

function deprecatedDeckDump(object: ParsedObject): Problem[] {
  const found: Problem[] = [];
  const visit = (node: unknown, path: Path) => {
    if (typeof node === 'string') {
      if (/\bdeck(\s+--?[A-Za-z-]+(=\S+)?)*\s+dump\b/.test(node)) {
        found.push(
          problem(
            object,
            path,
            '`deck dump` is deprecated since decK 1.28 and writes a warning into the dump; use `deck gateway dump`',
          ),
        );
      }
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, [...path, i]));
      return;
    }
    if (!isObject(node)) {
      return;
    }
    // A container running the deck image (entrypoint `deck`) with `dump` as first argument.
    if (
      typeof node.image === 'string' &&
      DECK_IMAGE.test(node.image.split('@')[0])
    ) {
      const words = [...asArray(node.command), ...asArray(node.args)].map(
        String,
      );
      const start = words[0] === 'deck' ? 1 : 0;
      if (words[start] === 'dump') {
        found.push(
          problem(
            object,
            [
              ...path,
              asArray(node.command).length > start ? 'command' : 'args',
              0,
            ],
            '`deck dump` is deprecated since decK 1.28 and writes a warning into the dump; use `deck gateway dump`',
          ),
        );
      }
    }
    for (const [key, child] of Object.entries(node)) {
      visit(child, [...path, key]);
    }
  };
  visit(object.value, []);
  return found;
}

/** Recognises every mistake of the documents in one parsed document. */
export function findDocumentMistakes(object: ParsedObject): Problem[] {
  return [
    ...jwtAudience(object),
    ...oredAuthorizationRules(object),
    ...destinationRuleFields(object),
    ...accessLogCustomTags(object),
    ...retriesOverrunTimeout(object),
    ...nonExistentKongKinds(object),
    ...deprecatedDeckDump(object),
  ];
}
