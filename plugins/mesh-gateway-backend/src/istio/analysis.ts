import {
  createFinding,
  EffectiveAuthorization,
  EffectiveMtls,
  Finding,
  KubernetesObjectView,
  MESH_BASELINE,
  ResilienceView,
  sortFindings,
  TrafficRouteView,
} from '@internal/plugin-mesh-gateway-common';
import {
  durationMs,
  hostMatches,
  IstioInventory,
  objectName,
  objectRef,
  resolveHost,
  selectorMatches,
} from './inventory';

/** Where Kong sends the entity's traffic: host and port of each Kong service. */
export interface KongUpstreamTarget {
  service: string;
  host: string;
  port: number;
}

export interface IstioAnalysisInput {
  inventory: IstioInventory;
  mtls: EffectiveMtls;
  authorization: EffectiveAuthorization;
  traffic: TrafficRouteView[];
  resilience: ResilienceView[];
  /** Present when the entity also has Kong services: enables the cross-system checks. */
  kongTargets?: KongUpstreamTarget[];
}

const PROTOCOL_PREFIXES = ['http', 'http2', 'https', 'grpc', 'grpc-web', 'mongo', 'mysql', 'redis', 'tcp', 'tls', 'udp'];

/**
 * Fields that the architecture documents use but Istio does not have. The API server prunes
 * them without a word, so a live object carrying them was applied from a file that did; the
 * generator's validation finds them in files.
 */
const UNKNOWN_FIELDS: { kind: string; path: string[]; instead: string }[] = [
  { kind: 'DestinationRule', path: ['trafficPolicy', 'circuitBreaker'], instead: 'outlierDetection and connectionPool' },
  { kind: 'DestinationRule', path: ['trafficPolicy', 'connectionPool', 'http', 'connectTimeout'], instead: 'connectionPool.tcp.connectTimeout' },
  { kind: 'DestinationRule', path: ['trafficPolicy', 'connectionPool', 'tcp', 'keepAlive'], instead: 'connectionPool.tcp.tcpKeepalive' },
];

function at(value: unknown, path: string[]): unknown {
  return path.reduce<unknown>((v, key) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), value);
}

/** Sidecar injection (label or revision) or ambient mode: the namespace's pods are in the mesh. */
export function isInjected(namespace?: KubernetesObjectView): boolean {
  const labels = namespace?.metadata.labels ?? {};
  if (labels['istio-injection'] === 'disabled') return false;
  return (
    labels['istio-injection'] === 'enabled' ||
    Boolean(labels['istio.io/rev']) ||
    labels['istio.io/dataplane-mode'] === 'ambient'
  );
}

