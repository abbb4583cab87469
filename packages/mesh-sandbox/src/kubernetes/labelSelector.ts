type Requirement = (labels: Record<string, string>) => boolean;

/**
 * Parses a Kubernetes label selector: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`,
 * `k` (exists) and `!k` (does not exist), comma separated. Throws on anything else, as the API
 * server answers 400.
 */
export function parseLabelSelector(selector: string): Requirement[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts
    .map(p => p.trim())
    .filter(Boolean)
    .map(part => {
      let m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(part);
      if (m) {
        const [, key, op, value] = m;
        return op === '!=' ? l => l[key] !== value : l => l[key] === value;
      }
      m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
      if (m) {
        const [, key, op, list] = m;
        const values = list.split(',').map(v => v.trim());
        return op === 'in' ? l => values.includes(l[key]) : l => !values.includes(l[key]);
      }
      m = /^(!?)([\w./-]+)$/.exec(part);
      if (m) {
        const [, not, key] = m;
        return not ? l => !(key in l) : l => key in l;
      }
      throw new Error(`unable to parse requirement: ${part}`);
    });
}

export function matchesSelector(requirements: Requirement[], labels: Record<string, string> = {}): boolean {
  return requirements.every(r => r(labels));
}
