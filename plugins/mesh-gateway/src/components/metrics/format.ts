/** `99.950%` for availability (3 decimals), `0.42%` for shares. */
export function formatPercent(ratio: number | null | undefined, digits = 2): string {
  if (ratio === null || ratio === undefined) return '–';
  return `${(ratio * 100).toFixed(digits)}%`;
}

/** `4.2 ms`, `54 ms`, `1.25 s`. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '–';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** Requests per second with a sensible number of digits. */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '–';
  if (rate === 0) return '0';
  if (rate >= 100) return rate.toFixed(0);
  if (rate >= 1) return rate.toFixed(1);
  return String(Number(rate.toPrecision(2)));
}

/** `30 min`, `1 h`, `7 d`. */
export function formatWindow(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  return `${Math.round(ms / 60_000)} min`;
}

/** `14:05` in the viewer's time zone. */
export function formatClock(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}
