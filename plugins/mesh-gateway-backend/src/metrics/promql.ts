/**
 * A small PromQL builder. Queries are assembled from typed parts; a value from outside (an
 * annotation, a Kong service name) only ever enters a query as the content of a string literal,
 * escaped by {@link quotePromQLString}, so it cannot change the query's structure.
 */

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A PromQL expression. Only the functions of this module create one. */
export class PromQL {
  private constructor(readonly text: string) {}

  /** @internal Use the builder functions. */
  static raw(text: string): PromQL {
    return new PromQL(text);
  }

  toString(): string {
    return this.text;
  }
}

/**
 * Escapes a string for a PromQL double-quoted literal (Go's escapes: `\\`, `\"`, `\n`, ...),
 * other control characters as `\xHH`. Lone surrogates cannot be encoded and are refused.
 */
export function escapePromQLString(value: string): string {
  if (LONE_SURROGATE.test(value)) {
    throw new Error('label value is not well-formed Unicode');
  }
  let out = '';
  for (const char of value) {
    switch (char) {
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default: {
        const code = char.codePointAt(0)!;
        out +=
          code < 0x20 || code === 0x7f
            ? `\\x${code.toString(16).padStart(2, '0')}`
            : char;
      }
    }
  }
  return out;
}

/** `value` as a PromQL string literal, double-quoted and escaped. */
export function quotePromQLString(value: string): string {
  return `"${escapePromQLString(value)}"`;
}

/** Escapes RE2 metacharacters, so that a regex matcher matches `value` literally (Go's QuoteMeta). */
export function quoteRegexMeta(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

export type MatchOperator = '=' | '!=' | '=~' | '!~';

/** One label matcher of a selector. */
export interface LabelMatcher {
  name: string;
  op: MatchOperator;
  value: string;
}

function checkLabelName(name: string): string {
  if (!LABEL_NAME.test(name)) {
    throw new Error(`"${name.slice(0, 64)}" is not a Prometheus label name`);
  }
  return name;
}

/** `name="value"`. */
export function equals(name: string, value: string): LabelMatcher {
  return { name: checkLabelName(name), op: '=', value };
}

/** Matches any of `values` exactly: `name="a"` for one, `name=~"a|b"` (regex-quoted) for more. */
export function anyOf(name: string, values: readonly string[]): LabelMatcher {
  if (values.length === 0) {
    throw new Error(`no values to match ${name} against`);
  }
  const unique = [...new Set(values)];
  if (unique.length === 1) {
    return equals(name, unique[0]);
  }
  return {
    name: checkLabelName(name),
    op: '=~',
    value: unique.map(quoteRegexMeta).join('|'),
  };
}

/** `metric{matchers...}`. */
export function selector(metric: string, matchers: LabelMatcher[]): PromQL {
  if (!METRIC_NAME.test(metric)) {
    throw new Error(`"${metric.slice(0, 64)}" is not a Prometheus metric name`);
  }
  const rendered = matchers.map(
    m => `${checkLabelName(m.name)}${m.op}${quotePromQLString(m.value)}`,
  );
  return PromQL.raw(`${metric}{${rendered.join(', ')}}`);
}

/** A PromQL duration: whole seconds as `90s`, else milliseconds. */
export function promDuration(ms: number): string {
  if (!Number.isInteger(ms) || ms <= 0) {
    throw new Error(`${ms} is not a positive number of milliseconds`);
  }
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

function numberLiteral(value: number): string {
  if (!Number.isFinite(value)) {
    throw new Error(`${value} is not a finite number`);
  }
  return String(value);
}

/** `rate(selector[range])`. */
export function rate(series: PromQL, rangeMs: number): PromQL {
  return PromQL.raw(`rate(${series.text}[${promDuration(rangeMs)}])`);
}

/** `sum by (labels) (expr)`; `sum (expr)` without labels. */
export function sumBy(labels: string[], expr: PromQL): PromQL {
  const by = labels.length > 0 ? ` by (${labels.map(checkLabelName).join(', ')})` : '';
  return PromQL.raw(`sum${by} (${expr.text})`);
}

/** `histogram_quantile(q, expr)`. */
export function histogramQuantile(quantile: number, expr: PromQL): PromQL {
  if (!(quantile >= 0 && quantile <= 1)) {
    throw new Error(`${quantile} is not a quantile`);
  }
  return PromQL.raw(`histogram_quantile(${numberLiteral(quantile)}, ${expr.text})`);
}

/** `label_replace(expr, dst, replacement, src, regex)`; every string is quoted. */
export function labelReplace(
  expr: PromQL,
  destination: string,
  replacement: string,
  source: string,
  regex: string,
): PromQL {
  const args = [
    quotePromQLString(checkLabelName(destination)),
    quotePromQLString(replacement),
    quotePromQLString(source === '' ? '' : checkLabelName(source)),
    quotePromQLString(regex),
  ];
  return PromQL.raw(`label_replace(${expr.text}, ${args.join(', ')})`);
}

/** Adds the constant label `name="value"` to every series of `expr`. */
export function withLabel(expr: PromQL, name: string, value: string): PromQL {
  return labelReplace(expr, name, value, '', '');
}

/** `(a) or (b) or ...`: the union, left side first for series with equal labels. */
export function or(...exprs: PromQL[]): PromQL {
  if (exprs.length === 0) {
    throw new Error('nothing to combine');
  }
  if (exprs.length === 1) {
    return exprs[0];
  }
  return PromQL.raw(exprs.map(e => `(${e.text})`).join(' or '));
}

/** `(expr) * factor`. */
export function multiply(expr: PromQL, factor: number): PromQL {
  return PromQL.raw(`(${expr.text}) * ${numberLiteral(factor)}`);
}
