import {
  AllowedHost,
  bestSni,
  HostPattern,
  isHostName,
  parseHostList,
  parseHostPort,
  sniServes,
} from './hosts';

describe('parseHostPort and parseHostList', () => {
  it('reads host and host:port, 443 by default, lowercased and without duplicates', () => {
    expect(
      parseHostList(
        ' API.parallel-ai.example.com, agents.parallel-ai.example.com:8443,api.parallel-ai.example.com:443 ',
      ),
    ).toEqual([
      { host: 'api.parallel-ai.example.com', port: 443 },
      { host: 'agents.parallel-ai.example.com', port: 8443 },
    ]);
  });

  it.each([
    ['http://api.example.com', 'is not host or host:port'],
    ['127.0.0.1', 'is not a DNS host name'],
    ['127.0.0.1:8443', 'is not a DNS host name'],
    ['[::1]:443', 'is not host or host:port'],
    ['0x7f000001', 'is not a DNS host name'],
    ['2130706433:80', 'is not a DNS host name'],
    ['api.example.com:0', 'port 0 is out of range'],
    ['api.example.com:70000', 'port 70000 is out of range'],
    ['*.example.com', 'is not a DNS host name'],
    ['user@api.example.com', 'is not a DNS host name'],
    ['api.example.com/path', 'is not a DNS host name'],
  ])('refuses %s', (value, reason) => {
    expect(() => parseHostPort(value)).toThrow(reason);
  });

  it('accepts single-label names only when they start with a letter', () => {
    expect(isHostName('localhost')).toBe(true);
    expect(isHostName('10')).toBe(false);
  });
});

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
