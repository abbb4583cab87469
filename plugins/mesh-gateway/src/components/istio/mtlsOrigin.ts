import type {
  EffectiveMtls,
  IstioWorkloadView,
  KubernetesObjectView,
  MtlsMode,
  MtlsSource,
} from '@internal/plugin-mesh-gateway-common';

type EffectiveMode = Exclude<MtlsMode, 'UNSET'>;

const scopeWords: Record<MtlsSource['scope'], string> = {
  port: 'Port-level mTLS of',
  workload: 'Workload policy',
  namespace: 'Namespace policy',
  mesh: 'Mesh-wide policy',
  default: 'No PeerAuthentication applies',
};

const lowerScopeWords: Record<'workload' | 'namespace' | 'mesh', string> = {
  workload: 'the workload',
  namespace: 'namespace',
  mesh: 'mesh-wide',
};

function objectName(object: KubernetesObjectView): string {
  return `${object.metadata.namespace}/${object.metadata.name}`;
}

function modeOf(policy: KubernetesObjectView): EffectiveMode | undefined {
  const mode = (policy.spec?.mtls as { mode?: unknown } | undefined)?.mode;
  return mode === 'STRICT' || mode === 'PERMISSIVE' || mode === 'DISABLE'
    ? mode
    : undefined;
}

function hasSelector(policy: KubernetesObjectView): boolean {
  const matchLabels = (
    policy.spec?.selector as
      | { matchLabels?: Record<string, string> }
      | undefined
  )?.matchLabels;
  return Boolean(matchLabels && Object.keys(matchLabels).length > 0);
}

function byAge(a: KubernetesObjectView, b: KubernetesObjectView): number {
  const at = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
  const bt = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
  return at - bt || objectName(a).localeCompare(objectName(b));
}

/** The policy that decides a namespace-wide or mesh-wide scope: the oldest one not ignored. */
function scopePolicy(
  view: IstioWorkloadView,
  scope: 'namespace' | 'mesh',
): KubernetesObjectView | undefined {
  const namespace = scope === 'mesh' ? view.rootNamespace : view.namespace;
  if (scope === 'namespace' && view.namespace === view.rootNamespace) {
    return undefined;
  }
  const ignored = new Set(view.mtls.ignored.map(entry => entry.policy));
  return view.objects
    .filter(
      object =>
        object.kind === 'PeerAuthentication' &&
        object.metadata.namespace === namespace &&
        !hasSelector(object) &&
        !ignored.has(objectName(object)),
    )
    .sort(byAge)[0];
}

/** The scopes a policy of each scope takes precedence over, nearest first. */
const scopesBelow: Record<MtlsSource['scope'], ('namespace' | 'mesh')[]> = {
  port: [],
  workload: ['namespace', 'mesh'],
  namespace: ['mesh'],
  mesh: [],
  default: [],
};

/**
 * What a workload-level (or namespace-level) policy takes the place of: the first scope below
 * it that sets a mode. Undefined when nothing below sets one (Istio's default applies).
 */
export function overriddenScope(
  view: IstioWorkloadView,
  scope: MtlsSource['scope'],
):
  | { scope: 'namespace' | 'mesh'; mode: EffectiveMode; policy: string }
  | undefined {
  for (const lower of scopesBelow[scope]) {
    const policy = scopePolicy(view, lower);
    const mode = policy && modeOf(policy);
    if (policy && mode) {
      return { scope: lower, mode, policy: objectName(policy) };
    }
  }
  return undefined;
}

/**
 * Where the workload's effective mTLS mode comes from, in words: the deciding policy and what
 * it overrides, e.g. "Workload policy parallel-ai/user-service-legacy-clients overrides
 * namespace STRICT (parallel-ai/default)".
 */
export function describeMtlsOrigin(view: IstioWorkloadView): string {
  const { source } = view.mtls;
  if (source.scope === 'default') {
    return `${scopeWords.default}: Istio's default, PERMISSIVE, accepts plain text and mTLS.`;
  }
  const deciding = `${scopeWords[source.scope]} ${source.policy}`;
  const overridden = overriddenScope(view, source.scope);
  if (!overridden) {
    return `${deciding}.`;
  }
  return `${deciding} overrides ${lowerScopeWords[overridden.scope]} ${overridden.mode} (${overridden.policy}).`;
}

/** Where one Service port's mode comes from, for the port badge's tooltip. */
export function describePortOrigin(
  view: IstioWorkloadView,
  port: EffectiveMtls['ports'][number],
): string {
  const workloadPort = port.targetPort ?? port.port;
  if (port.source.scope === 'port') {
    return `portLevelMtls ${workloadPort} in ${port.source.policy} overrides ${lowerScopeWords.workload} ${view.mtls.mode}`;
  }
  return `Workload port ${workloadPort} inherits ${port.mode} from ${
    port.source.policy ?? "Istio's default"
  }`;
}
