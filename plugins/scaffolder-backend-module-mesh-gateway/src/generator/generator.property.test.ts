import {
  HTTP_METHODS,
  parseServiceSpec,
  ServiceSpecInput,
} from '@internal/plugin-mesh-gateway-common';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { acceptedFindings, generateConfiguration } from '.';
import {
  FUZZ_RUNS,
  HOSTILE_TEXT,
  NUMBER_PARAMETERS,
  serviceSpecInput,
  STRING_PARAMETERS,
  withValue,
} from '../__testUtils__/arbitraries';
import {
  findDocumentMistakes,
  formatProblem,
  validateConfiguration,
} from '../validation';

function parsed(input: ServiceSpecInput) {
  const result = parseServiceSpec(input);
  if (!result.success) {
    throw new Error(
      `the arbitrary produced a rejected spec: ${JSON.stringify(result.issues)}`,
    );
  }
  return result.spec;
}

/** Every YAML object of the generated files, parsed back. */
function parsedObjects(files: { path: string; content: string }[]) {
  return files
    .filter(f => f.path.endsWith('.yaml'))
    .flatMap(f =>
      parseAllDocuments(f.content).map((d, index) => ({
        file: f.path,
        index,
        value: d.toJS(),
      })),
    );
}

/** The documents' mistakes, checked here without the validator's code. */
function independentChecks(value: any): string[] {
  const found: string[] = [];
  for (const list of JSON.stringify(value).match(
    /"claims_to_verify":\[[^\]]*\]/g,
  ) ?? []) {
    if (list.includes('aud')) found.push(`aud in ${list}`);
  }
  if (
    value.kind === 'DestinationRule' &&
    value.spec.trafficPolicy.connectionPool.http.connectTimeout
  ) {
    found.push('connectionPool.http.connectTimeout');
  }
  if (
    value.kind === 'Telemetry' &&
    value.spec.accessLogging.some((l: any) => l.customTags)
  ) {
    found.push('customTags under accessLogging');
  }
  if (
    value.kind === 'AuthorizationPolicy' &&
    (value.spec.rules.length !== 1 ||
      !value.spec.rules[0].from ||
      !value.spec.rules[0].to)
  ) {
    found.push('authorization rules that are not one rule with from and to');
  }
  if (value.kind === 'VirtualService') {
    for (const route of value.spec.http) {
      const timeoutMs = Number(route.timeout.replace(/s$/, '')) * 1000;
      const perTry: string | undefined = route.retries.perTryTimeout;
      const perTryMs = perTry?.endsWith('ms')
        ? Number(perTry.slice(0, -2))
        : Number(perTry?.slice(0, -1)) * 1000;
      if (perTry && (route.retries.attempts + 1) * perTryMs > timeoutMs) {
        found.push(`retries overrun ${route.timeout}`);
      }
    }
  }
  if (String(value.apiVersion).startsWith('configuration.konghq.com')) {
    if (!['KongPlugin', 'KongClusterPlugin'].includes(value.kind))
      found.push(`kind ${value.kind}`);
    if ('protocol' in value) found.push('KongPlugin protocol');
  }
  return found;
}

