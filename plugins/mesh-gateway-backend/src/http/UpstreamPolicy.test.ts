import { UpstreamError } from './UpstreamError';
import { UpstreamPolicy } from './UpstreamPolicy';

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
});
