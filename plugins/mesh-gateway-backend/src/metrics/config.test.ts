import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { readPrometheusConfig } from './config';
import { metricsWindow, parseWindowLength, rateIntervalMs, stepFor } from './window';

const read = (prometheus: JsonObject) => readPrometheusConfig(new ConfigReader({ meshGateway: { prometheus } }));

describe('readPrometheusConfig', () => {
  it('reads instances with defaults', () => {
    expect(
      read({
        instances: [
          { name: 'main', url: 'http://prometheus.monitoring:9090' },
          { name: 'edge', url: 'https://thanos.example.com/prom', authToken: 'Bearer x', timeoutMs: 5000, scrapeIntervalSeconds: 30, labels: { cluster: 'prod' } },
        ],
      }),
    ).toEqual({
      instances: [
        { name: 'main', url: 'http://prometheus.monitoring:9090', authHeaderName: 'Authorization', timeoutMs: 10_000, scrapeIntervalSeconds: 15, labels: {} },
        {
          name: 'edge',
          url: 'https://thanos.example.com/prom',
          authHeaderName: 'Authorization',
          authToken: 'Bearer x',
          timeoutMs: 5000,
          scrapeIntervalSeconds: 30,
          labels: { cluster: 'prod' },
        },
      ],
      options: { defaultWindow: '1h', shortWindow: '5m', fastBurnRate: 2 },
    });
    expect(readPrometheusConfig(new ConfigReader({}))).toEqual({
      instances: [],
      options: { defaultWindow: '1h', shortWindow: '5m', fastBurnRate: 2 },
    });
  });

  it.each([
    [{ instances: [{ name: 'Main', url: 'http://p:9090' }] }, 'meshGateway.prometheus.instances[0].name: must be a lowercase DNS label'],
    [{ instances: [{ name: 'main', url: 'file:///etc/passwd' }] }, 'meshGateway.prometheus.instances[0].url: must be http or https'],
    [{ instances: [{ name: 'main', url: 'http://p', labels: { 'bad-name': 'x' } }] }, 'meshGateway.prometheus.instances[0].labels.bad-name'],
    [{ instances: [{ name: 'main', url: 'http://p', timeoutMs: 5 }] }, 'meshGateway.prometheus.instances[0].timeoutMs'],
    [{ instances: [{ name: 'main', url: 'http://a' }, { name: 'main', url: 'http://b' }] }, 'meshGateway.prometheus.instances: the name "main" is used twice'],
    [{ instances: [{ url: 'http://a' }] }, 'meshGateway.prometheus.instances[0]'],
    [{ defaultWindow: '8d' }, 'meshGateway.prometheus.defaultWindow: "8d" is outside 1m to 7d'],
    [{ shortWindow: 'soon' }, 'meshGateway.prometheus.shortWindow'],
    [{ fastBurnRate: 0.5 }, 'meshGateway.prometheus.fastBurnRate'],
  ])('refuses %j', (prometheus, message) => {
    expect(() => read(prometheus)).toThrow(`Invalid config at ${message}`);
  });
});

describe('windows', () => {
  it('parses window lengths from 1 minute to 7 days', () => {
    expect(parseWindowLength('30m')).toBe(1_800_000);
    expect(parseWindowLength('2h')).toBe(7_200_000);
    expect(parseWindowLength('7d')).toBe(604_800_000);
    expect(parseWindowLength('1m')).toBe(60_000);
    expect(() => parseWindowLength('0m')).toThrow('is not a window length');
    expect(() => parseWindowLength('8d')).toThrow('outside');
    expect(() => parseWindowLength('1h30m')).toThrow('is not a window length');
  });

  it('picks a round step for about 60 points, and a rate interval of at least four scrapes', () => {
    expect(stepFor(3_600_000, 15)).toBe(60);
    expect(stepFor(1_800_000, 15)).toBe(30);
    expect(stepFor(600_000, 30)).toBe(30);
    expect(stepFor(86_400_000, 15)).toBe(1800);
    expect(stepFor(604_800_000, 15)).toBe(10_800);
    expect(rateIntervalMs(60, 15)).toBe(75_000);
    expect(rateIntervalMs(15, 30)).toBe(120_000);
    const window = metricsWindow('1h', 'annotation', Date.UTC(2026, 0, 1, 12), 15);
    expect(window).toEqual({
      start: '2026-01-01T11:00:00.000Z',
      end: '2026-01-01T12:00:00.000Z',
      durationMs: 3_600_000,
      source: 'annotation',
      stepSeconds: 60,
      startMs: Date.UTC(2026, 0, 1, 11),
      endMs: Date.UTC(2026, 0, 1, 12),
    });
  });
});
