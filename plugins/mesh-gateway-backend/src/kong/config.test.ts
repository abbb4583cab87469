import { ConfigReader } from '@backstage/config';
import { readKongInstances } from './config';

const read = (instances: unknown) =>
  readKongInstances(new ConfigReader({ meshGateway: { kong: { instances } } } as any));

describe('readKongInstances', () => {
  it('applies the defaults', () => {
    expect(read([{ name: 'default', adminUrl: 'http://kong:8001' }])).toEqual([
      { name: 'default', adminUrl: 'http://kong:8001', authHeaderName: 'Kong-Admin-Token', timeoutMs: 5000, pageSize: 1000 },
    ]);
    expect(readKongInstances(new ConfigReader({}))).toEqual([]);
  });

  it.each([
    [[{ name: 'Bad_Name', adminUrl: 'http://kong:8001' }], 'meshGateway.kong.instances[0].name: must be a lowercase DNS label'],
    [[{ name: 'a', adminUrl: 'ftp://kong' }], 'meshGateway.kong.instances[0].adminUrl'],
    [[{ name: 'a', adminUrl: 'http://kong:8001', pageSize: 5000 }], 'meshGateway.kong.instances[0].pageSize'],
    [[{ name: 'a', adminUrl: 'http://x' }, { name: 'a', adminUrl: 'http://y' }], 'the name "a" is used twice'],
    [[{ name: 'a' }], 'Invalid config at meshGateway.kong.instances[0]'],
  ])('rejects %j naming the key', (instances, message) => {
    expect(() => read(instances)).toThrow(message);
  });
});
