/** `840 µs`, `8.23 ms`, `82.4 ms`, `1.25 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)} µs`;
  if (ms < 10) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Number(ms.toFixed(1))} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** `0.05%` below one percent, `92.3%` above. */
export function formatPercent(ratio: number): string {
  const percent = ratio * 100;
  return `${percent.toFixed(percent < 1 ? 2 : 1)}%`;
}

/** `30 min`, `1 h`, `2 d`. */
export function formatWindow(durationMs: number): string {
  if (durationMs % 86_400_000 === 0) return `${durationMs / 86_400_000} d`;
  if (durationMs % 3_600_000 === 0) return `${durationMs / 3_600_000} h`;
  return `${Math.round(durationMs / 60_000)} min`;
}

/** The URL when it is a web address; anything else (`javascript:`...) never becomes a link. */
export function webHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return /^https?:$/.test(new URL(url).protocol) ? url : undefined;
  } catch {
    return undefined;
  }
}
