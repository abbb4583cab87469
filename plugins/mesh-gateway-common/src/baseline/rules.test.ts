import { BASELINE_RULES, BaselineRule, createFinding, sortFindings } from './rules';

describe('BASELINE_RULES', () => {
  it('keys every rule by its own code, with a fix', () => {
    for (const [code, rule] of Object.entries(BASELINE_RULES)) {
      expect(rule.code).toBe(code);
      expect(code).toMatch(/^MG-[A-Z]+-\d{3}$/);
      expect(rule.fix.length).toBeGreaterThan(10);
    }
  });

  it('uses only current istioctl analyze codes, each for what istioctl means by it', () => {
    // From istio/istio pkg/config/analysis/msg/messages.yaml and istio.io's analysis reference: the codes a rule may name, with
    // istioctl's message name; retired codes (e.g. IST0113, the old mTLS conflict) are refused.
    const current: Record<string, string> = {
      IST0101: 'ReferencedResourceNotFound',
      IST0102: 'NamespaceNotInjected',
      IST0118: 'PortNameIsNotUnderNamingConvention',
      IST0173: 'DestinationRuleSubsetNotSelectPods',
      IST0174: 'UnknownDestinationRuleHost',
    };
    const retired = ['IST0104', 'IST0105', 'IST0113', 'IST0114', 'IST0115', 'IST0117', 'IST0120', 'IST0121'];
    const rules: BaselineRule[] = Object.values(BASELINE_RULES);
    const used = rules.flatMap(rule => (rule.istioctlCode ? [rule.istioctlCode] : []));
    expect(used.length).toBeGreaterThanOrEqual(5);
    for (const code of used) {
      expect(retired).not.toContain(code);
      expect(Object.keys(current)).toContain(code);
    }
    expect(BASELINE_RULES['MG-ISTIO-008'].istioctlCode).toBe('IST0102');
    expect(BASELINE_RULES['MG-ISTIO-009'].istioctlCode).toBe('IST0101');
    expect(BASELINE_RULES['MG-ISTIO-010'].istioctlCode).toBe('IST0173');
    expect(BASELINE_RULES['MG-ISTIO-011'].istioctlCode).toBe('IST0174');
  });

  it('never tells Kong to verify aud (Kong accepts only exp and nbf)', () => {
    expect(BASELINE_RULES['MG-KONG-001'].fix).toContain('exp, nbf');
    expect(BASELINE_RULES['MG-KONG-001'].fix).not.toContain('aud');
  });
});

describe('createFinding and sortFindings', () => {
  it('builds findings from the rule and sorts them by severity', () => {
    const findings = sortFindings([
      createFinding('MG-KONG-007', 'kong/default/services/a', 'retries 5'),
      createFinding('MG-KONG-001', 'kong/default/routes/b', 'no jwt'),
      createFinding('MG-KONG-005', 'kong/default/routes/a', 'strip'),
    ]);
    expect(findings.map(f => [f.code, f.severity])).toEqual([
      ['MG-KONG-001', 'critical'],
      ['MG-KONG-005', 'warning'],
      ['MG-KONG-007', 'info'],
    ]);
    expect(findings[0].fix).toBe(BASELINE_RULES['MG-KONG-001'].fix);
  });
});
