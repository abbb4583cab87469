import { Link } from '@backstage/core-components';
import type {
  TraceOperationStats,
  TraceSummaryView,
} from '@internal/plugin-mesh-gateway-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { formatDuration, webHref } from './format';

const useStyles = makeStyles(theme => ({
  id: { fontFamily: 'monospace' },
  /** Ids, times and durations on one line; root, span and error take the rest. */
  nowrap: { whiteSpace: 'nowrap' },
  error: { color: theme.palette.error.main },
}));

/** The trace id as the Jaeger UI shortens it, linked when the UI is known. */
function TraceId(props: { trace: TraceSummaryView }) {
  const classes = useStyles();
  const { trace } = props;
  const short = trace.traceId.replace(/^0{16}/, '').slice(0, 7);
  const href = webHref(trace.url);
  return href ? (
    <Link to={href} className={classes.id} title={trace.traceId}>
      {short}
    </Link>
  ) : (
    <span className={classes.id} title={trace.traceId}>
      {short}
    </span>
  );
}

/** Traces (slowest or failed) with their start, duration, root and the service's part. */
export function TraceTable(props: {
  traces: TraceSummaryView[];
  label: string;
  empty: string;
}) {
  const classes = useStyles();
  if (props.traces.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {props.empty}
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label={props.label}>
      <TableHead>
        <TableRow>
          <TableCell className={classes.nowrap}>Trace</TableCell>
          <TableCell className={classes.nowrap}>Started</TableCell>
          <TableCell className={classes.nowrap} align="right">
            Duration
          </TableCell>
          <TableCell>Root</TableCell>
          <TableCell>Service span</TableCell>
          <TableCell className={classes.nowrap}>Via Kong</TableCell>
          <TableCell>Error</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.traces.map(trace => (
          <TableRow key={trace.traceId}>
            <TableCell className={classes.nowrap}>
              <TraceId trace={trace} />
            </TableCell>
            <TableCell className={classes.nowrap}>
              {new Date(trace.startTime).toLocaleTimeString()}
            </TableCell>
            <TableCell className={classes.nowrap} align="right">
              {formatDuration(trace.durationMs)}
            </TableCell>
            <TableCell>
              {trace.rootService}: {trace.rootOperation}
            </TableCell>
            <TableCell>
              {trace.operation}
              {trace.serviceDurationMs !== undefined &&
                ` (${formatDuration(trace.serviceDurationMs)})`}
            </TableCell>
            <TableCell>{trace.throughGateway ? 'yes' : 'no'}</TableCell>
            <TableCell className={trace.error ? classes.error : undefined}>
              {trace.error ? (trace.errorMessage ?? 'failed') : ''}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The service's operations, slowest first. */
export function OperationTable(props: { operations: TraceOperationStats[] }) {
  return (
    <Table size="small" aria-label="Slowest operations">
      <TableHead>
        <TableRow>
          <TableCell>Operation</TableCell>
          <TableCell align="right">Requests</TableCell>
          <TableCell align="right">Errors</TableCell>
          <TableCell align="right">P50</TableCell>
          <TableCell align="right">P95</TableCell>
          <TableCell align="right">P99</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {props.operations.map(operation => (
          <TableRow key={operation.operation}>
            <TableCell>{operation.operation || '(unnamed)'}</TableCell>
            <TableCell align="right">{operation.count}</TableCell>
            <TableCell align="right">{operation.errorCount}</TableCell>
            <TableCell align="right">
              {formatDuration(operation.p50Ms)}
            </TableCell>
            <TableCell align="right">
              {formatDuration(operation.p95Ms)}
            </TableCell>
            <TableCell align="right">
              {formatDuration(operation.p99Ms)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
