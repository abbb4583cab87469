import { ReactNode } from 'react';
import type {
  SloTarget,
  TracesSection,
} from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { formatDuration, formatPercent } from './format';

const useStyles = makeStyles(theme => ({
  tile: {
    height: '100%',
    padding: theme.spacing(1.5),
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: theme.shape.borderRadius,
  },
  met: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  missed: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
}));

type Verdict = 'met' | 'missed' | 'unknown';

function Tile(props: {
  title: string;
  value: string;
  detail: ReactNode;
  target: string;
  verdict: Verdict;
}) {
  const classes = useStyles();
  return (
    <Box className={classes.tile} role="group" aria-label={props.title}>
      <Typography variant="overline" color="textSecondary">
        {props.title}
      </Typography>
      <Typography variant="h5" component="p">
        {props.value}
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {props.detail}
      </Typography>
      <Box mt={1}>
        <Chip
          size="small"
          label={`${props.verdict === 'missed' ? 'Misses' : 'Target'}: ${props.target}`}
          className={
            props.verdict === 'unknown' ? undefined : classes[props.verdict]
          }
        />
      </Box>
    </Box>
  );
}

const verdict = (value: number | null | undefined, limit: number): Verdict => {
  if (value === null || value === undefined) return 'unknown';
  return value <= limit ? 'met' : 'missed';
};

function latencyDetail(data: TracesSection): string {
  if (!data.latency) return 'No requests in the window';
  const { p50Ms, p95Ms, p99Ms, count } = data.latency;
  const atService = `P50 ${formatDuration(p50Ms)} · P99 ${formatDuration(p99Ms)} over ${count} requests`;
  return data.hops && data.hops.edgeP95Ms > p95Ms
    ? `Whole request at Kong; at the service P95 ${formatDuration(p95Ms)}, ${atService}`
    : atService;
}

/** " (from annotation)" when the entity overrides the baseline's objective. */
const origin = (target: SloTarget) =>
  target.source === 'annotation' ? ' (from annotation)' : '';

/**
 * Latency, errors, the way in through Kong and Kong's own time, each against the entity's SLO
 * as the backend resolved it (the baseline's, or the entity's `mesh-gateway.io/slo-*`
 * annotations): the same targets the findings and the golden signals use.
 */
export function SloTiles(props: { data: TracesSection }) {
  const { data } = props;
  const { slo } = data;
  const endToEndP95Ms = slo.endToEndP95Ms.value;
  const gatewayP95Ms = slo.gatewayP95Ms.value;
  const availability = slo.availability.value;
  const allowedErrorRate = 1 - availability;
  const coverage = data.gatewayCoverage;
  // The objective is end to end: the whole request as Kong saw it when traces enter through Kong.
  const endToEnd = data.latency
    ? Math.max(data.latency.p95Ms, data.hops?.edgeP95Ms ?? 0)
    : undefined;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} sm={6} md={3}>
        <Tile
          title="Latency P95"
          value={endToEnd === undefined ? '–' : formatDuration(endToEnd)}
          detail={latencyDetail(data)}
          target={`< ${endToEndP95Ms} ms end to end${origin(slo.endToEndP95Ms)}`}
          verdict={verdict(endToEnd, endToEndP95Ms)}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={3}>
        <Tile
          title="Error rate"
          value={data.errorRate === null ? '–' : formatPercent(data.errorRate)}
          detail={`${data.errorCount} of ${data.requestCount} requests failed, in ${data.errorTraceCount} traces`}
          target={`≤ ${formatPercent(allowedErrorRate)} (${Number((availability * 100).toFixed(4))}% available)${origin(slo.availability)}`}
          verdict={verdict(data.errorRate, allowedErrorRate + Number.EPSILON)}
        />
      </Grid>
      <Grid item xs={12} sm={6} md={3}>
        <Tile
          title="Through Kong"
          value={coverage.ratio === null ? '–' : formatPercent(coverage.ratio)}
          detail={`${coverage.throughGateway} of ${coverage.traces} traces · ${coverage.contextLost} lost the trace context · ${coverage.bypassed} around Kong`}
          target={`≥ ${formatPercent(coverage.target)} of traces`}
          verdict={
            coverage.ratio === null
              ? 'unknown'
              : verdict(coverage.target - coverage.ratio, 0)
          }
        />
      </Grid>
      <Grid item xs={12} sm={6} md={3}>
        <Tile
          title="Kong's own time P95"
          value={data.hops ? formatDuration(data.hops.gatewayP95Ms) : '–'}
          detail={
            data.hops
              ? `Whole request at Kong: P95 ${formatDuration(data.hops.edgeP95Ms)}`
              : 'No request came through Kong'
          }
          target={`< ${gatewayP95Ms} ms${origin(slo.gatewayP95Ms)}`}
          verdict={verdict(data.hops?.gatewayP95Ms, gatewayP95Ms)}
        />
      </Grid>
    </Grid>
  );
}