/** Every baseline and istioctl-style rule over one workload's Istio configuration. */
export function analyseIstio(input: IstioAnalysisInput): Finding[] {
  const { inventory, mtls, authorization, traffic, resilience } = input;
  const findings: Finding[] = [];
  const istio = MESH_BASELINE.istio;
  const nsRef = `kubernetes/Namespace/${inventory.namespace}`;

  if (inventory.namespaceObject && !isInjected(inventory.namespaceObject)) {
    findings.push(createFinding('MG-ISTIO-008', nsRef, `Namespace ${inventory.namespace} has neither istio-injection=enabled nor istio.io/rev: pods run without a sidecar.`));
  }

  // mTLS
  const mtlsObject = mtls.source.policy ? `istio/PeerAuthentication/${mtls.source.policy}` : nsRef;
  if (mtls.mode !== 'STRICT') {
    findings.push(
      createFinding('MG-ISTIO-001', mtlsObject, mtls.source.scope === 'default'
        ? 'No PeerAuthentication applies: the workload accepts plain text (PERMISSIVE).'
        : `The ${mtls.source.scope}-level policy sets ${mtls.mode}, so plain-text requests are accepted.`),
    );
  } else {
    for (const port of mtls.ports.filter(p => p.mode !== 'STRICT')) {
      findings.push(createFinding('MG-ISTIO-001', `istio/PeerAuthentication/${port.source.policy}`, `Port ${port.port} (workload port ${port.targetPort ?? port.port}) is ${port.mode} by portLevelMtls.`));
    }
  }
  for (const entry of mtls.ignored) {
    findings.push(createFinding('MG-ISTIO-020', `istio/PeerAuthentication/${entry.policy}`, `Ignored: ${entry.reason}.`));
  }
  if (mtls.mode === 'STRICT') {
    for (const view of resilience) {
      const dr = inventory.destinationRules.find(d => objectName(d) === view.destinationRule);
      const portModes = ((dr?.spec?.trafficPolicy as { portLevelSettings?: { tls?: { mode?: string }; port?: { number?: number } }[] } | undefined)?.portLevelSettings ?? [])
        .filter(s => s.tls?.mode)
        .map(s => ({ where: `port ${s.port?.number}`, mode: s.tls!.mode! }));
      for (const { where, mode } of [{ where: 'trafficPolicy', mode: view.tlsMode }, ...portModes]) {
        if (mode && mode !== 'ISTIO_MUTUAL') {
          findings.push(createFinding('MG-ISTIO-002', `istio/DestinationRule/${view.destinationRule}`, `${where} tls.mode is ${mode} while the workload requires STRICT mTLS: clients will not present the mesh certificate.`));
        }
      }
    }
  }

  // Authorization
  if (authorization.decision === 'allow-all') {
    findings.push(createFinding('MG-ISTIO-003', nsRef, 'No enforced ALLOW policy restricts callers: every workload in the mesh (and, without STRICT mTLS, outside it) may call this service.'));
  }
  if (authorization.decision === 'deny-all') {
    const policies = [...new Set(authorization.rules.filter(r => r.action === 'ALLOW').map(r => r.policy))];
    findings.push(createFinding('MG-ISTIO-016', `istio/AuthorizationPolicy/${policies[0]}`, `ALLOW policy ${policies.join(', ')} has no rules: every request is denied.`));
  }
  const byPolicy = new Map<string, typeof authorization.rules>();
  for (const rule of authorization.rules.filter(r => r.action === 'ALLOW' && r.rule >= 0)) {
    byPolicy.set(rule.policy, [...(byPolicy.get(rule.policy) ?? []), rule]);
  }
  for (const [policy, rules] of byPolicy) {
    for (const rule of rules.filter(r => r.anySource)) {
      const split = rules.some(r => !r.anySource);
      findings.push(
        createFinding('MG-ISTIO-004', `istio/AuthorizationPolicy/${policy}`, split
          ? `Rule ${rule.rule} has no "from" while another rule restricts the source: rules are ORed, so rule ${rule.rule} lets any caller in.`
          : `Rule ${rule.rule} does not restrict the source: any caller matching it is allowed.`),
      );
    }
  }
  if (authorization.decision === 'restricted' && input.kongTargets && input.kongTargets.length > 0) {
    const allowsKong = authorization.rules.some(
      r => r.action === 'ALLOW' && (r.anySource || r.principals.includes(istio.gatewayPrincipal) || r.namespaces.includes('kong')),
    );
    if (!allowsKong) {
      findings.push(createFinding('MG-ISTIO-021', nsRef, `The service has Kong routes but no ALLOW rule admits ${istio.gatewayPrincipal}.`));
    }
  }
  for (const policy of authorization.dryRun) {
    findings.push(createFinding('MG-ISTIO-015', `istio/AuthorizationPolicy/${policy}`, 'istio.io/dry-run is "true": the policy is only logged, not enforced.'));
  }
  if (!authorization.jwt.some(j => j.audiences.length > 0)) {
    findings.push(createFinding('MG-ISTIO-005', nsRef, authorization.jwt.length === 0
      ? 'No RequestAuthentication selects the workload: the JWT audience is checked nowhere (Kong cannot check aud).'
      : 'RequestAuthentication has no audiences: tokens for any audience are accepted.'));
  }

  // Traffic and resilience
  if (traffic.length === 0) {
    findings.push(createFinding('MG-ISTIO-013', nsRef, `No VirtualService routes ${inventory.host}.`));
  }
  for (const route of traffic) {
    const ref = `istio/VirtualService/${route.virtualService}`;
    const timeout = durationMs(route.timeout);
    const perTry = durationMs(route.retries?.perTryTimeout);
    const attempts = route.retries?.attempts;
    if (timeout !== undefined && perTry !== undefined && attempts !== undefined && (attempts + 1) * perTry > timeout) {
      findings.push(createFinding('MG-ISTIO-007', ref, `http[${route.route}]: ${attempts} retries x ${route.retries!.perTryTimeout} plus the first try is ${((attempts + 1) * perTry) / 1000}s, beyond the ${route.timeout} timeout: later retries are cut off.`));
    }
    if (!route.timeout || !route.retries) {
      findings.push(createFinding('MG-ISTIO-019', ref, `http[${route.route}] sets no ${[!route.timeout && 'timeout', !route.retries && 'retries'].filter(Boolean).join(' and ')}.`));
    }
    for (const destination of route.destinations.filter(d => d.subset)) {
      const defined = inventory.destinationRules
        .filter(dr => hostMatches(resolveHost(String(dr.spec?.host ?? ''), dr.metadata.namespace ?? inventory.namespace), destination.host))
        .flatMap(dr => ((dr.spec?.subsets ?? []) as { name: string }[]).map(s => s.name));
      if (!defined.includes(destination.subset!)) {
        findings.push(createFinding('MG-ISTIO-009', ref, `http[${route.route}] routes to subset "${destination.subset}" of ${destination.host}, which no DestinationRule defines.`));
      }
    }
  }
  if (resilience.length === 0) {
    findings.push(createFinding('MG-ISTIO-006', nsRef, `No DestinationRule for ${inventory.host}: no outlier detection and no connection limits.`));
  }
  for (const view of resilience) {
    const ref = `istio/DestinationRule/${view.destinationRule}`;
    if (!view.outlierDetection) {
      findings.push(createFinding('MG-ISTIO-006', ref, 'trafficPolicy has no outlierDetection: failing pods keep receiving traffic.'));
    }
    if (!view.connectionPool) {
      findings.push(createFinding('MG-ISTIO-018', ref, 'trafficPolicy has no connectionPool: no limit on connections or pending requests.'));
    }
    if (inventory.podLabels) {
      for (const subset of view.subsets) {
        const selects = inventory.podLabels.some(pod => selectorMatches({ ...inventory.workloadLabels, ...subset.labels }, pod));
        if (!selects) {
          findings.push(createFinding('MG-ISTIO-010', ref, `Subset "${subset.name}" (${Object.entries(subset.labels).map(([k, v]) => `${k}=${v}`).join(', ')}) selects no running pod.`));
        }
      }
    }
  }
  const knownHosts = new Set([
    ...inventory.serviceHosts,
    ...inventory.serviceEntries.flatMap(se => (se.spec?.hosts ?? []) as string[]),
  ]);
  for (const dr of inventory.destinationRules.filter(d => d.metadata.namespace === inventory.namespace)) {
    const host = resolveHost(String(dr.spec?.host ?? ''), inventory.namespace);
    if (!host.includes('*') && host.endsWith('.svc.cluster.local') && ![...knownHosts].some(k => hostMatches(k, host))) {
      findings.push(createFinding('MG-ISTIO-011', objectRef(dr), `Host ${host} matches no Service or ServiceEntry.`));
    }
  }

  // Fields the documents use that Istio does not have
  for (const object of [...inventory.destinationRules, ...inventory.telemetries]) {
    for (const field of UNKNOWN_FIELDS.filter(f => f.kind === object.kind)) {
      if (at(object.spec, field.path) !== undefined) {
        findings.push(createFinding('MG-ISTIO-014', objectRef(object), `spec.${field.path.join('.')} is not an Istio field (use ${field.instead}).`));
      }
    }
    if (object.kind === 'Telemetry') {
      ((object.spec?.accessLogging ?? []) as Record<string, unknown>[]).forEach((entry, i) => {
        if (entry.customTags !== undefined) {
          findings.push(createFinding('MG-ISTIO-014', objectRef(object), `spec.accessLogging[${i}].customTags is not an Istio field (customTags belongs under tracing).`));
        }
      });
    }
  }

  // Service ports
  for (const port of (inventory.service?.spec?.ports ?? []) as { name?: string; port: number; appProtocol?: string }[]) {
    const prefix = port.name?.split('-')[0];
    if (!port.appProtocol && !(prefix && PROTOCOL_PREFIXES.includes(prefix))) {
      findings.push(createFinding('MG-ISTIO-017', `kubernetes/Service/${objectName(inventory.service!)}`, `Port ${port.port} is named "${port.name ?? ''}": Istio has to guess its protocol.`));
    }
  }

  // Kong → mesh
  const servicePorts = ((inventory.service?.spec?.ports ?? []) as { port: number }[]).map(p => p.port);
  for (const target of input.kongTargets ?? []) {
    const host = resolveHost(target.host, inventory.namespace);
    if (host !== inventory.host) {
      findings.push(createFinding('MG-ISTIO-012', `kong/services/${target.service}`, `Kong sends ${target.service} to ${target.host}, not to ${inventory.host}.`));
    } else if (inventory.service && !servicePorts.includes(target.port)) {
      findings.push(createFinding('MG-ISTIO-012', `kong/services/${target.service}`, `Kong uses port ${target.port}; the Service exposes ${servicePorts.join(', ')}.`));
    }
  }

  for (const cronJob of inventory.cronJobs ?? []) {
    if (runsDeprecatedDeckDump(cronJob)) {
      findings.push(createFinding('MG-OPS-001', `kubernetes/CronJob/${objectName(cronJob)}`, `CronJob ${cronJob.metadata.name} backs up Kong with "deck dump".`));
    }
  }

  return sortFindings(findings);
}

/** `deck dump` (not `deck gateway dump`) anywhere in a container's command line or shell script. */
export function runsDeprecatedDeckDump(cronJob: KubernetesObjectView): boolean {
  const podSpec = at(cronJob.spec, ['jobTemplate', 'spec', 'template', 'spec']) as
    | { containers?: { command?: unknown[]; args?: unknown[] }[]; initContainers?: { command?: unknown[]; args?: unknown[] }[] }
    | undefined;
  const containers = [...(podSpec?.initContainers ?? []), ...(podSpec?.containers ?? [])];
  return containers.some(container => {
    const commandLine = [...(container.command ?? []), ...(container.args ?? [])].filter(v => typeof v === 'string').join(' ');
    return /(?:^|[\s;&|(`'"/])deck\s+dump(?:\s|$|[;&|)`'"])/.test(commandLine);
  });
}
