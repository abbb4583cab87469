import fc from 'fast-check';
import {
  anyOf,
  equals,
  escapePromQLString,
  histogramQuantile,
  labelReplace,
  or,
  promDuration,
  quoteRegexMeta,
  rate,
  selector,
  sumBy,
} from './promql';
import { istioLatencyQuery, istioTrafficQuery, kongLatencyQuery, kongTrafficQuery } from './queries';

/**
 * Splits PromQL into tokens the way its lexer does for what matters here: a double-quoted string
 * is one token (backslash escapes included), everything else is cut at spaces and punctuation.
 * Returns the structure (strings replaced by a placeholder) and the decoded string literals.
 */
function tokenize(query: string): { structure: string[]; strings: string[] } {
  const structure: string[] = [];
  const strings: string[] = [];
  let i = 0;
  while (i < query.length) {
    const char = query[i];
    if (char === '"') {
      let raw = '';
      i++;
      while (query[i] !== '"') {
        if (i >= query.length) throw new Error(`unterminated string in ${query}`);
        if (query[i] === '\\') {
          raw += query.slice(i, i + 2);
          i += 2;
        } else {
          raw += query[i++];
        }
      }
      i++;
      strings.push(decodeGoString(raw));
      structure.push('<string>');
    } else if (/\s/.test(char)) {
      i++;
    } else if (/[A-Za-z0-9_.:]/.test(char)) {
      let word = '';
      while (i < query.length && /[A-Za-z0-9_.:]/.test(query[i])) word += query[i++];
      structure.push(word);
    } else if (query.startsWith('=~', i) || query.startsWith('!~', i) || query.startsWith('!=', i)) {
      structure.push(query.slice(i, i + 2));
      i += 2;
    } else {
      // `#` starts a comment in PromQL: if one ever appears outside a string, the structure shows it.
      structure.push(char);
      i++;
    }
  }
  return { structure, strings };
}

/** Go's string literal escapes, as PromQL's lexer decodes them (the ones the escaper writes). */
function decodeGoString(raw: string): string {
  return raw.replace(/\\(x[0-9a-f]{2}|.)/g, (_m, escape: string) => {
    if (escape.startsWith('x')) return String.fromCharCode(parseInt(escape.slice(1), 16));
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', '"': '"' };
    if (!(escape in simple)) throw new Error(`unexpected escape \\${escape}`);
    return simple[escape];
  });
}

const HOSTILE = [
  'x"} or vector(1) #',
  'x"}) or on() vector(1) or sum(up{job="',
  'a\\',
  'a\\"}',
  'line\nbreak"} or vector(1)',
  '\u0000\u001f\u007f',
  'emoji 🦍 and "quotes"',
];

