import { ConfigReader } from '@backstage/config';
import { readUpstreamPolicyOptions } from './policyConfig';
import { DEFAULT_UPSTREAM_POLICY } from './UpstreamPolicy';

const read = (upstreams?: unknown) =>
  readUpstreamPolicyOptions(new ConfigReader(upstreams === undefined ? {} : { meshGateway: { upstreams } }));

describe('readUpstreamPolicyOptions', () => {
  it('gives the defaults when meshGateway.upstreams is absent or empty', () => {
    expect(read()).toEqual(DEFAULT_UPSTREAM_POLICY);
    expect(read({})).toEqual(DEFAULT_UPSTREAM_POLICY);
    expect(DEFAULT_UPSTREAM_POLICY).toEqual({ concurrency: 32, retries: 2, retryBaseMs: 100, failureThreshold: 5, openMs: 30_000 });
  });

  it('reads every key, openSeconds as milliseconds', () => {
    expect(read({ concurrency: 4, retries: 0, retryBaseMs: 250, failureThreshold: 3, openSeconds: 1.5 })).toEqual({
      concurrency: 4,
      retries: 0,
      retryBaseMs: 250,
      failureThreshold: 3,
      openMs: 1500,
    });
  });

  it('fills the keys not given from the defaults', () => {
    expect(read({ retries: 5 })).toEqual({ ...DEFAULT_UPSTREAM_POLICY, retries: 5 });
  });

  it.each([
    [{ concurrency: 0 }, 'concurrency', />=1/],
    [{ concurrency: 257 }, 'concurrency', /<=256/],
    [{ concurrency: 2.5 }, 'concurrency', /expected int/],
    [{ retries: -1 }, 'retries', />=0/],
    [{ retries: 6 }, 'retries', /<=5/],
    [{ retryBaseMs: 0 }, 'retryBaseMs', />=1/],
    [{ retryBaseMs: 10_001 }, 'retryBaseMs', /<=10000/],
    [{ failureThreshold: 0 }, 'failureThreshold', />=1/],
    [{ failureThreshold: 1001 }, 'failureThreshold', /<=1000/],
    [{ openSeconds: 0.5 }, 'openSeconds', />=1/],
    [{ openSeconds: 3601 }, 'openSeconds', /<=3600/],
    [{ retries: 'two' }, 'retries', /expected number, received string/],
  ])('refuses %j, naming meshGateway.upstreams.%s', (upstreams, key, reason) => {
    expect(() => read(upstreams)).toThrow(`Invalid config at meshGateway.upstreams.${key}: `);
    expect(() => read(upstreams)).toThrow(reason);
  });

  it('refuses a value that is not an object', () => {
    expect(() => read('fast')).toThrow(/^Invalid config at meshGateway\.upstreams: .*expected object, received string$/);
  });
});
