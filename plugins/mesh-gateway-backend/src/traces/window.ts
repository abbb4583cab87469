import type {
  TracingWindow,
  TracingWindowSource,
} from '@internal/plugin-mesh-gateway-common';

export const DEFAULT_WINDOW = '1h';
const MIN_WINDOW_MS = 60_000;
const MAX_WINDOW_MS = 7 * 24 * 3_600_000;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses a window length such as `30m`, `2h` or `1d` (1 minute to 7 days) into milliseconds. */
export function parseWindowLength(value: string): number {
  const match = /^([1-9]\d{0,5})(m|h|d)$/.exec(value.trim());
  if (!match) {
    throw new Error(
      `"${value.slice(0, 32)}" is not a window length like 30m, 2h or 1d`,
    );
  }
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (ms < MIN_WINDOW_MS || ms > MAX_WINDOW_MS) {
    throw new Error(`"${value}" is outside 1m to 7d`);
  }
  return ms;
}

/** The window ending at `nowMs`. */
export function tracingWindow(
  length: string,
  source: TracingWindowSource,
  nowMs: number,
): TracingWindow & { startMs: number; endMs: number } {
  const durationMs = parseWindowLength(length);
  const startMs = nowMs - durationMs;
  return {
    start: new Date(startMs).toISOString(),
    end: new Date(nowMs).toISOString(),
    durationMs,
    source,
    startMs,
    endMs: nowMs,
  };
}
