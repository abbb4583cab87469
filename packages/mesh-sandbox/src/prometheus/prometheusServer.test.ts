import fs from 'node:fs';
import { createServer } from 'node:net';
import { PortInUseError } from '../listen';
import { ADR_METRICS_SCENARIOS, generateMeshMetrics, MeshMetricsGenerator } from './meshMetrics';
import {
  PROMETHEUS_SANDBOX_DEFAULTS,
  PrometheusNotInstalledError,
  startPrometheusSandbox,
} from './prometheusServer';

const installed =
  fs.existsSync(PROMETHEUS_SANDBOX_DEFAULTS.prometheusBinary) && fs.existsSync(PROMETHEUS_SANDBOX_DEFAULTS.promtoolBinary);
if (!installed && !process.env.CI) {
  // eslint-disable-next-line no-console
  console.warn('\n*** SKIPPED: the Prometheus sandbox tests need prometheus and promtool: "apt-get install prometheus". In CI this is a failure. ***\n');
}
const describeWithPrometheus = installed || process.env.CI ? describe : describe.skip;

describe('startPrometheusSandbox without Prometheus', () => {
  it('says how to install Prometheus when the binary is missing', async () => {
    const error = await startPrometheusSandbox({ prometheusBinary: '/nonexistent/prometheus', port: 0 }).catch(e => e);
    expect(error).toBeInstanceOf(PrometheusNotInstalledError);
    expect(error.message).toBe(
      '/nonexistent/prometheus is missing: install Prometheus with "apt-get install prometheus" (Debian/Ubuntu), or pass its path',
    );
  });
});

describeWithPrometheus('startPrometheusSandbox', () => {
  it('refuses a port that is taken, naming how to change it', async () => {
    const taken = createServer();
    await new Promise<void>(resolve => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as { port: number };
    try {
      const error = await startPrometheusSandbox({
        port,
        dataset: generateMeshMetrics({ endMs: Math.floor(Date.now() / 60_000) * 60_000, durationMs: 60_000 }),
        portSetting: '--prometheus-port',
      }).catch(e => e);
      expect(error).toBeInstanceOf(PortInUseError);
      expect(error.message).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(error.message).toContain('--prometheus-port');
    } finally {
      await new Promise(resolve => taken.close(resolve));
    }
  });

  it('serves the backfilled series at "now" and stops cleanly', async () => {
    const endMs = Math.floor(Date.now() / 60_000) * 60_000;
    const dataset = generateMeshMetrics({ endMs, durationMs: 10 * 60_000, kongRestartMinutesBeforeEnd: null });
    const prometheus = await startPrometheusSandbox({ dataset, port: 0 });
    try {
      expect(prometheus.url).toBe(`http://127.0.0.1:${prometheus.port}`);
      // Evaluated now (no time parameter): the last samples are at most a minute old.
      const query = new URLSearchParams({ query: 'count by (__name__) ({__name__=~"kong_http_requests_total|istio_requests_total"})' });
      const body = await (await fetch(`${prometheus.url}/api/v1/query?${query}`)).json();
      expect(body.status).toBe('success');
      const names = body.data.result.map((r: { metric: { __name__: string } }) => r.metric.__name__).sort();
      expect(names).toEqual(['istio_requests_total', 'kong_http_requests_total']);

      const raw = new URLSearchParams({ query: 'kong_http_requests_total{service="user-service", code="200", instance="10.42.0.11:8100"}', time: String(endMs / 1000) });
      const sample = (await (await fetch(`${prometheus.url}/api/v1/query?${raw}`)).json()).data.result[0];
      const expected = dataset.series.find(
        s => s.name === 'kong_http_requests_total' && s.labels.service === 'user-service' && s.labels.code === '200' && s.labels.instance === '10.42.0.11:8100',
      )!;
      expect(Number(sample.value[1])).toBe(expected.values[expected.values.length - 1]);
    } finally {
      await prometheus.close();
    }
    expect(fs.existsSync(prometheus.dataDir)).toBe(false);
    await expect(fetch(`${prometheus.url}/-/ready`)).rejects.toThrow();
  });

  it('continues a generator\'s series by scraping it, without a reset between history and live data', async () => {
    const endMs = Math.floor(Date.now() / 1000) * 1000 - 2000;
    const generator = new MeshMetricsGenerator({
      endMs,
      durationMs: 5 * 60_000,
      intervalMs: 1000,
      scenarios: ADR_METRICS_SCENARIOS.slice(2),
      kongRestartMinutesBeforeEnd: null,
    });
    const prometheus = await startPrometheusSandbox({ generator, port: 0 });
    const query = async (promql: string) =>
      (await (await fetch(`${prometheus.url}/api/v1/query?${new URLSearchParams({ query: promql })}`)).json()).data.result;
    try {
      // Prometheus hands new targets to its scrapers about 5 s after start; the test's timeout bounds the wait.
      while ((await query('up{job="mesh-sandbox"} == 1')).length === 0) {
        await new Promise(resolve => setTimeout(resolve, 200));
      }
      const selector = 'kong_http_requests_total{service="user-service", code="200", instance="10.42.0.11:8100"}';
      const history = generator.dataset.series.find(
        s => s.name === 'kong_http_requests_total' && s.labels.service === 'user-service' && s.labels.code === '200' && s.labels.instance === '10.42.0.11:8100',
      )!;
      const [live] = await query(selector);
      // Only a live sample with the series' own labels (honor_labels) can be above the history's last value.
      expect(Number(live.value[1])).toBeGreaterThan(history.values[history.values.length - 1]);
      const [resets] = await query(`resets(${selector}[10m])`);
      expect(resets.value[1]).toBe('0');
    } finally {
      await prometheus.close();
    }
  }, 30_000);
});
