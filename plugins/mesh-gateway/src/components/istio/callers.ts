import type {
  AuthorizationRuleView,
  EffectiveAuthorization,
  MtlsMode,
} from '@internal/plugin-mesh-gateway-common';

/** `parallel-ai/ai-agent-service-authz` rule 0, as people name it. */
export function ruleName(rule: AuthorizationRuleView): string {
  return rule.rule < 0 ? rule.policy : `${rule.policy} rule ${rule.rule}`;
}

function names(items: string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Who may call the workload, in one or two plain sentences. */
export function describeCallers(
  authorization: EffectiveAuthorization,
  mtlsMode: Exclude<MtlsMode, 'UNSET'>,
): string {
  const { decision, rules } = authorization;
  const allowRules = rules.filter(r => r.action === 'ALLOW' && r.rule >= 0);
  const hasDeny = rules.some(r => r.action === 'DENY' && r.rule >= 0);
  const sentences: string[] = [];

  if (decision === 'deny-all') {
    const policies = [
      ...new Set(rules.filter(r => r.action === 'ALLOW').map(r => r.policy)),
    ];
    sentences.push(
      `Nobody: ALLOW policy ${names(policies)} has no rules, so every request is denied.`,
    );
  } else if (decision === 'allow-all') {
    const everything = allowRules.find(r => r.matchesEverything);
    sentences.push(
      everything
        ? `Every caller: ${ruleName(everything)} is empty, so it allows every request.`
        : 'Every caller: no enforced ALLOW policy selects this workload.',
    );
    sentences.push(
      mtlsMode === 'STRICT'
        ? 'STRICT mTLS still requires a mesh identity.'
        : `With mTLS ${mtlsMode}, that includes plain-text clients from outside the mesh.`,
    );
  } else {
    sentences.push(
      allowRules.length === 1
        ? 'Only requests that match the ALLOW rule below.'
        : `Only requests that match one of the ${allowRules.length} ALLOW rules below.`,
    );
    const open = allowRules.filter(r => r.anySource);
    if (open.length > 0) {
      sentences.push(
        `${names(open.map(ruleName))} ${open.length === 1 ? 'does' : 'do'} not restrict the source: any caller gets the operations ${open.length === 1 ? 'it lists' : 'they list'}.`,
      );
    }
  }
  if (hasDeny && decision !== 'deny-all') {
    sentences.push('DENY rules are checked first and win.');
  }
  if (authorization.customProviders.length > 0) {
    sentences.push(
      `Before that, the external authorizer ${names(authorization.customProviders)} decides on the requests its CUSTOM rules match.`,
    );
  }
  return sentences.join(' ');
}

/**
 * ALLOW rules that let a request without a JWT in: RequestAuthentication rejects only invalid
 * tokens, so a missing token is refused only where the ALLOW rule requires a request principal.
 */
export function rulesAdmittingRequestsWithoutToken(
  authorization: EffectiveAuthorization,
): AuthorizationRuleView[] {
  return authorization.rules.filter(
    r =>
      r.action === 'ALLOW' &&
      r.rule >= 0 &&
      r.requestPrincipals.length === 0 &&
      !r.when.some(w => w.key.startsWith('request.auth.')),
  );
}
