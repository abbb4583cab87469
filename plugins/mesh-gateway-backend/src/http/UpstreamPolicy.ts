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
 * The whole of one call (waiting for a connection slot, every attempt, every backoff) ends within
 * this many times the instance's timeout, so a page that waits on its sections in parallel answers
 * within twice the configured timeout.
 */
export const CALL_DEADLINE_FACTOR = 1.5;

/** A retry is only worth it when at least this share of the instance's timeout is left for it. */
const MIN_RETRY_SHARE = 0.25;

/** What one attempt of a call may use. */
export interface AttemptContext {
  /** How long this attempt may take: the instance's timeout, or less when the call's deadline is nearer. */
  timeoutMs: number;
}

/**
 * What every call to one upstream instance goes through: a concurrency limit, bounded retries
 * with jitter for idempotent reads, and a circuit breaker that opens after consecutive failures
 * and lets one probe through after a pause. Every call has one deadline
 * ({@link CALL_DEADLINE_FACTOR} × the instance's timeout) covering its wait in line, its attempts
 * and its backoffs.
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
   * Runs `attempt` under the policy. `timeoutMs` is the instance's timeout: each attempt gets at
   * most that (see {@link AttemptContext}), and the whole call, queue wait and retries included,
   * fails with a `timeout` error once {@link CALL_DEADLINE_FACTOR} × `timeoutMs` have passed,
   * even if an attempt ignores its own timeout.
   */
  async run<T>(attempt: (context: AttemptContext) => Promise<T>, timeoutMs: number): Promise<T> {
    const budgetMs = Math.round(timeoutMs * CALL_DEADLINE_FACTOR);
    const started = this.now();
    const deadline = started + budgetMs;
    let lastError: unknown;
    for (let tries = 0; ; tries++) {
      let probe: boolean;
      try {
        probe = this.admit();
      } catch (circuitOpen) {
        // A retry that finds the circuit opened meanwhile reports what actually went wrong.
        throw lastError ?? circuitOpen;
      }
      try {
        await this.acquire(deadline, started, budgetMs);
      } catch (queueTimeout) {
        if (lastError !== undefined) {
          // A retry that found no free connection: the call failed as its last attempt did.
          this.recordFailure(lastError, probe);
          throw lastError;
        }
        // Waiting in line says nothing of the instance's health: the breaker does not count it.
        if (probe) this.probing = false;
        throw queueTimeout;
      }
      let result: T;
      try {
        result = await this.attemptWithin(attempt, Math.min(timeoutMs, deadline - this.now()), deadline, budgetMs, tries);
      } catch (error) {
        lastError = error;
        const wait = this.backoff(tries, error);
        const leftAfterWait = deadline - (this.now() + wait);
        // A probe of a half-open circuit gets no retries: its outcome decides the state.
        if (probe || tries >= this.options.retries || !isRetryable(error) || leftAfterWait < timeoutMs * MIN_RETRY_SHARE) {
          // The breaker counts calls, not attempts: one failed call (after its retries) is one failure.
          this.recordFailure(error, probe);
          throw error;
        }
        await new Promise(resolve => setTimeout(resolve, wait));
        continue;
      }
      this.recordSuccess();
      return result;
    }
  }

  /** Returns whether this call is the probe of a half-open circuit; throws when the circuit is open. */
  private admit(): boolean {
    const state = this.state;
    if (state === 'closed') return false;
    if (state === 'half-open' && !this.probing) {
      this.probing = true;
      return true;
    }
    const retryIn = Math.max(0, this.options.openMs - (this.now() - this.openedAt!));
    throw new UpstreamError({
      kind: 'circuit-open',
      instance: this.instance,
      message: `${this.instance}: circuit open after ${this.failures} consecutive failures; not called, next probe in ${Math.ceil(retryIn / 1000)} s`,
    });
  }

  private recordFailure(error: unknown, probe: boolean) {
    if (probe) this.probing = false;
    if (!countsAsFailure(error)) return;
    this.failures++;
    if (probe || this.failures >= this.options.failureThreshold) {
      this.openedAt = this.now();
    }
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

  /** Takes a connection slot, waiting in line at most until the call's deadline. */
  private acquire(deadline: number, started: number, budgetMs: number): Promise<void> {
    if (this.active < this.options.concurrency) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined = undefined;
      // A released slot passes straight to the next in line, so `active` never overshoots.
      const handOver = () => {
        clearTimeout(timer);
        resolve();
      };
      timer = setTimeout(() => {
        const index = this.queue.indexOf(handOver);
        if (index >= 0) this.queue.splice(index, 1);
        reject(
          new UpstreamError({
            kind: 'timeout',
            instance: this.instance,
            message: `${this.instance}: not called: all ${this.options.concurrency} connections stayed busy for ${this.now() - started} ms (the call's ${budgetMs} ms deadline), ${this.queue.length} more calls waiting`,
          }),
        );
      }, Math.max(0, deadline - this.now()));
      this.queue.push(handOver);
    });
  }

  private release() {
    const next = this.queue.shift();
    if (next) next();
    else this.active--;
  }

  /**
   * One attempt, abandoned at the call's deadline if it has not settled by then (an attempt that
   * honours its `timeoutMs` ends first, with its own message). The slot stays taken until the
   * attempt really settles, so an abandoned attempt still counts against the concurrency limit.
   * Releases the slot taken by {@link acquire}.
   */
  private attemptWithin<T>(
    attempt: (context: AttemptContext) => Promise<T>,
    timeoutMs: number,
    deadline: number,
    budgetMs: number,
    tries: number,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new UpstreamError({
            kind: 'timeout',
            instance: this.instance,
            message: `${this.instance}: no answer within the call's ${budgetMs} ms deadline (${tries + 1} attempt${tries === 0 ? '' : 's'})`,
          }),
        );
      }, Math.max(0, deadline - this.now()));
      Promise.resolve()
        .then(() => attempt({ timeoutMs: Math.max(1, timeoutMs) }))
        .then(resolve, reject)
        .finally(() => {
          clearTimeout(timer);
          this.release();
        });
    });
  }
}