describe('generateConfiguration over random valid specs', () => {
  it('always writes schema-valid, baseline-compliant configuration', async () => {
    await fc.assert(
      fc.asyncProperty(serviceSpecInput, async input => {
        const spec = parsed(input);
        const generated = generateConfiguration(spec);
        const report = await validateConfiguration(generated.files, {
          acceptedFindings: generated.acceptedFindings.map(f => f.code),
        });
        if (report.problems.length > 0) {
          throw new Error(report.problems.map(formatProblem).join('\n'));
        }
        // Only the departures the spec chose are accepted, nothing else is reported.
        const accepted = generated.acceptedFindings.map(f => f.code);
        expect(report.notes.filter(n => !accepted.includes(n.code!))).toEqual(
          [],
        );
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('never writes one of the documents mistakes', () => {
    fc.assert(
      fc.property(serviceSpecInput, input => {
        const { files } = generateConfiguration(parsed(input));
        const objects = parsedObjects(files);
        expect(objects.flatMap(findDocumentMistakes)).toEqual([]);
        const text = files.map(f => f.content).join('\n');
        expect(text).not.toMatch(
          /circuitBreaker|keepAlive:|\bKongService\b|\bKongRoute\b/,
        );
        expect(text).not.toMatch(/\bdeck\s+dump\b/);
        expect(
          objects.flatMap(({ value }) => independentChecks(value)),
        ).toEqual([]);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('accepts exactly the baseline departures of the spec', () => {
    fc.assert(
      fc.property(serviceSpecInput, input => {
        const spec = parsed(input);
        const codes = acceptedFindings(spec).map(f => f.code);
        expect(codes.includes('MG-KONG-001')).toBe(spec.auth.type !== 'jwt');
        expect(codes.includes('MG-KONG-007')).toBe(
          spec.resilience.retries !== 3,
        );
        expect(codes.includes('MG-KONG-008')).toBe(
          spec.resilience.timeoutSeconds !== 30,
        );
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('is deterministic and serialises only plain data', () => {
    fc.assert(
      fc.property(serviceSpecInput, input => {
        const spec = parsed(input);
        const first = generateConfiguration(spec);
        expect(generateConfiguration(spec)).toEqual(first);
        for (const file of first.files.filter(f => f.path.endsWith('.yaml'))) {
          // No anchors, aliases or tags: what is written is what is meant.
          expect(
            parseAllDocuments(file.content).flatMap(d => d.errors),
          ).toEqual([]);
          expect(file.content).not.toMatch(/^\s*(-\s+)?[\w.-]+:\s+[&*!]/m);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('the service spec against hostile input', () => {
  it('accepts the valid values the hostile cases start from', () => {
    for (const [path, value] of STRING_PARAMETERS) {
      const input = withValue(path, value);
      if (path.startsWith('auth.keyNames'))
        (input.auth as Record<string, unknown>).type = 'key-auth';
      const result = parseServiceSpec(input);
      expect({ path, issues: result.success ? [] : result.issues }).toEqual({
        path,
        issues: [],
      });
    }
  });

  it('rejects YAML, newline, template and shell injection in every string, naming the parameter', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STRING_PARAMETERS),
        HOSTILE_TEXT,
        fc.boolean(),
        ([path, valid], payload, append) => {
          const result = parseServiceSpec(
            withValue(path, append ? `${valid}${payload}` : payload),
          );
          expect(
            result.success ? [] : result.issues.map(i => i.parameter),
          ).toContain(path);
        },
      ),
      { numRuns: Math.max(FUZZ_RUNS, 200) },
    );
  });

  it('rejects negative numbers, naming the parameter', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...NUMBER_PARAMETERS),
        fc.oneof(
          fc.integer({ max: -1 }),
          fc.double({ max: -Number.MIN_VALUE, noNaN: true }),
        ),
        (path, value) => {
          const result = parseServiceSpec(withValue(path, value));
          expect(
            result.success ? [] : result.issues.map(i => i.parameter),
          ).toContain(path);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('rejects unknown HTTP methods, naming the parameter', () => {
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 1, maxLength: 12 })
          .filter(m => !(HTTP_METHODS as readonly string[]).includes(m)),
        method => {
          const result = parseServiceSpec(
            withValue('routes.0.methods', ['GET', method]),
          );
          expect(
            result.success ? [] : result.issues.map(i => i.parameter),
          ).toContain('routes.0.methods.1');
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('rejects names over 63 characters or not DNS-1123, naming the parameter', () => {
    const notDns = fc.oneof(
      fc.stringMatching(/^[a-z0-9]{64,100}$/),
      fc.stringMatching(/^[a-z0-9]{0,10}[A-Z_. ][a-z0-9]{0,10}$/),
      fc.stringMatching(/^-[a-z0-9]{0,10}$/),
      fc.stringMatching(/^[a-z0-9]{0,10}-$/),
      fc.constant(''),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(
          'name',
          'namespace',
          'tiers.premium',
          'kong.ingressClass',
          'certificate.issuerName',
        ),
        notDns,
        (path, value) => {
          // An empty optional field means "use the default".
          fc.pre(!(path === 'namespace' && value === ''));
          const result = parseServiceSpec(withValue(path, value));
          expect(
            result.success ? [] : result.issues.map(i => i.parameter),
          ).toContain(path);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('rejects ".." segments in every path parameter', () => {
    for (const [path, value] of [
      ['routes.0.path', '/api/../admin'],
      ['routes.0.path', '/api/./v1'],
      ['backup.prefix', '../other-team'],
      ['backup.prefix', 'team/../../other'],
      ['targetPath', 'deploy/../..'],
    ]) {
      const result = parseServiceSpec(withValue(path, value));
      expect(
        result.success ? [] : result.issues.map(i => i.parameter),
      ).toContain(path);
    }
  });

  it('rejects target paths that leave the workspace', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.stringMatching(/^[a-z]{0,8}$/).map(s => `/${s}`),
          fc.stringMatching(/^[a-z]{1,8}$/).map(s => `../${s}`),
          fc.stringMatching(/^[a-z]{1,8}$/).map(s => `${s}/../../${s}`),
          fc.stringMatching(/^[a-z]{1,8}$/).map(s => `${s}\\..\\..`),
          fc.constant('..'),
          fc.constant('~/x'),
        ),
        targetPath => {
          const result = parseServiceSpec(withValue('targetPath', targetPath));
          expect(
            result.success ? [] : result.issues.map(i => i.parameter),
          ).toContain('targetPath');
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});
