import { BASELINE_RULES, createFinding, sortFindings } from './rules';

describe('BASELINE_RULES', () => {
  it('keys every rule by its own code, with a fix', () => {
    for (const [code, rule] of Object.entries(BASELINE_RULES)) {
      expect(rule.code).toBe(code);
      expect(code).toMatch(/^MG-[A-Z]+-\d{3}$/);
      expect(rule.fix.length).toBeGreaterThan(10);
    }
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
