import fs from 'node:fs';
import path from 'node:path';

/** One benchmark measurement: what, the number, its unit, the goal and whether it was met. */
export interface BenchRow {
  benchmark: string;
  value: number;
  unit: string;
  goal?: string;
  met?: boolean;
  note?: string;
}

export const RESULTS_DIR = path.resolve(__dirname, '../../../../bench-results');

/** Appends rows to bench-results/results.json (git-ignored) and prints them as a table. */
export function recordBench(rows: BenchRow[]): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, 'results.json');
  const existing: BenchRow[] = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : [];
  const merged = [...existing.filter(e => !rows.some(r => r.benchmark === e.benchmark)), ...rows];
  fs.writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
  process.stdout.write(`\n${formatTable(rows)}\n`);
}

function metLabel(met?: boolean): string {
  if (met === undefined) return '';
  return met ? 'met' : 'NOT met';
}

export function formatTable(rows: BenchRow[]): string {
  const lines = rows.map(r => [
    r.benchmark,
    `${Number.isInteger(r.value) ? r.value : r.value.toFixed(2)} ${r.unit}`,
    r.goal ?? '',
    metLabel(r.met),
    r.note ?? '',
  ]);
  const header = ['benchmark', 'result', 'goal', '', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map(l => l[i].length)));
  const fmt = (cols: string[]) => `| ${cols.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [fmt(header), `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`, ...lines.map(fmt)].join('\n');
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}
