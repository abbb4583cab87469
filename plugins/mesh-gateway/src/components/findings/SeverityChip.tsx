import type { FindingSeverity } from '@internal/plugin-mesh-gateway-common';
import Chip from '@material-ui/core/Chip';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  critical: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  warning: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  info: {
    backgroundColor: theme.palette.info.main,
    color: theme.palette.info.contrastText,
  },
}));

export function SeverityChip(props: { severity: FindingSeverity }) {
  const classes = useStyles();
  return (
    <Chip
      size="small"
      label={props.severity}
      className={classes[props.severity]}
    />
  );
}
