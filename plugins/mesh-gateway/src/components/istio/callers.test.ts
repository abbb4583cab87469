import type {
  AuthorizationRuleView,
  EffectiveAuthorization,
} from '@internal/plugin-mesh-gateway-common';
import {
  describeCallers,
  ruleName,
  rulesAdmittingRequestsWithoutToken,
} from './callers';

function rule(
  overrides: Partial<AuthorizationRuleView>,
): AuthorizationRuleView {
  return {
    policy: 'parallel-ai/user-service-authz',
    action: 'ALLOW',
    rule: 0,
    principals: ['cluster.local/ns/kong/sa/kong'],
    notPrincipals: [],
    namespaces: [],
    notNamespaces: [],
    requestPrincipals: ['https://auth.parallel-ai.example.com/*'],
    ipBlocks: [],
    methods: ['GET'],
    notMethods: [],
    paths: [],
    notPaths: [],
    ports: [],
    when: [],
    anySource: false,
    matchesEverything: false,
    ...overrides,
  };
}

function authorization(
  decision: EffectiveAuthorization['decision'],
  rules: AuthorizationRuleView[],
  overrides: Partial<EffectiveAuthorization> = {},
): EffectiveAuthorization {
  return {
    decision,
    rules,
    customProviders: [],
    dryRun: [],
    targetRefPolicies: [],
    jwt: [],
    ...overrides,
  };
}

describe('describeCallers', () => {
  it.each<[string, EffectiveAuthorization, 'STRICT' | 'PERMISSIVE', string]>([
    [
      'no ALLOW policy, STRICT',
      authorization('allow-all', []),
      'STRICT',
      'Every caller: no enforced ALLOW policy selects this workload. STRICT mTLS still requires a mesh identity.',
    ],
    [
      'no ALLOW policy, PERMISSIVE',
      authorization('allow-all', []),
      'PERMISSIVE',
      'Every caller: no enforced ALLOW policy selects this workload. With mTLS PERMISSIVE, that includes plain-text clients from outside the mesh.',
    ],
    [
      'an empty ALLOW rule (rules: [{}])',
      authorization('allow-all', [
        rule({
          rule: 0,
          principals: [],
          requestPrincipals: [],
          methods: [],
          anySource: true,
          matchesEverything: true,
        }),
      ]),
      'STRICT',
      'Every caller: parallel-ai/user-service-authz rule 0 is empty, so it allows every request. STRICT mTLS still requires a mesh identity.',
    ],
    [
      'an allow-nothing policy (spec: {})',
      authorization('deny-all', [rule({ rule: -1 })]),
      'STRICT',
      'Nobody: ALLOW policy parallel-ai/user-service-authz has no rules, so every request is denied.',
    ],
    [
      'one restricting rule',
      authorization('restricted', [rule({})]),
      'STRICT',
      'Only requests that match the ALLOW rule below.',
    ],
    [
      "the documents' split rules: from and to in two rules",
      authorization('restricted', [
        rule({ methods: [] }),
        rule({
          rule: 1,
          principals: [],
          requestPrincipals: [],
          anySource: true,
        }),
      ]),
      'STRICT',
      'Only requests that match one of the 2 ALLOW rules below. parallel-ai/user-service-authz rule 1 does not restrict the source: any caller gets the operations it lists.',
    ],
    [
      'DENY and CUSTOM in front of ALLOW',
      authorization(
        'restricted',
        [
          rule({ action: 'CUSTOM', policy: 'parallel-ai/ext-authz' }),
          rule({ action: 'DENY', policy: 'parallel-ai/deny-admin' }),
          rule({}),
          rule({ rule: 1, anySource: true }),
          rule({ policy: 'parallel-ai/other', anySource: true }),
        ],
        { customProviders: ['opa'] },
      ),
      'STRICT',
      'Only requests that match one of the 3 ALLOW rules below. parallel-ai/user-service-authz rule 1 and parallel-ai/other rule 0 do not restrict the source: any caller gets the operations they list. DENY rules are checked first and win. Before that, the external authorizer opa decides on the requests its CUSTOM rules match.',
    ],
  ])('%s', (_, value, mode, expected) => {
    expect(describeCallers(value, mode)).toBe(expected);
  });
});

describe('rulesAdmittingRequestsWithoutToken', () => {
  it('keeps the ALLOW rules that require no request principal', () => {
    const tokenless = rule({ rule: 1, requestPrincipals: [] });
    const byCondition = rule({
      rule: 2,
      requestPrincipals: [],
      when: [{ key: 'request.auth.claims[aud]', values: ['user-service'] }],
    });
    const deny = rule({ action: 'DENY', requestPrincipals: [] });
    const result = rulesAdmittingRequestsWithoutToken(
      authorization('restricted', [rule({}), tokenless, byCondition, deny]),
    );
    expect(result.map(ruleName)).toEqual([
      'parallel-ai/user-service-authz rule 1',
    ]);
  });
});
