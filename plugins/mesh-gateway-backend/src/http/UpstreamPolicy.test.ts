import { UpstreamError } from './UpstreamError';
import { AttemptContext, CALL_DEADLINE_FACTOR, UpstreamPolicy } from './UpstreamPolicy';

const fail = (kind: UpstreamError['kind'], status?: number, retryAfterMs?: number) =>
  new UpstreamError({ kind, instance: 'kong', message: `${kind} ${status ?? ''}`, status, retryAfterMs });

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('UpstreamPolicy', () => {
  it('retries unreachable and 503 answers, then succeeds', async () => {
    const policy = new UpstreamPolicy('kong', { concurrency: 2, retries: 2, retryBaseMs: 1, failureThreshold: 10, openMs: 1000 });
    const attempt = jest.fn()
      .mockRejectedValueOnce(fail('unreachable'))
      .mockRejectedValueOnce(fail('upstream-status', 503))
      .mockResolvedValueOnce('ok');
    await expect(policy.run(attempt, 5000)).resolves.toBe('ok');
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it.each([
    ['a timeout', fail('timeout')],
    ['a 404', fail('not-found', 404)],
    ['a 400', fail('upstream-status', 400)],
    ['a 401', fail('unauthorized', 401)],
  ])('does not retry %s', async (_name, error) => {
    const policy = new UpstreamPolicy('kong', { concurrency: 2, retries: 3, retryBaseMs: 1, failureThreshold: 10, openMs: 1000 });
    const attempt = jest.fn().mockRejectedValue(error);
    await expect(policy.run(attempt, 5000)).rejects.toBe(error);
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('stops retrying when the wait would pass the deadline (Retry-After beyond it)', async () => {
    const policy = new UpstreamPolicy('kong', { concurrency: 2, retries: 3, retryBaseMs: 1, failureThreshold: 10, openMs: 1000 });
    const attempt = jest.fn().mockRejectedValue(fail('upstream-status', 429, 60_000));
    await expect(policy.run(attempt, 2000)).rejects.toMatchObject({ status: 429 });
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('opens after consecutive failures, fails fast, then lets one probe through', async () => {
    const c = clock();
    const policy = new UpstreamPolicy('kong', { concurrency: 2, retries: 0, retryBaseMs: 1, failureThreshold: 3, openMs: 10_000 }, c.now);
    const failing = jest.fn().mockRejectedValue(fail('timeout'));
    for (let i = 0; i < 3; i++) await expect(policy.run(failing, 1000)).rejects.toMatchObject({ kind: 'timeout' });
    expect(policy.state).toBe('open');

    const notCalled = jest.fn();
    await expect(policy.run(notCalled, 1000)).rejects.toMatchObject({
      kind: 'circuit-open',
      message: expect.stringContaining('circuit open after 3 consecutive failures'),
    });
    expect(notCalled).not.toHaveBeenCalled();

    c.advance(10_000);
    expect(policy.state).toBe('half-open');
    // The probe fails: open again for another period.
    await expect(policy.run(failing, 1000)).rejects.toMatchObject({ kind: 'timeout' });
    expect(policy.state).toBe('open');
    c.advance(10_000);
    await expect(policy.run(async () => 'back', 1000)).resolves.toBe('back');
    expect(policy.state).toBe('closed');
  });

  it('counts a call that failed after its retries as one failure', async () => {
    const policy = new UpstreamPolicy('kong', { concurrency: 2, retries: 2, retryBaseMs: 1, failureThreshold: 2, openMs: 10_000 });
    const attempt = jest.fn().mockRejectedValue(fail('unreachable'));
    await expect(policy.run(attempt, 5000)).rejects.toMatchObject({ kind: 'unreachable' });
    expect(attempt).toHaveBeenCalledTimes(3);
    expect(policy.state).toBe('closed');
    await expect(policy.run(attempt, 5000)).rejects.toMatchObject({ kind: 'unreachable' });
    expect(policy.state).toBe('open');
  });

  it('does not count a 404 or 401 as the instance failing', async () => {
    const policy = new UpstreamPolicy('kong', { concurrency: 2, retries: 0, retryBaseMs: 1, failureThreshold: 1, openMs: 10_000 });
    await expect(policy.run(() => Promise.reject(fail('not-found', 404)), 1000)).rejects.toBeDefined();
    await expect(policy.run(() => Promise.reject(fail('unauthorized', 401)), 1000)).rejects.toBeDefined();
    expect(policy.state).toBe('closed');
  });

  it('keeps at most `concurrency` calls in flight', async () => {
    const policy = new UpstreamPolicy('kong', { concurrency: 2, retries: 0, retryBaseMs: 1, failureThreshold: 10, openMs: 1000 });
    let active = 0;
    let peak = 0;
    const attempt = async () => {
      active++;
      peak = Math.max(peak, active);
      await new Promise(resolve => setTimeout(resolve, 5));
      active--;
      return 1;
    };
    await Promise.all(Array.from({ length: 10 }, () => policy.run(attempt, 1000)));
    expect(peak).toBe(2);
  });

  describe('jitter', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    /** Runs a call whose first `failures` attempts fail; returns the waits between attempts. */
    async function waitsBetweenAttempts(policy: UpstreamPolicy, failures: number, error = fail('unreachable')) {
      const calledAt: number[] = [];
      const attempt = async () => {
        calledAt.push(Date.now());
        if (calledAt.length <= failures) throw error;
        return 'ok';
      };
      const result = policy.run(attempt, 60_000);
      await jest.runAllTimersAsync();
      await expect(result).resolves.toBe('ok');
      return calledAt.slice(1).map((t, i) => t - calledAt[i]);
    }

    it('waits a random share of base × 2^attempt before each retry (full jitter)', async () => {
      const draws = [0.5, 0.25, 0.999];
      const random = jest.fn(() => draws.shift()!);
      const policy = new UpstreamPolicy('kong', { concurrency: 2, retries: 3, retryBaseMs: 100, failureThreshold: 10, openMs: 1000 }, Date.now, random);
      // 0.5 × 100 × 1, 0.25 × 100 × 2, 0.999 × 100 × 4
      expect(await waitsBetweenAttempts(policy, 3)).toEqual([50, 50, 400]);
      expect(random).toHaveBeenCalledTimes(3);
    });

    it('spreads the waits of calls over the whole range, from no wait to the full exponential step', async () => {
      const waits: number[] = [];
      for (const draw of [0, 0.3, 0.7, 0.9999]) {
        const policy = new UpstreamPolicy('kong', { concurrency: 2, retries: 1, retryBaseMs: 200, failureThreshold: 10, openMs: 1000 }, Date.now, () => draw);
        waits.push(...(await waitsBetweenAttempts(policy, 1)));
      }
      expect(waits).toEqual([0, 60, 140, 200]);
    });

    it('waits what a 429 Retry-After asks instead of a jittered wait', async () => {
      const random = jest.fn(() => 0.5);
      const policy = new UpstreamPolicy('kong', { concurrency: 2, retries: 1, retryBaseMs: 100, failureThreshold: 10, openMs: 1000 }, Date.now, random);
      expect(await waitsBetweenAttempts(policy, 1, fail('upstream-status', 429, 1000))).toEqual([1000]);
      expect(random).not.toHaveBeenCalled();
    });
  });

  describe('the call deadline', () => {
    // Timeout 100 ms: the whole call, queue wait and retries included, ends by 150 ms.
    const TIMEOUT = 100;
    const BUDGET = TIMEOUT * CALL_DEADLINE_FACTOR;
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    /** Settles `promise` under fake timers; returns how it ended and when (ms after `start`). */
    async function outcome<T>(promise: Promise<T>, start: number) {
      let ended: { value?: T; error?: any; at: number } | undefined;
      promise.then(
        value => (ended = { value, at: Date.now() - start }),
        error => (ended = { error, at: Date.now() - start }),
      );
      for (let i = 0; i < 100 && !ended; i++) await jest.advanceTimersByTimeAsync(5);
      return ended!;
    }

    it('is at most twice the timeout', () => {
      expect(CALL_DEADLINE_FACTOR).toBeGreaterThanOrEqual(1);
      expect(CALL_DEADLINE_FACTOR).toBeLessThan(2);
    });

    it('fails a call that waited in a saturated queue, with retries left, by its deadline and says why', async () => {
      const policy = new UpstreamPolicy('kong', { concurrency: 1, retries: 3, retryBaseMs: 1, failureThreshold: 2, openMs: 10_000 });
      const start = Date.now();
      // Holds the only connection and never settles (it ignores its timeout).
      const blocker = policy.run(() => new Promise(() => {}), TIMEOUT);
      blocker.catch(() => {});
      const waiting = jest.fn();
      const ended = await outcome(policy.run(waiting, TIMEOUT), start);
      expect(waiting).not.toHaveBeenCalled();
      expect(ended.at).toBeLessThanOrEqual(BUDGET);
      expect(ended.error).toMatchObject({
        kind: 'timeout',
        message: `kong: not called: all 1 connections stayed busy for ${BUDGET} ms (the call's ${BUDGET} ms deadline), 0 more calls waiting`,
      });
      // The abandoned blocker failed (a timeout, one failure); waiting in line is not the instance failing.
      await expect(blocker).rejects.toMatchObject({ message: expect.stringContaining(`no answer within the call's ${BUDGET} ms deadline`) });
      expect(policy.state).toBe('closed');
    });

    it('gives queue wait, attempts and backoff one budget: later attempts get what is left', async () => {
      const policy = new UpstreamPolicy('kong', { concurrency: 1, retries: 3, retryBaseMs: 20, failureThreshold: 10, openMs: 10_000 }, Date.now, () => 0.5);
      const start = Date.now();
      // Holds the only connection for 60 ms.
      const blocker = policy.run(() => new Promise(resolve => setTimeout(() => resolve('done'), 60)), TIMEOUT);
      const contexts: AttemptContext[] = [];
      const attempt = (context: AttemptContext) => {
        contexts.push(context);
        return new Promise<never>((_, reject) =>
          contexts.length === 1
            ? // a connection refused after 20 ms: retried after a 10 ms wait
              setTimeout(() => reject(fail('unreachable')), 20)
            : // then a server that never answers: the attempt ends at its own timeout
              setTimeout(() => reject(fail('timeout')), context.timeoutMs),
        );
      };
      const ended = await outcome(policy.run(attempt, TIMEOUT), start);
      await expect(blocker).resolves.toBe('done');
      // 60 ms in line, 20 ms attempt, 10 ms wait: the second attempt has 60 ms left, not 100.
      expect(contexts).toEqual([{ timeoutMs: 90 }, { timeoutMs: 60 }]);
      expect(ended.error).toMatchObject({ kind: 'timeout' });
      expect(ended.at).toBeLessThanOrEqual(BUDGET);
    });

    it('abandons an attempt that ignores its timeout at the deadline, keeping its connection taken until it ends', async () => {
      const policy = new UpstreamPolicy('kong', { concurrency: 1, retries: 2, retryBaseMs: 1, failureThreshold: 10, openMs: 10_000 });
      const start = Date.now();
      let finish!: () => void;
      const ended = await outcome(policy.run(() => new Promise<void>(resolve => (finish = resolve)), TIMEOUT), start);
      expect(ended.at).toBe(BUDGET);
      expect(ended.error).toMatchObject({ kind: 'timeout', message: `kong: no answer within the call's ${BUDGET} ms deadline (1 attempt)` });
      // Still in flight: the next call waits for it.
      const next = jest.fn(async () => 'next');
      const nextCall = policy.run(next, TIMEOUT);
      await jest.advanceTimersByTimeAsync(10);
      expect(next).not.toHaveBeenCalled();
      finish();
      await expect(nextCall).resolves.toBe('next');
    });

    it('does not retry when too little of the budget would be left', async () => {
      const policy = new UpstreamPolicy('kong', { concurrency: 1, retries: 5, retryBaseMs: 1, failureThreshold: 10, openMs: 10_000 }, Date.now, () => 0);
      const start = Date.now();
      // Each attempt fails after 70 ms; after two only 10 ms of the 150 are left, under a quarter of the timeout.
      const attempt = jest.fn(() => new Promise<never>((_, reject) => setTimeout(() => reject(fail('unreachable')), 70)));
      const ended = await outcome(policy.run(attempt, TIMEOUT), start);
      expect(ended.error).toMatchObject({ kind: 'unreachable' });
      expect(attempt).toHaveBeenCalledTimes(2);
      // Two attempts of 70 ms (and a timer tick between them), within the budget.
      expect(ended.at).toBeGreaterThanOrEqual(140);
      expect(ended.at).toBeLessThanOrEqual(BUDGET);
    });
  });
});
