import type {
  AuthorizationRuleView,
  EffectiveAuthorization,
  KubernetesObjectView,
} from '@internal/plugin-mesh-gateway-common';
import { IstioInventory, isDryRun, matchLabelsOf, objectName, selectorMatches } from './inventory';

type Action = AuthorizationRuleView['action'];
type Source = Record<string, string[] | undefined>;
type Operation = Record<string, string[] | undefined>;
interface Rule {
  from?: { source?: Source }[];
  to?: { operation?: Operation }[];
  when?: { key: string; values?: string[]; notValues?: string[] }[];
}

const POSITIVE_SOURCE_FIELDS = [
  'principals',
  'requestPrincipals',
  'namespaces',
  'ipBlocks',
  'remoteIpBlocks',
  'serviceAccounts',
  'trustDomains',
];
const ORDER: Record<Action, number> = { CUSTOM: 0, DENY: 1, ALLOW: 2, AUDIT: 3 };

function actionOf(policy: KubernetesObjectView): Action {
  const action = policy.spec?.action;
  return action === 'DENY' || action === 'AUDIT' || action === 'CUSTOM' ? action : 'ALLOW';
}

function hasTargetRefs(policy: KubernetesObjectView): boolean {
  const spec = policy.spec ?? {};
  return Boolean(spec.targetRef) || (Array.isArray(spec.targetRefs) && spec.targetRefs.length > 0);
}

/** Whether a policy in `namespace`/root selects the workload (Istio's scoping rules). */
export function selectsWorkload(policy: KubernetesObjectView, inventory: IstioInventory): boolean {
  const ns = policy.metadata.namespace;
  if (ns !== inventory.namespace && ns !== inventory.rootNamespace) return false;
  const labels = matchLabelsOf(policy);
  return labels === undefined || selectorMatches(labels, inventory.workloadLabels);
}

function collect(items: Record<string, string[] | undefined>[], field: string): string[] {
  return [...new Set(items.flatMap(item => item[field] ?? []))];
}

function ruleView(policy: KubernetesObjectView, rule: Rule | undefined, index: number): AuthorizationRuleView {
  const sources = (rule?.from ?? []).map(f => f.source ?? {});
  const operations = (rule?.to ?? []).map(t => t.operation ?? {});
  const when = rule?.when ?? [];
  const whenConstrainsSource = when.some(w => /^(source\.|request\.auth\.)/.test(w.key));
  const anySource =
    rule !== undefined &&
    !whenConstrainsSource &&
    (sources.length === 0 || sources.some(s => POSITIVE_SOURCE_FIELDS.every(f => !(s[f]?.length))));
  return {
    policy: objectName(policy),
    action: actionOf(policy),
    rule: index,
    principals: [...collect(sources, 'principals'), ...collect(sources, 'serviceAccounts').map(sa => `sa:${sa}`)],
    notPrincipals: collect(sources, 'notPrincipals'),
    namespaces: collect(sources, 'namespaces'),
    notNamespaces: collect(sources, 'notNamespaces'),
    requestPrincipals: collect(sources, 'requestPrincipals'),
    ipBlocks: [...collect(sources, 'ipBlocks'), ...collect(sources, 'remoteIpBlocks')],
    methods: collect(operations, 'methods'),
    notMethods: collect(operations, 'notMethods'),
    paths: collect(operations, 'paths'),
    notPaths: collect(operations, 'notPaths'),
    ports: collect(operations, 'ports'),
    when,
    anySource,
    matchesEverything: anySource && operations.length === 0 && when.length === 0,
  };
}

/**
 * Who may call the workload. Istio evaluates CUSTOM, then DENY, then ALLOW: with no ALLOW
 * policy every request not denied is allowed; with ALLOW policies only requests matching one
 * of their rules are. AUDIT never decides. Dry-run and targetRef policies are reported but not
 * counted, since they are not enforced on a sidecar workload.
 */
export function effectiveAuthorization(inventory: IstioInventory): EffectiveAuthorization {
  const dryRun: string[] = [];
  const targetRefPolicies: string[] = [];
  const enforced: KubernetesObjectView[] = [];
  for (const policy of inventory.authorizationPolicies) {
    if (hasTargetRefs(policy)) {
      if (policy.metadata.namespace === inventory.namespace || policy.metadata.namespace === inventory.rootNamespace) {
        targetRefPolicies.push(objectName(policy));
      }
      continue;
    }
    if (!selectsWorkload(policy, inventory)) continue;
    if (isDryRun(policy)) {
      dryRun.push(objectName(policy));
      continue;
    }
    enforced.push(policy);
  }

  const rules: AuthorizationRuleView[] = [];
  const customProviders: string[] = [];
  for (const policy of enforced) {
    const policyRules = (policy.spec?.rules ?? []) as Rule[];
    if (actionOf(policy) === 'CUSTOM') {
      const provider = (policy.spec?.provider as { name?: string } | undefined)?.name;
      if (provider) customProviders.push(provider);
    }
    if (policyRules.length === 0) {
      rules.push({ ...ruleView(policy, undefined, -1), anySource: false, matchesEverything: false });
    }
    policyRules.forEach((rule, index) => rules.push(ruleView(policy, rule, index)));
  }
  rules.sort((a, b) => ORDER[a.action] - ORDER[b.action] || a.policy.localeCompare(b.policy) || a.rule - b.rule);

  const allowPolicies = enforced.filter(p => actionOf(p) === 'ALLOW');
  const allowRules = rules.filter(r => r.action === 'ALLOW' && r.rule >= 0);
  let decision: EffectiveAuthorization['decision'];
  if (allowPolicies.length === 0 || allowRules.some(r => r.matchesEverything)) decision = 'allow-all';
  else if (allowRules.length === 0) decision = 'deny-all';
  else decision = 'restricted';

  const jwt = inventory.requestAuthentications
    .filter(ra => selectsWorkload(ra, inventory))
    .flatMap(ra =>
      ((ra.spec?.jwtRules ?? []) as { issuer?: string; audiences?: string[]; jwksUri?: string }[]).map(rule => ({
        policy: objectName(ra),
        issuer: rule.issuer ?? '',
        audiences: rule.audiences ?? [],
        jwksUri: rule.jwksUri,
      })),
    );

  return { decision, rules, customProviders, dryRun, targetRefPolicies, jwt };
}
