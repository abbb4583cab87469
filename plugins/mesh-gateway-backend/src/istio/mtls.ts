import type { EffectiveMtls, KubernetesObjectView, MtlsMode, MtlsSource } from '@internal/plugin-mesh-gateway-common';
import { byAge, IstioInventory, matchLabelsOf, objectName, selectorMatches } from './inventory';

type Resolved = { mode: Exclude<MtlsMode, 'UNSET'>; source: MtlsSource };

function modeOf(value: unknown): MtlsMode {
  const mode = (value as { mode?: string } | undefined)?.mode;
  return mode === 'STRICT' || mode === 'PERMISSIVE' || mode === 'DISABLE' ? mode : 'UNSET';
}

/**
 * The mTLS mode a workload and each of its ports accept (pilot/pkg/security/authn):
 * port-level > workload > namespace > mesh, the oldest policy winning within a scope, selector
 * policies in the root namespace ignored, UNSET inheriting from the next scope up, and no policy
 * at all meaning PERMISSIVE.
 */
export function effectiveMtls(inventory: IstioInventory): EffectiveMtls {
  const ignored: EffectiveMtls['ignored'] = [];
  const policies = inventory.peerAuthentications;
  const inRoot = (p: KubernetesObjectView) => p.metadata.namespace === inventory.rootNamespace;

  const pickOldest = (candidates: KubernetesObjectView[], scope: string) => {
    const sorted = [...candidates].sort(byAge);
    for (const loser of sorted.slice(1)) {
      ignored.push({ policy: objectName(loser), reason: `a ${scope} policy older than it (${objectName(sorted[0])}) wins` });
    }
    return sorted[0];
  };

  for (const policy of policies) {
    if (inRoot(policy) && matchLabelsOf(policy)) {
      ignored.push({ policy: objectName(policy), reason: 'selector policies in the root namespace are ignored' });
    }
  }
  const mesh = pickOldest(policies.filter(p => inRoot(p) && !matchLabelsOf(p)), 'mesh-wide');
  const namespace =
    inventory.namespace === inventory.rootNamespace
      ? undefined
      : pickOldest(
          policies.filter(p => p.metadata.namespace === inventory.namespace && !matchLabelsOf(p)),
          'namespace-wide',
        );
  const workload =
    inventory.namespace === inventory.rootNamespace
      ? undefined
      : pickOldest(
          policies.filter(p => {
            const labels = matchLabelsOf(p);
            return (
              p.metadata.namespace === inventory.namespace &&
              labels !== undefined &&
              selectorMatches(labels, inventory.workloadLabels)
            );
          }),
          'workload',
        );

  const chain: [KubernetesObjectView | undefined, MtlsSource['scope']][] = [
    [workload, 'workload'],
    [namespace, 'namespace'],
    [mesh, 'mesh'],
  ];
  let resolved: Resolved = { mode: 'PERMISSIVE', source: { scope: 'default' } };
  for (const [policy, scope] of chain) {
    const mode = policy ? modeOf(policy.spec?.mtls) : 'UNSET';
    if (policy && mode !== 'UNSET') {
      resolved = { mode, source: { scope, policy: objectName(policy) } };
      break;
    }
  }

  const portLevel = (workload?.spec?.portLevelMtls ?? {}) as Record<string, unknown>;
  const servicePorts = (inventory.service?.spec?.ports ?? []) as {
    name?: string;
    port: number;
    targetPort?: number | string;
  }[];
  const ports = servicePorts.map(servicePort => {
    // portLevelMtls is keyed by the workload (container) port, which is the Service's targetPort.
    const workloadPort = servicePort.targetPort ?? servicePort.port;
    const mode = modeOf(portLevel[String(workloadPort)]);
    const port: Resolved =
      mode === 'UNSET'
        ? resolved
        : { mode, source: { scope: 'port', policy: objectName(workload!) } };
    return { port: servicePort.port, name: servicePort.name, targetPort: servicePort.targetPort, ...port };
  });

  return { ...resolved, ports, ignored };
}
