import { UpstreamError } from './UpstreamError';

export interface UpstreamPolicyOptions {
  /** Requests in flight to the instance at once; more wait in line. */
  concurrency: number;
  /** Extra attempts for a failed idempotent request (0 = none). */
  retries: number;
  /** Base of the exponential backoff; each wait is a random share of base × 2^attempt (full jitter). */
  retryBaseMs: number;
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit fails fast before one probe is let through. */
  openMs: number;
}

export const DEFAULT_UPSTREAM_POLICY: UpstreamPolicyOptions = {
  concurrency: 32,
  retries: 2,
  retryBaseMs: 100,
  failureThreshold: 5,
  openMs: 30_000,
};

export type CircuitState = 'closed' | 'open' | 'half-open';

/** Kinds of failure worth another try: the request may succeed on a fresh connection or later. */
function isRetryable(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return false;
  if (error.kind === 'unreachable') return true;
  return error.kind === 'upstream-status' && [429, 502, 503, 504].includes(error.status ?? 0);
}

/** Failures that say the instance is unwell (a 404 or 401 says nothing about its health). */
function countsAsFailure(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return false;
  return (
    error.kind === 'timeout' ||
    error.kind === 'unreachable' ||
    error.kind === 'bad-response' ||
    (error.kind === 'upstream-status' && (error.status ?? 500) >= 500)
  );
}

/**
 * What every call to one upstream instance goes through: a concurrency limit, bounded retries
 * with jitter for idempotent reads (only while the caller's deadline leaves room), and a circuit
 * breaker that opens after consecutive failures and lets one probe through after a pause.
 */
export class UpstreamPolicy {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  private failures = 0;
  private openedAt?: number;
  private probing = false;

  constructor(
    readonly instance: string,
    private readonly options: UpstreamPolicyOptions = DEFAULT_UPSTREAM_POLICY,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.options.openMs ? 'half-open' : 'open';
  }

  /**
   * Runs `attempt` under the policy. `deadlineMs` bounds the whole call including retries and
   * waits, so a caller's budget (e.g. one timeout) is never exceeded by backoff.
   */
  async run<T>(attempt: () => Promise<T>, deadlineMs: number): Promise<T> {
    const deadline = this.now() + deadlineMs;
    let lastError: unknown;
    for (let tries = 0; ; tries++) {
      try {
        this.admit();
      } catch (circuitOpen) {
        // A retry that finds the circuit opened meanwhile reports what actually went wrong.
        throw lastError ?? circuitOpen;
      }
      let result: T;
      try {
        result = await this.limited(attempt);
      } catch (error) {
        lastError = error;
        const wait = this.backoff(tries, error);
        // A probe of a half-open circuit gets no retries: its outcome decides the state.
        if (this.probing || tries >= this.options.retries || !isRetryable(error) || this.now() + wait >= deadline) {
          // The breaker counts calls, not attempts: one failed call (after its retries) is one failure.
          this.recordFailure(error);
          throw error;
        }
        await new Promise(resolve => setTimeout(resolve, wait));
        continue;
      }
      this.recordSuccess();
      return result;
    }
  }

  private admit() {
    const state = this.state;
    if (state === 'closed') return;
    if (state === 'half-open' && !this.probing) {
      this.probing = true;
      return;
    }
    const retryIn = Math.max(0, this.options.openMs - (this.now() - this.openedAt!));
    throw new UpstreamError({
      kind: 'circuit-open',
      instance: this.instance,
      message: `${this.instance}: circuit open after ${this.failures} consecutive failures; not called, next probe in ${Math.ceil(retryIn / 1000)} s`,
    });
  }

  private recordFailure(error: unknown) {
    if (!countsAsFailure(error)) {
      this.probing = false;
      return;
    }
    this.failures++;
    if (this.probing || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.now();
    }
    this.probing = false;
  }

  private recordSuccess() {
    this.failures = 0;
    this.openedAt = undefined;
    this.probing = false;
  }

  private backoff(tries: number, error: unknown): number {
    const retryAfter = error instanceof UpstreamError ? error.retryAfterMs : undefined;
    if (retryAfter !== undefined) return retryAfter;
    return Math.round(this.random() * this.options.retryBaseMs * 2 ** tries);
  }

  private async limited<T>(attempt: () => Promise<T>): Promise<T> {
    if (this.active >= this.options.concurrency) {
      await new Promise<void>(resolve => this.queue.push(resolve));
    }
    this.active++;
    try {
      return await attempt();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}
