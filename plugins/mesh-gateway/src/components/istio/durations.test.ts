import { durationMs, formatDuration, retryBudgetMs } from './durations';

describe('durations', () => {
  it.each([
    ['30s', 30_000],
    ['1.5s', 1_500],
    ['500ms', 500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    [' 7s ', 7_000],
    ['7', undefined],
    ['soon', undefined],
    [undefined, undefined],
  ])('reads %p as %p ms', (value, expected) => {
    expect(durationMs(value)).toBe(expected);
  });

  it.each([
    [28_000, '28s'],
    [1_500, '1.5s'],
    [250, '250ms'],
  ])('writes %p ms as %p', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });

  it('counts the first try and every retry against the route', () => {
    expect(retryBudgetMs({ attempts: 3, perTryTimeout: '7s' })).toBe(28_000);
    expect(retryBudgetMs({ attempts: 0, perTryTimeout: '7s' })).toBe(7_000);
    expect(retryBudgetMs({ attempts: 3 })).toBeUndefined();
    expect(retryBudgetMs({ perTryTimeout: '7s' })).toBeUndefined();
    expect(retryBudgetMs(undefined)).toBeUndefined();
  });
});
