import { AllowedHost, bestSni, HostPattern, sniServes } from './hosts';

describe('HostPattern and AllowedHost', () => {
  it.each`
    pattern                | host                          | matches
    ${'api.example.com'}   | ${'api.example.com'}          | ${true}
    ${'api.example.com'}   | ${'API.example.com'}          | ${true}
    ${'*.example.com'}     | ${'api.example.com'}          | ${true}
    ${'*.example.com'}     | ${'a.b.example.com'}          | ${false}
    ${'*.example.com'}     | ${'example.com'}              | ${false}
    ${'**.example.com'}    | ${'a.b.example.com'}          | ${true}
    ${'api-*.example.com'} | ${'api-eu.example.com'}       | ${true}
    ${'api-*.example.com'} | ${'web-eu.example.com'}       | ${false}
    ${'*.example.com'}     | ${'api.example.com.evil.org'} | ${false}
    ${'**'}                | ${'anything.at.all'}          | ${true}
  `('$pattern matches $host: $matches', ({ pattern, host, matches }) => {
    expect(new HostPattern(pattern).matches(host)).toBe(matches);
  });

  it('allows port 443 only unless the entry names a port or *', () => {
    expect(
      new AllowedHost('*.example.com').allows({
        host: 'api.example.com',
        port: 443,
      }),
    ).toBe(true);
    expect(
      new AllowedHost('*.example.com').allows({
        host: 'api.example.com',
        port: 22,
      }),
    ).toBe(false);
    expect(
      new AllowedHost('*.example.com:8443').allows({
        host: 'api.example.com',
        port: 8443,
      }),
    ).toBe(true);
    expect(
      new AllowedHost('*.example.com:8443').allows({
        host: 'api.example.com',
        port: 443,
      }),
    ).toBe(false);
    expect(
      new AllowedHost('*.example.com:*').allows({
        host: 'api.example.com',
        port: 22,
      }),
    ).toBe(true);
  });

  it.each(['http://x', 'a..b', 'exa_mple.com', '', 'x.com:99999', '*.com:abc'])(
    'refuses the entry %s',
    entry => {
      expect(() => new AllowedHost(entry)).toThrow();
    },
  );
});

describe('Kong SNI matching', () => {
  it.each`
    sni                  | host                 | serves
    ${'api.example.com'} | ${'api.example.com'} | ${true}
    ${'*.example.com'}   | ${'api.example.com'} | ${true}
    ${'*.example.com'}   | ${'a.b.example.com'} | ${false}
    ${'*.example.com'}   | ${'example.com'}     | ${false}
    ${'example.*'}       | ${'example.org'}     | ${true}
    ${'example.*'}       | ${'example.co.uk'}   | ${false}
    ${'api.example.com'} | ${'www.example.com'} | ${false}
  `('$sni serves $host: $serves', ({ sni, host, serves }) => {
    expect(sniServes(sni, host)).toBe(serves);
  });

  it('prefers an exact SNI, then a prefix wildcard, then a suffix wildcard', () => {
    const snis = [
      { name: 'api.*' },
      { name: '*.example.com' },
      { name: 'api.example.com' },
    ];
    expect(bestSni(snis, 'api.example.com')?.name).toBe('api.example.com');
    expect(bestSni(snis.slice(0, 2), 'api.example.com')?.name).toBe(
      '*.example.com',
    );
    expect(bestSni(snis.slice(0, 1), 'api.example.com')).toBeUndefined();
    expect(bestSni(snis.slice(0, 1), 'api.com')?.name).toBe('api.*');
  });
});
