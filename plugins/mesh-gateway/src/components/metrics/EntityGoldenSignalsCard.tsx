import { EmptyState, InfoCard } from '@backstage/core-components';
import {
  GatewaySignals,
  KUBERNETES_ANNOTATIONS,
  LatencyQuantiles,
  MESH_GATEWAY_ANNOTATIONS,
  MeshSignals,
  MetricsSection,
  SectionResult,
  SignalSeries,
  TrafficSignals,
} from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { Theme, useTheme } from '@material-ui/core/styles';
import { FindingsList } from '../findings';
import { RefreshButton, SectionView, useMeshSection } from '../shared';
import { formatMs, formatPercent, formatRate, formatWindow } from './format';
import { ChartLine, ChartPoint, ChartReference, SignalChart } from './SignalChart';
import { ErrorBudgetView, MtlsShareChip, SloObjectiveChip } from './SloStatusView';

const windowSourceText = { default: 'default window', annotation: 'from mesh-gateway.io/metrics-window', request: 'asked for' };

/** Points of the charts: the gateway's and the mesh's series side by side, by step. */
function chartPoints(gateway: SignalSeries | null | undefined, mesh: SignalSeries | null | undefined): ChartPoint[] {
  const timestamps = gateway?.timestamps ?? mesh?.timestamps ?? [];
  return timestamps.map((t, i) => {
    const at = (series: SignalSeries | null | undefined, key: keyof Omit<SignalSeries, 'timestamps'>) =>
      series && series.timestamps[i] === t ? (series[key]?.[i] ?? null) : null;
    return {
      t,
      gatewayRate: at(gateway, 'requestRate'),
      meshRate: at(mesh, 'requestRate'),
      gatewayErrors: at(gateway, 'errorRate'),
      meshErrors: at(mesh, 'errorRate'),
      p50: at(gateway ?? mesh, 'p50Ms'),
      p95: at(gateway ?? mesh, 'p95Ms'),
      p99: at(gateway ?? mesh, 'p99Ms'),
      kongP95: at(gateway, 'gatewayP95Ms'),
    };
  });
}

