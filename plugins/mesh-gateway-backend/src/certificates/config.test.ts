import { ConfigReader } from '@backstage/config';
import { readCertificatesConfig } from './config';

const read = (certificates: unknown) =>
  readCertificatesConfig(
    new ConfigReader({ meshGateway: { certificates } } as any),
  );

describe('readCertificatesConfig', () => {
  it('defaults to the baseline thresholds and probes nothing', () => {
    expect(readCertificatesConfig(new ConfigReader({}))).toEqual({
      warningDays: 30,
      criticalDays: 7,
      probe: {
        allowedHosts: [],
        timeoutMs: 5000,
        cacheSeconds: 300,
        concurrency: 4,
        maxHostsPerEntity: 20,
        connectTo: [],
      },
    });
  });

  it('reads the probe settings of the sandbox', () => {
    const config = read({
      warningDays: 45,
      criticalDays: 10,
      probe: {
        allowedHosts: ['*.parallel-ai.example.com'],
        caBundleFile: '/tmp/mesh-sandbox/tls-ca.pem',
        connectTo: [
          {
            host: '*.parallel-ai.example.com',
            address: '127.0.0.1',
            port: 8443,
          },
        ],
      },
    });
    expect(config).toMatchObject({ warningDays: 45, criticalDays: 10 });
    expect(config.probe.connectTo).toEqual([
      { host: '*.parallel-ai.example.com', address: '127.0.0.1', port: 8443 },
    ]);
  });

  it.each([
    [
      { warningDays: 7, criticalDays: 7 },
      'meshGateway.certificates.criticalDays: criticalDays must be less than warningDays',
    ],
    [{ warningDays: -1 }, 'meshGateway.certificates.warningDays'],
    [
      { probe: { allowedHosts: ['http://x'] } },
      'meshGateway.certificates.probe.allowedHosts.0: must be host-pattern',
    ],
    [{ probe: { timeoutMs: 10 } }, 'meshGateway.certificates.probe.timeoutMs'],
    [
      {
        probe: { connectTo: [{ host: '*.x.com', address: 'not an address!' }] },
      },
      'meshGateway.certificates.probe.connectTo.0.address: must be a host name or an IP address',
    ],
    [
      {
        probe: {
          connectTo: [{ host: '*.x.com', address: '127.0.0.1', port: 0 }],
        },
      },
      'meshGateway.certificates.probe.connectTo.0.port',
    ],
  ])('refuses %j', (certificates, message) => {
    expect(() => read(certificates)).toThrow(`Invalid config at ${message}`);
  });
});
