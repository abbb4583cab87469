import { ServiceSpec } from '@internal/plugin-mesh-gateway-common';
import {
  PodMonitor,
  PrometheusRule,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { objectMeta, sloAvailability } from './common';
import { jsonFile, yamlFile } from './serialize';
import { GeneratedFile } from './types';

/**
 * Multi-window, multi-burn-rate alerts (Google SRE workbook, "Alerting on SLOs"): each alert
 * fires when both its long and its short window burn the error budget at least this fast.
 */
const BURN_RATE_ALERTS = [
  { severity: 'critical', long: '1h', short: '5m', burnRate: 14.4, for: '2m' },
  { severity: 'critical', long: '6h', short: '30m', burnRate: 6, for: '15m' },
  { severity: 'warning', long: '1d', short: '2h', burnRate: 3, for: '1h' },
  { severity: 'warning', long: '3d', short: '6h', burnRate: 1, for: '3h' },
] as const;

const WINDOWS = [...new Set(BURN_RATE_ALERTS.flatMap(a => [a.short, a.long]))];

/** Selects the service's requests as its own sidecars report them. */
function istioSelector(spec: ServiceSpec): string {
  return `reporter="destination",destination_service="${spec.clusterHost}"`;
}

/** Selects the service's requests in Kong's metrics (decK names the service; KIC derives it). */
function kongSelector(spec: ServiceSpec): string {
  return spec.kong.mode === 'deck'
    ? `service="${spec.name}"`
    : `service=~"${spec.namespace}\\\\.${spec.name}\\\\..*"`;
}

/** The recorded series of the 5xx ratio over one window. */
export function errorRatioRecord(window: string): string {
  return `mesh_gateway:istio_requests_5xx:ratio_rate${window}`;
}

function alertPrefix(spec: ServiceSpec): string {
  return spec.name
    .split('-')
    .map(part => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** Scrapes the Istio standard metrics the service's sidecars expose. */
export function podMonitor(spec: ServiceSpec) {
  return new PodMonitor({
    metadata: objectMeta(spec, `${spec.name}-istio-proxy`),
    spec: {
      selector: { matchLabels: { app: spec.name } },
      namespaceSelector: { matchNames: [spec.namespace] },
      podMetricsEndpoints: [
        {
          port: 'http-envoy-prom',
          path: '/stats/prometheus',
          interval: `${spec.observability.scrapeIntervalSeconds}s`,
        },
      ],
    },
  }).toJSON();
}

/** SLO alerts: availability by burn rate, P95 latency end to end and at the gateway. */
export function prometheusRule(spec: ServiceSpec) {
  const budget = Number((1 - sloAvailability(spec)).toPrecision(6));
  const labels = { service: spec.name, namespace: spec.namespace };
  const prefix = alertPrefix(spec);
  const availability = `${Number((sloAvailability(spec) * 100).toPrecision(6))}%`;
  const recordingRules = WINDOWS.map(window => ({
    record: errorRatioRecord(window),
    expr:
      `sum(rate(istio_requests_total{${istioSelector(spec)},response_code=~"5.."}[${window}]))\n` +
      `/\nsum(rate(istio_requests_total{${istioSelector(spec)}}[${window}]))`,
    labels,
  }));
  const burnRateAlerts = BURN_RATE_ALERTS.map(alert => {
    const series = (window: string) =>
      `${errorRatioRecord(window)}{service="${spec.name}",namespace="${spec.namespace}"}`;
    const threshold = Number((alert.burnRate * budget).toPrecision(6));
    return {
      alert: `${prefix}ErrorBudgetBurn`,
      expr:
        `${series(alert.long)} > ${threshold}\n` +
        `and\n${series(alert.short)} > ${threshold}`,
      for: alert.for,
      labels: { ...labels, severity: alert.severity, window: alert.long },
      annotations: {
        summary: `${spec.name} burns its ${availability} availability budget ${alert.burnRate}x too fast (${alert.long} and ${alert.short} windows)`,
        description: `More than ${Number((threshold * 100).toPrecision(6))}% of requests to ${spec.clusterHost} failed with 5xx over the last ${alert.long} and ${alert.short}.`,
      },
    };
  });
  const latencyAlert = (
    alert: string,
    metric: string,
    objectiveMs: number,
    what: string,
  ) => ({
    alert,
    expr:
      `histogram_quantile(0.95, sum by (le) (rate(${metric}{${kongSelector(spec)}}[5m])))\n` +
      `> ${objectiveMs}`,
    for: '10m',
    labels: { ...labels, severity: 'warning' },
    annotations: {
      summary: `${what} P95 latency of ${spec.name} is above ${objectiveMs} ms`,
      description: `The 95th percentile of ${metric} over 5 minutes has stayed above the ${objectiveMs} ms objective for 10 minutes.`,
    },
  });
  return new PrometheusRule({
    metadata: objectMeta(spec, `${spec.name}-slo`),
    spec: {
      groups: [
        { name: `${spec.name}-slo-recording`, rules: recordingRules },
        {
          name: `${spec.name}-slo-alerts`,
          rules: [
            ...burnRateAlerts,
            latencyAlert(
              `${prefix}LatencyP95High`,
              'kong_request_latency_ms_bucket',
              spec.slo.endToEndP95Ms,
              'End-to-end',
            ),
            latencyAlert(
              `${prefix}GatewayLatencyP95High`,
              'kong_kong_latency_ms_bucket',
              spec.slo.gatewayP95Ms,
              'Gateway',
            ),
          ],
        },
      ],
    },
  }).toJSON();
}

/** A Grafana dashboard of the golden signals: traffic, errors, latency, saturation. */
export function grafanaDashboard(spec: ServiceSpec) {
  const istio = istioSelector(spec);
  const kongSel = kongSelector(spec);
  let panelId = 0;
  const panel = (
    title: string,
    unit: string,
    targets: { expr: string; legendFormat: string }[],
    gridPos: { x: number; y: number; w: number; h: number },
    thresholds?: number,
  ) => ({
    id: ++panelId,
    type: 'timeseries',
    title,
    datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos,
    fieldConfig: {
      defaults: {
        unit,
        ...(thresholds !== undefined
          ? {
              thresholds: {
                mode: 'absolute',
                steps: [
                  { color: 'green', value: null },
                  { color: 'red', value: thresholds },
                ],
              },
              custom: { thresholdsStyle: { mode: 'line' } },
            }
          : {}),
      },
      overrides: [],
    },
    targets: targets.map((target, i) => ({
      refId: String.fromCharCode(65 + i),
      datasource: { type: 'prometheus', uid: '${datasource}' },
      ...target,
    })),
  });
  const p95 = (metric: string, selector: string) =>
    `histogram_quantile(0.95, sum by (le) (rate(${metric}{${selector}}[$__rate_interval])))`;
  return {
    title: `${spec.name}: golden signals`,
    uid: `mg-${spec.namespace}-${spec.name}`.slice(0, 40),
    tags: ['mesh-gateway', spec.namespace, spec.name],
    timezone: 'utc',
    schemaVersion: 39,
    version: 1,
    editable: true,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    templating: {
      list: [
        {
          name: 'datasource',
          label: 'Prometheus',
          type: 'datasource',
          query: 'prometheus',
          current: {},
        },
      ],
    },
    panels: [
      panel(
        'Traffic (requests/s)',
        'reqps',
        [
          {
            expr: `sum(rate(kong_http_requests_total{${kongSel}}[$__rate_interval]))`,
            legendFormat: 'at Kong',
          },
          {
            expr: `sum(rate(istio_requests_total{${istio}}[$__rate_interval]))`,
            legendFormat: 'in the mesh',
          },
        ],
        { x: 0, y: 0, w: 12, h: 8 },
      ),
      panel(
        'Errors (5xx ratio)',
        'percentunit',
        [
          {
            expr:
              `sum(rate(istio_requests_total{${istio},response_code=~"5.."}[$__rate_interval]))` +
              ` / sum(rate(istio_requests_total{${istio}}[$__rate_interval]))`,
            legendFormat: '5xx ratio',
          },
        ],
        { x: 12, y: 0, w: 12, h: 8 },
        Number((1 - sloAvailability(spec)).toPrecision(6)),
      ),
      panel(
        'Latency P95 (ms)',
        'ms',
        [
          {
            expr: p95('kong_request_latency_ms_bucket', kongSel),
            legendFormat: 'end to end (Kong)',
          },
          {
            expr: p95('kong_kong_latency_ms_bucket', kongSel),
            legendFormat: 'Kong itself',
          },
          {
            expr: p95('istio_request_duration_milliseconds_bucket', istio),
            legendFormat: 'service (mesh)',
          },
        ],
        { x: 0, y: 8, w: 12, h: 8 },
        spec.slo.endToEndP95Ms,
      ),
      panel(
        'Saturation',
        'short',
        [
          {
            expr: `kube_horizontalpodautoscaler_status_current_replicas{namespace="${spec.namespace}",horizontalpodautoscaler="${spec.name}"}`,
            legendFormat: 'replicas',
          },
          {
            expr: `sum(rate(istio_requests_total{${istio}}[$__rate_interval])) / count(count by (pod) (istio_requests_total{${istio}}))`,
            legendFormat: 'requests/s per pod',
          },
        ],
        { x: 12, y: 8, w: 12, h: 8 },
      ),
    ],
  };
}

export function observabilityFiles(spec: ServiceSpec): GeneratedFile[] {
  return [
    yamlFile('observability/pod-monitor.yaml', [podMonitor(spec)]),
    yamlFile('observability/prometheus-rule.yaml', [prometheusRule(spec)]),
    jsonFile('observability/dashboard.json', grafanaDashboard(spec)),
  ];
}
