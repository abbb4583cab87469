import { isHostName, parseHostList, parseHostPort } from './annotationValues';

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
