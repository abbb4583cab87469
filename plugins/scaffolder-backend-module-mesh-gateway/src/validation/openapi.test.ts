import { evaluateCelRule, parseGoDuration, toDraft04 } from './openapi';

describe('toDraft04', () => {
  it('rejects unknown fields unless the CRD preserves them', () => {
    expect(
      toDraft04({
        type: 'object',
        properties: {
          strict: { type: 'object', properties: { a: { type: 'string' } } },
          open: {
            type: 'object',
            'x-kubernetes-preserve-unknown-fields': true,
            properties: { a: { type: 'string' } },
          },
          map: { type: 'object', additionalProperties: { type: 'string' } },
        },
      }),
    ).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: {
        strict: {
          type: 'object',
          additionalProperties: false,
          properties: { a: { type: 'string' } },
        },
        open: { type: 'object', properties: { a: { type: 'string' } } },
        map: { type: 'object', additionalProperties: { type: 'string' } },
      },
    });
  });

  it('translates nullable and int-or-string', () => {
    expect(
      toDraft04({ type: 'integer', nullable: true, format: 'int32' }),
    ).toEqual({
      type: ['integer', 'null'],
      format: 'int32',
    });
    expect(toDraft04({ 'x-kubernetes-int-or-string': true })).toEqual({
      anyOf: [{ type: 'integer' }, { type: 'string' }],
    });
  });

  it('keeps only the CEL rules it can evaluate', () => {
    expect(
      toDraft04({
        type: 'string',
        description: 'dropped',
        'x-kubernetes-validations': [
          {
            rule: "duration(self) >= duration('1ms')",
            message: 'must be a valid duration greater than 1ms',
          },
          { rule: 'self.matches("^[a-z]+$")' },
        ],
      }),
    ).toEqual({
      type: 'string',
      'x-cel': [
        {
          rule: "duration(self) >= duration('1ms')",
          message: 'must be a valid duration greater than 1ms',
        },
      ],
    });
  });
});

describe('CEL rules', () => {
  const duration = { rule: "duration(self) >= duration('1ms')" };

  it('parses Go durations', () => {
    expect(parseGoDuration('30s')).toBe(30_000);
    expect(parseGoDuration('7500ms')).toBe(7500);
    expect(parseGoDuration('1h30m')).toBe(5_400_000);
    expect(parseGoDuration('1.5s')).toBe(1500);
    expect(parseGoDuration('30')).toBeUndefined();
    expect(parseGoDuration('30 s')).toBeUndefined();
  });

  it('evaluates the duration, URL and at-most-one rules', () => {
    expect(evaluateCelRule(duration, '30s')).toBeUndefined();
    expect(evaluateCelRule(duration, '10x')).toBe(
      'must be a duration such as 30s, 7500ms or 1h',
    );
    expect(evaluateCelRule(duration, '100us')).toBe('must be at least 1ms');
    const url = { rule: 'url(self).getScheme() in ["http", "https"]' };
    expect(evaluateCelRule(url, 'https://a.example.com/jwks')).toBeUndefined();
    expect(evaluateCelRule(url, 'ftp://a.example.com')).toBe(
      'must be an http or https URL',
    );
    const oneOf = {
      rule: '(has(self.selector) ? 1 : 0) + (has(self.targetRef) ? 1 : 0) + (has(self.targetRefs) ? 1 : 0) <= 1',
      message: 'only one of targetRefs or selector can be set',
    };
    expect(evaluateCelRule(oneOf, { selector: {} })).toBeUndefined();
    expect(evaluateCelRule(oneOf, { selector: {}, targetRefs: [] })).toBe(
      'only one of targetRefs or selector can be set',
    );
  });
});