describe('escapePromQLString', () => {
  it('escapes backslashes, quotes, newlines and other control characters', () => {
    expect(escapePromQLString('a\\b')).toBe('a\\\\b');
    expect(escapePromQLString('say "hi"')).toBe('say \\"hi\\"');
    expect(escapePromQLString('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(escapePromQLString('\u0000\u001b\u007f')).toBe('\\x00\\x1b\\x7f');
    expect(escapePromQLString('ünïcode 🦍')).toBe('ünïcode 🦍');
  });

  it('refuses a lone surrogate, which no PromQL string can carry', () => {
    expect(() => escapePromQLString('bad \ud800 value')).toThrow('not well-formed Unicode');
  });
});

describe('selector', () => {
  it('renders matchers with quoted, escaped values', () => {
    expect(selector('kong_http_requests_total', [equals('service', 'user-service'), equals('code', '5"')]).text).toBe(
      'kong_http_requests_total{service="user-service", code="5\\""}',
    );
  });

  it('refuses label and metric names that are not names', () => {
    expect(() => equals('service"} or vector(1) #', 'x')).toThrow('is not a Prometheus label name');
    expect(() => selector('up} or vector(1) #', [])).toThrow('is not a Prometheus metric name');
  });

  it.each(HOSTILE)('keeps %j one string literal: the query keeps its structure and the value', value => {
    const benign = tokenize(selector('kong_http_requests_total', [equals('service', 'benign')]).text);
    const hostile = tokenize(selector('kong_http_requests_total', [equals('service', value)]).text);
    expect(hostile.structure).toEqual(benign.structure);
    expect(hostile.strings).toEqual([value]);
  });

  it('keeps any string a literal (property)', () => {
    const value = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary-ascii', maxLength: 40 }));
    const reference = tokenize(kongTrafficQuery({ services: ['one', 'two'], extra: [equals('cluster', 'c')] }, 3_600_000).text);
    fc.assert(
      fc.property(fc.uniqueArray(value, { minLength: 2, maxLength: 2 }), value, ([a, b], cluster) => {
        const tokens = tokenize(kongTrafficQuery({ services: [a, b], extra: [equals('cluster', cluster)] }, 3_600_000).text);
        expect(tokens.structure).toEqual(reference.structure);
        expect(tokens.strings).toContain(cluster);
        expect(tokens.strings).toContain(`${quoteRegexMeta(a)}|${quoteRegexMeta(b)}`);
      }),
      { numRuns: 300 },
    );
  });
});

describe('anyOf', () => {
  it('uses an equality matcher for one value and a literal regex for several', () => {
    expect(anyOf('service', ['a.b'])).toEqual({ name: 'service', op: '=', value: 'a.b' });
    expect(anyOf('service', ['a.b', 'c|d', 'e(f)*'])).toEqual({
      name: 'service',
      op: '=~',
      value: 'a\\.b|c\\|d|e\\(f\\)\\*',
    });
    expect(anyOf('service', ['x', 'x'])).toEqual({ name: 'service', op: '=', value: 'x' });
    expect(() => anyOf('service', [])).toThrow('no values');
  });

  it('quotes every RE2 metacharacter, and the regex escapes survive string escaping', () => {
    const metacharacters = '\\.+*?()|[]{}^$';
    const quoted = quoteRegexMeta(metacharacters);
    expect(new RegExp(`^(?:${quoted})$`).test(metacharacters)).toBe(true);
    expect(new RegExp(`^(?:${quoted})$`).test('x.+*?()|[]{}^$')).toBe(false);
    const literal = tokenize(selector('m', [anyOf('service', ['a.b', 'c\\d'])]).text).strings[0];
    expect(literal).toBe('a\\.b|c\\\\d');
  });
});

describe('building blocks', () => {
  it('renders durations, quantiles and functions', () => {
    expect(promDuration(3_600_000)).toBe('3600s');
    expect(promDuration(1500)).toBe('1500ms');
    expect(() => promDuration(0)).toThrow();
    expect(() => histogramQuantile(1.5, selector('m', []))).toThrow('not a quantile');
    expect(histogramQuantile(0.95, sumBy(['le'], rate(selector('m_bucket', []), 60_000))).text).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(m_bucket{}[60s])))',
    );
    expect(labelReplace(selector('m', []), 'dst', '${1}xx', 'code', '([1-5])..').text).toBe(
      'label_replace(m{}, "dst", "${1}xx", "code", "([1-5])..")',
    );
    expect(or(selector('a', []), selector('b', [])).text).toBe('(a{}) or (b{})');
  });
});

describe('golden-signal queries', () => {
  const gateway = { services: ['user-service'], extra: [equals('cluster', 'prod')] };
  const mesh = {
    matchers: [equals('destination_service_namespace', 'parallel-ai'), equals('destination_service_name', 'user-service')],
    extra: [],
  };

  it('asks Kong 3.x and 2.x names at once, each tagged', () => {
    expect(kongTrafficQuery(gateway, 3_600_000).text).toBe(
      '(label_replace(sum by (mg_status_class) (label_replace(rate(kong_http_requests_total{service="user-service", cluster="prod"}[3600s]), "mg_status_class", "${1}xx", "code", "([1-5]).."))' +
        ', "mg_kong_metrics", "3", "", "")) or ' +
        '(label_replace(sum by (mg_status_class) (label_replace(rate(kong_http_status{service="user-service", cluster="prod"}[3600s]), "mg_status_class", "${1}xx", "code", "([1-5]).."))' +
        ', "mg_kong_metrics", "2", "", ""))',
    );
    const latency = kongLatencyQuery(gateway, 60_000, [{ latency: 'kong', quantile: 0.95 }]).text;
    expect(latency).toContain('kong_kong_latency_ms_bucket{service="user-service", cluster="prod"}[60s]');
    expect(latency).toContain('kong_latency_bucket{service="user-service", cluster="prod", type="kong"}[60s]');
  });

  it('reads Istio at the destination only, with the seconds histogram as fallback', () => {
    const traffic = istioTrafficQuery(mesh, 300_000).text;
    expect(traffic).toBe(
      'sum by (mg_status_class, connection_security_policy) (label_replace(rate(istio_requests_total{reporter="destination", destination_service_namespace="parallel-ai", destination_service_name="user-service"}[300s]), "mg_status_class", "${1}xx", "response_code", "([1-5]).."))',
    );
    const latency = istioLatencyQuery(mesh, 300_000, [0.5]).text;
    expect(latency).toContain('histogram_quantile(0.5, sum by (le) (rate(istio_request_duration_milliseconds_bucket{reporter="destination"');
    expect(latency).toContain('(histogram_quantile(0.5, sum by (le) (rate(istio_request_duration_seconds_bucket{reporter="destination"');
    expect(latency).toContain(') * 1000');
  });
});
