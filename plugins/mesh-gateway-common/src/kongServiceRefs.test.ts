import { parseKongServiceRefs, parseKongTags } from './kongServiceRefs';

describe('parseKongServiceRefs', () => {
  it.each([
    ['ai-agent-service', [{ service: 'ai-agent-service' }]],
    ['platform-ee/user-service', [{ instance: 'platform-ee', service: 'user-service' }]],
    [' a , default/b ,, ', [{ service: 'a' }, { instance: 'default', service: 'b' }]],
    ['svc_1.v2~x', [{ service: 'svc_1.v2~x' }]],
  ])('parses %j', (value, expected) => {
    expect(parseKongServiceRefs(value)).toEqual(expected);
  });

  it.each([
    ['', 'names no Kong service'],
    [' , ', 'names no Kong service'],
    ['a/b/c', 'more than one "/"'],
    ['Bad_Instance/svc', '"Bad_Instance" is not a valid instance name'],
    ['http://evil.example/x', 'more than one "/"'],
    ['evil.example:8001/svc', 'is not a valid instance name'],
    ['svc with space', 'is not a valid Kong service name'],
    ['../admin', 'is not a valid instance name'],
    [Array.from({ length: 51 }, (_, i) => `s${i}`).join(','), 'more than 50'],
  ])('rejects %j naming the problem', (value, message) => {
    expect(() => parseKongServiceRefs(value)).toThrow(message);
  });
});

describe('parseKongTags', () => {
  it('splits and trims', () => {
    expect(parseKongTags('team:ai, service:ai-agent')).toEqual(['team:ai', 'service:ai-agent']);
  });
  it.each(['', 'a/b', 'with space', 'x'.repeat(129)])('rejects %j', value => {
    expect(() => parseKongTags(value)).toThrow();
  });
});
