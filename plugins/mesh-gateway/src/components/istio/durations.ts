/** An Istio duration (`30s`, `1.5s`, `500ms`, `1m`, `1h`) in milliseconds. */
export function durationMs(value: string | undefined): number | undefined {
  const match = value ? /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(value.trim()) : null;
  if (!match) {
    return undefined;
  }
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[
    match[2] as 'ms' | 's' | 'm' | 'h'
  ];
  return Number(match[1]) * unit;
}

/** Milliseconds the way Istio writes durations: `28s`, `1.5s`, `500ms`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${Number((ms / 1000).toFixed(3))}s`;
}

/**
 * How long a route may spend on tries: the first try plus `attempts` retries of at most
 * `perTryTimeout` each; undefined when the route does not say.
 */
export function retryBudgetMs(retries?: {
  attempts?: number;
  perTryTimeout?: string;
}): number | undefined {
  const perTry = durationMs(retries?.perTryTimeout);
  if (perTry === undefined || retries?.attempts === undefined) {
    return undefined;
  }
  return (retries.attempts + 1) * perTry;
}
