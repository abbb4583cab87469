import type { MetricsWindow, MetricsWindowSource } from '@internal/plugin-mesh-gateway-common';

const MIN_WINDOW_MS = 60_000;
const MAX_WINDOW_MS = 7 * 24 * 3_600_000;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Steps of the series, so that a window has about {@link TARGET_POINTS} points on a round step. */
const STEPS_SECONDS = [15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600];
const TARGET_POINTS = 60;

/** Parses a window length such as `30m`, `2h` or `1d` (from `minMs`, default 1 minute, to 7 days). */
export function parseWindowLength(value: string, minMs = MIN_WINDOW_MS): number {
  const match = /^([1-9]\d{0,5})(m|h|d)$/.exec(value.trim());
  if (!match) {
    throw new Error(`"${value.slice(0, 32)}" is not a window length like 30m, 2h or 1d`);
  }
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (ms < minMs || ms > MAX_WINDOW_MS) {
    throw new Error(`"${value}" is outside ${minMs / 60_000}m to 7d`);
  }
  return ms;
}

/** The step of a window's series: the smallest round step giving at most about 60 points. */
export function stepFor(durationMs: number, scrapeIntervalSeconds: number): number {
  const wanted = durationMs / 1000 / TARGET_POINTS;
  const step = STEPS_SECONDS.find(s => s >= wanted) ?? STEPS_SECONDS[STEPS_SECONDS.length - 1];
  return Math.max(step, scrapeIntervalSeconds);
}

/**
 * The range of `rate()` at each step of a series: at least four scrapes, so that one missed
 * scrape leaves enough samples, and no less than a step plus a scrape, so that no sample falls
 * between two steps (the rule of Grafana's `$__rate_interval`).
 */
export function rateIntervalMs(stepSeconds: number, scrapeIntervalSeconds: number): number {
  return Math.max(stepSeconds + scrapeIntervalSeconds, 4 * scrapeIntervalSeconds) * 1000;
}

export interface ResolvedWindow extends MetricsWindow {
  startMs: number;
  endMs: number;
}

/** The window of `length` ending at `nowMs`, with the step of its series. */
export function metricsWindow(
  length: string,
  source: MetricsWindowSource,
  nowMs: number,
  scrapeIntervalSeconds: number,
): ResolvedWindow {
  const durationMs = parseWindowLength(length);
  const startMs = nowMs - durationMs;
  return {
    start: new Date(startMs).toISOString(),
    end: new Date(nowMs).toISOString(),
    durationMs,
    source,
    stepSeconds: stepFor(durationMs, scrapeIntervalSeconds),
    startMs,
    endMs: nowMs,
  };
}

/** `90 min`, `2 h`, `1 d`: for messages. */
export function windowText(durationMs: number): string {
  if (durationMs % 86_400_000 === 0) return `${durationMs / 86_400_000} d`;
  if (durationMs % 3_600_000 === 0) return `${durationMs / 3_600_000} h`;
  return `${Math.round(durationMs / 60_000)} min`;
}
