import type {
  KongTargetHealth,
  KongUpstreamView,
} from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  chip: { margin: theme.spacing(0.25) },
  HEALTHY: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  UNHEALTHY: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  DNS_ERROR: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  HEALTHCHECKS_OFF: {
    backgroundColor: theme.palette.grey[500],
    color: theme.palette.getContrastText(theme.palette.grey[500]),
  },
}));

const healthText: Record<KongTargetHealth, string> = {
  HEALTHY: 'healthy',
  UNHEALTHY: 'unhealthy: Kong sends it no traffic',
  DNS_ERROR: 'DNS error: the name does not resolve, Kong sends it no traffic',
  HEALTHCHECKS_OFF: 'health checks are off: Kong does not know',
};

/** The upstream's targets, coloured by the health Kong reports. */
export function TargetHealthChips(props: { upstream: KongUpstreamView }) {
  const { upstream } = props;
  const classes = useStyles();
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" mt={1}>
      <Typography variant="body2" component="span" style={{ marginRight: 8 }}>
        Upstream <strong>{upstream.name}</strong>:
      </Typography>
      {upstream.targets.length === 0 && (
        <Typography variant="body2" component="span" color="textSecondary">
          no targets
        </Typography>
      )}
      {upstream.targets.map(target => (
        <Tooltip
          key={target.target}
          title={`${target.target}, weight ${target.weight}: ${healthText[target.health]}`}
        >
          <Chip
            size="small"
            label={`${target.target} ${target.health}`}
            className={`${classes.chip} ${classes[target.health]}`}
          />
        </Tooltip>
      ))}
    </Box>
  );
}
