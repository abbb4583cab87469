import { effectiveAuthorization } from './authorization';
import { inventory, istioObject } from './__testUtils__/testObjects';

const ap = (name: string, spec: Record<string, unknown>, ns = 'parallel-ai', annotations?: Record<string, string>) =>
  istioObject('AuthorizationPolicy', ns, name, spec, annotations ? { annotations } : {});
const kongOnly = { from: [{ source: { principals: ['cluster.local/ns/kong/sa/kong'] } }], to: [{ operation: { methods: ['GET', 'POST'] } }] };

describe('effectiveAuthorization', () => {
  it.each([
    ['no policy → allow-all', [], 'allow-all'],
    ['allow-nothing (spec: {}) → deny-all', [ap('deny', {})], 'deny-all'],
    ['allow-all rule (rules: [{}])', [ap('all', { rules: [{}] })], 'allow-all'],
    ['ALLOW with a source → restricted', [ap('kong', { rules: [kongOnly] })], 'restricted'],
    ['only DENY policies → allow-all (except denied)', [ap('d', { action: 'DENY', rules: [{ from: [{ source: { namespaces: ['evil'] } }] }] })], 'allow-all'],
    ['AUDIT never decides', [ap('a', { action: 'AUDIT', rules: [{}] })], 'allow-all'],
    ['dry-run ALLOW is not enforced', [ap('dry', { rules: [kongOnly] }, 'parallel-ai', { 'istio.io/dry-run': 'true' })], 'allow-all'],
    ['root-namespace policy applies mesh-wide', [ap('mesh-deny', {}, 'istio-system')], 'deny-all'],
    ['root-namespace policy with matching selector applies', [ap('r', { selector: { matchLabels: { app: 'user-service' } }, rules: [kongOnly] }, 'istio-system')], 'restricted'],
    ['policy for other workloads does not apply', [ap('o', { selector: { matchLabels: { app: 'other' } } })], 'allow-all'],
    ['policy in another namespace does not apply', [ap('o', {}, 'analytics')], 'allow-all'],
    ['targetRefs policy does not apply to the sidecar', [ap('w', { targetRefs: [{ kind: 'Service', group: '', name: 'user-service' }] })], 'allow-all'],
  ])('%s', (_name, policies, decision) => {
    expect(effectiveAuthorization(inventory({ authorizationPolicies: policies })).decision).toBe(decision);
  });

  it('flags the documents\' split from/to rules as matching any source', () => {
    const result = effectiveAuthorization(
      inventory({
        authorizationPolicies: [
          ap('service-authz', { rules: [{ from: [{ source: { principals: ['cluster.local/ns/kong/sa/kong'] } }] }, { to: [{ operation: { methods: ['GET', 'POST'] } }] }] }),
        ],
      }),
    );
    expect(result.decision).toBe('restricted');
    expect(result.rules.map(r => [r.rule, r.anySource, r.matchesEverything])).toEqual([
      [0, false, false],
      [1, true, false],
    ]);
    expect(result.rules[1].methods).toEqual(['GET', 'POST']);
  });

  it('orders CUSTOM, DENY, ALLOW, AUDIT and lists custom providers, dry-run and targetRef policies', () => {
    const result = effectiveAuthorization(
      inventory({
        authorizationPolicies: [
          ap('allow', { rules: [kongOnly] }),
          ap('audit', { action: 'AUDIT', rules: [{}] }),
          ap('deny', { action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin*'] } }] }] }),
          ap('ext', { action: 'CUSTOM', provider: { name: 'opa' }, rules: [{ to: [{ operation: { paths: ['/api/*'] } }] }] }),
          ap('dry', { rules: [{}] }, 'parallel-ai', { 'istio.io/dry-run': 'true' }),
          ap('wp', { targetRef: { kind: 'Gateway', group: 'gateway.networking.k8s.io', name: 'waypoint' } }),
        ],
      }),
    );
    expect(result.rules.map(r => r.action)).toEqual(['CUSTOM', 'DENY', 'ALLOW', 'AUDIT']);
    expect(result.customProviders).toEqual(['opa']);
    expect(result.dryRun).toEqual(['parallel-ai/dry']);
    expect(result.targetRefPolicies).toEqual(['parallel-ai/wp']);
  });

  it('does not count a source constrained in "when" as any source', () => {
    const result = effectiveAuthorization(
      inventory({ authorizationPolicies: [ap('w', { rules: [{ when: [{ key: 'source.principal', values: ['cluster.local/ns/kong/sa/kong'] }] }] })] }),
    );
    expect(result.rules[0].anySource).toBe(false);
    expect(result.decision).toBe('restricted');
  });

  it('collects JWT issuers and audiences of RequestAuthentications selecting the workload', () => {
    const result = effectiveAuthorization(
      inventory({
        requestAuthentications: [
          istioObject('RequestAuthentication', 'parallel-ai', 'jwt', { selector: { matchLabels: { app: 'user-service' } }, jwtRules: [{ issuer: 'https://auth.parallel.ai', audiences: ['parallel-ai-api'], jwksUri: 'https://auth.parallel.ai/jwks' }] }),
          istioObject('RequestAuthentication', 'parallel-ai', 'other', { selector: { matchLabels: { app: 'x' } }, jwtRules: [{ issuer: 'x' }] }),
        ],
      }),
    );
    expect(result.jwt).toEqual([{ policy: 'parallel-ai/jwt', issuer: 'https://auth.parallel.ai', audiences: ['parallel-ai-api'], jwksUri: 'https://auth.parallel.ai/jwks' }]);
  });
});
