/** `1 route`, `2 routes`; `plural` for words that do not just take an "s". */
export function count(
  n: number,
  singular: string,
  plural = `${singular}s`,
): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** Kong timeouts are milliseconds: `30 s` when whole seconds, else `1500 ms`. */
export function formatMilliseconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
