import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MeshMetricsDataset } from './meshMetrics';
import { openMetricsChunks, writeOpenMetrics } from './openMetrics';

const dataset: MeshMetricsDataset = {
  startMs: 1_700_000_000_000,
  endMs: 1_700_000_030_000,
  intervalMs: 15_000,
  scenarios: [],
  families: [
    { name: 'kong_http_requests', type: 'counter', help: 'HTTP status codes\nper service' },
    { name: 'kong_kong_latency_ms', type: 'histogram', help: 'Latency added by Kong' },
  ],
  series: [
    {
      family: 'kong_http_requests',
      name: 'kong_http_requests_total',
      labels: { service: 'a"b\\c', code: '200' },
      offsetMs: 2000,
      values: Float64Array.from([NaN, 3, 7]),
    },
    {
      family: 'kong_kong_latency_ms',
      name: 'kong_kong_latency_ms_bucket',
      labels: { service: 'a', le: '+Inf' },
      offsetMs: 0,
      values: Float64Array.from([1, 2, 0.30000000000000004]),
    },
  ],
};

describe('OpenMetrics output', () => {
  it('writes families with TYPE and HELP, escaped labels, timestamps in seconds, and # EOF', () => {
    expect([...openMetricsChunks(dataset)].join('')).toBe(
      [
        '# TYPE kong_http_requests counter',
        '# HELP kong_http_requests HTTP status codes\\nper service',
        'kong_http_requests_total{service="a\\"b\\\\c",code="200"} 3 1700000013',
        'kong_http_requests_total{service="a\\"b\\\\c",code="200"} 7 1700000028',
        '# TYPE kong_kong_latency_ms histogram',
        '# HELP kong_kong_latency_ms Latency added by Kong',
        'kong_kong_latency_ms_bucket{service="a",le="+Inf"} 1 1700000000',
        'kong_kong_latency_ms_bucket{service="a",le="+Inf"} 2 1700000015',
        'kong_kong_latency_ms_bucket{service="a",le="+Inf"} 0.30000000000000004 1700000030',
        '# EOF',
        '',
      ].join('\n'),
    );
  });

  it('writes the same text to a file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openmetrics-test-'));
    try {
      const file = path.join(dir, 'series.om');
      await writeOpenMetrics(dataset, file);
      expect(fs.readFileSync(file, 'utf8')).toBe([...openMetricsChunks(dataset)].join(''));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