function SignalsTable(props: { gateway: GatewaySignals | null; mesh: MeshSignals | null }) {
  const rows: { place: string; traffic: TrafficSignals | null; latency: LatencyQuantiles | null; note?: string }[] = [];
  if (props.gateway) {
    rows.push({
      place: 'Gateway (Kong)',
      traffic: props.gateway.traffic,
      latency: props.gateway.requestLatency,
      note: props.gateway.metricsVersion === 'kong-2' ? 'Kong 2.x metric names' : undefined,
    });
  }
  if (props.mesh) {
    rows.push({ place: 'Mesh (Istio, at the service)', traffic: props.mesh.traffic, latency: props.mesh.latency });
  }
  return (
    <Table size="small" aria-label="Golden signals">
      <TableHead>
        <TableRow>
          <TableCell>Where</TableCell>
          <TableCell align="right">Requests/s</TableCell>
          <TableCell align="right">5xx</TableCell>
          <TableCell align="right">P50</TableCell>
          <TableCell align="right">P95</TableCell>
          <TableCell align="right">P99</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(row => (
          <TableRow key={row.place}>
            <TableCell component="th" scope="row">
              {row.place}
              {row.note && (
                <Typography variant="caption" color="textSecondary" component="div">
                  {row.note}
                </Typography>
              )}
              {!row.traffic && (
                <Typography variant="caption" color="textSecondary" component="div">
                  no series in Prometheus
                </Typography>
              )}
            </TableCell>
            <TableCell align="right">{formatRate(row.traffic?.requestRate)}</TableCell>
            <TableCell align="right">{formatPercent(row.traffic?.errorShare)}</TableCell>
            <TableCell align="right">{formatMs(row.latency?.p50Ms)}</TableCell>
            <TableCell align="right">{formatMs(row.latency?.p95Ms)}</TableCell>
            <TableCell align="right">{formatMs(row.latency?.p99Ms)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function Charts(props: { data: MetricsSection; theme: Theme }) {
  const { data, theme } = props;
  const gatewaySeries = data.gateway?.series;
  const meshSeries = data.mesh?.series;
  if (!gatewaySeries && !meshSeries) return null;
  const points = chartPoints(gatewaySeries, meshSeries);
  const colors = {
    gateway: theme.palette.primary.main,
    mesh: theme.palette.secondary.main,
    p50: theme.palette.info.main,
    p95: theme.palette.primary.main,
    p99: theme.palette.warning.main,
    kong: theme.palette.text.secondary,
  };
  const places = (gatewayKey: string, meshKey: string): ChartLine[] => [
    ...(gatewaySeries ? [{ key: gatewayKey, name: 'Gateway', color: colors.gateway }] : []),
    ...(meshSeries ? [{ key: meshKey, name: 'Mesh', color: colors.mesh }] : []),
  ];
  const objectives = Object.fromEntries(data.slo.objectives.map(o => [o.name, o]));
  const latencyReferences: ChartReference[] = [];
  if (objectives['end-to-end-p95']) {
    latencyReferences.push({ value: objectives['end-to-end-p95'].target, label: `P95 SLO ${formatMs(objectives['end-to-end-p95'].target)}` });
  }
  if (gatewaySeries?.gatewayP95Ms && objectives['gateway-p95']) {
    latencyReferences.push({
      value: objectives['gateway-p95'].target,
      label: `Kong P95 SLO ${formatMs(objectives['gateway-p95'].target)}`,
      labelBelow: true,
    });
  }
  const latencyLines: ChartLine[] = [
    { key: 'p50', name: 'P50', color: colors.p50 },
    { key: 'p95', name: 'P95', color: colors.p95 },
    { key: 'p99', name: 'P99', color: colors.p99 },
    ...(gatewaySeries?.gatewayP95Ms ? [{ key: 'kongP95', name: "Kong's own P95", color: colors.kong, dashed: true }] : []),
  ];
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={4}>
        <SignalChart title="Requests per second" data={points} lines={places('gatewayRate', 'meshRate')} formatValue={formatRate} />
      </Grid>
      <Grid item xs={12} md={4}>
        <SignalChart title="5xx per second" data={points} lines={places('gatewayErrors', 'meshErrors')} formatValue={formatRate} />
      </Grid>
      <Grid item xs={12} md={4}>
        <SignalChart
          title={gatewaySeries ? 'Latency at the gateway' : 'Latency in the mesh'}
          data={points}
          lines={latencyLines}
          references={latencyReferences}
          formatValue={formatMs}
        />
      </Grid>
    </Grid>
  );
}

function GoldenSignals(props: { data: MetricsSection; result: SectionResult<MetricsSection> }) {
  const { data, result } = props;
  const theme = useTheme();
  const { window } = data;
  const hasSeries = !!data.gateway?.traffic || !!data.mesh?.traffic;
  return (
    <>
      <Typography variant="body2" color="textSecondary" paragraph>
        Prometheus <strong>{data.instance}</strong>, last {formatWindow(window.durationMs)} ({windowSourceText[window.source]}), one point every{' '}
        {window.stepSeconds >= 60 ? `${window.stepSeconds / 60} min` : `${window.stepSeconds} s`}
        {data.gateway && `; Kong service${data.gateway.kongServices.length > 1 ? 's' : ''} ${data.gateway.kongServices.join(', ')}`}
        {data.mesh && `; Istio ${Object.values(data.mesh.destination).join('/')}`}
      </Typography>
      {hasSeries ? (
        <>
          <Box component="section" aria-label="Service level objectives" mb={2}>
            <Box display="flex" flexWrap="wrap" alignItems="center" mb={1}>
              {data.slo.objectives.map(objective => (
                <SloObjectiveChip key={objective.name} objective={objective} />
              ))}
              {data.mesh?.mtls && <MtlsShareChip mtls={data.mesh.mtls} />}
            </Box>
            {data.slo.budget && <ErrorBudgetView budget={data.slo.budget} windowMs={window.durationMs} />}
          </Box>
          <Charts data={data} theme={theme} />
          <Box mt={2}>
            <SignalsTable gateway={data.gateway} mesh={data.mesh} />
          </Box>
        </>
      ) : (
        <EmptyState
          missing="data"
          title="No Kong or Istio series for this service"
          description={`Prometheus has no request series for it in the last ${formatWindow(window.durationMs)}; the findings say what to check.`}
        />
      )}
      <Box mt={2}>
        <Typography variant="h6" component="h3">
          Findings
        </Typography>
        <FindingsList findings={result.findings} />
      </Box>
      <Box mt={2}>
        <Typography variant="caption" color="textSecondary">
          Read from Prometheus at {new Date(result.fetchedAt).toLocaleString()}
        </Typography>
      </Box>
    </>
  );
}

/**
 * The entity's golden signals from Prometheus: request rate, 5xx and latency at the gateway and in
 * the mesh over a window, charted, with the SLO objectives, the error budget left, the share of
 * requests over mutual TLS, and what breaks the baseline.
 *
 * @public
 */
export function EntityGoldenSignalsCard() {
  const state = useMeshSection('metrics');
  return (
    <InfoCard title="Golden signals" action={<RefreshButton onClick={state.retry} disabled={state.loading} />}>
      <SectionView
        title="Prometheus"
        state={state}
        annotation={MESH_GATEWAY_ANNOTATIONS.kongServices}
        alternativeAnnotations={[KUBERNETES_ANNOTATIONS.id, MESH_GATEWAY_ANNOTATIONS.istioHost, MESH_GATEWAY_ANNOTATIONS.kongTags]}
      >
        {(data, result) => <GoldenSignals data={data} result={result} />}
      </SectionView>
    </InfoCard>
  );
}
