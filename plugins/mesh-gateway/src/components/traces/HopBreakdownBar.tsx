import type { HopBreakdown } from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { formatDuration } from './format';

const useStyles = makeStyles(theme => ({
  bar: {
    display: 'flex',
    height: theme.spacing(3),
    borderRadius: theme.shape.borderRadius,
    overflow: 'hidden',
    backgroundColor: theme.palette.action.hover,
  },
  gateway: { backgroundColor: theme.palette.info.main },
  mesh: { backgroundColor: theme.palette.warning.main },
  service: { backgroundColor: theme.palette.success.main },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    marginTop: theme.spacing(1),
  },
  swatch: {
    display: 'inline-block',
    width: theme.spacing(1.5),
    height: theme.spacing(1.5),
    borderRadius: 2,
    marginRight: theme.spacing(0.5),
    verticalAlign: 'middle',
  },
}));

/**
 * Where a request's time goes between Kong and the service, as a stacked bar of the medians:
 * Kong's own time, the mesh hop (Envoy sidecars) and the service's span.
 */
export function HopBreakdownBar(props: { hops: HopBreakdown }) {
  const { hops } = props;
  const classes = useStyles();
  const segments = [
    {
      key: 'gateway',
      label: 'Kong',
      ms: hops.gatewayMs,
      className: classes.gateway,
    },
    {
      key: 'mesh',
      label: 'Mesh hop',
      ms: hops.meshMs,
      className: classes.mesh,
    },
    {
      key: 'service',
      label: 'Service',
      ms: hops.serviceMs,
      className: classes.service,
    },
  ] as const;
  const description = segments
    .map(s => `${s.label} ${formatDuration(s.ms)}`)
    .join(', ');
  return (
    <Box>
      <Box
        className={classes.bar}
        role="img"
        aria-label={`Median time per hop: ${description}`}
      >
        {segments
          .filter(s => s.ms > 0)
          .map(s => (
            <Box
              key={s.key}
              className={s.className}
              style={{ flexGrow: s.ms, flexBasis: 0 }}
              title={`${s.label}: ${formatDuration(s.ms)}`}
              data-testid={`hop-${s.key}`}
            />
          ))}
      </Box>
      <Box className={classes.legend}>
        {segments.map(s => (
          <Typography key={s.key} variant="body2" component="span">
            <span className={`${classes.swatch} ${s.className}`} />
            {s.label}: <strong>{formatDuration(s.ms)}</strong>
          </Typography>
        ))}
      </Box>
      <Typography variant="caption" color="textSecondary">
        Medians of {hops.traces} requests through Kong
        {hops.meshTraces < hops.traces &&
          ` (${hops.traces - hops.meshTraces} without a sidecar span)`}
        .
      </Typography>
    </Box>
  );
}
