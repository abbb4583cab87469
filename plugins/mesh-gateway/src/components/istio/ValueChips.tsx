import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { useStatusChipStyles } from './statusChipStyles';

/**
 * Values as small chips, negated ones prefixed with "not"; `empty` in grey when there are none
 * (for a match field: "any").
 */
export function ValueChips(props: {
  values: string[];
  notValues?: string[];
  empty: string;
  monospace?: boolean;
}) {
  const { values, notValues = [], empty, monospace } = props;
  const classes = useStatusChipStyles();
  if (values.length === 0 && notValues.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary" component="span">
        {empty}
      </Typography>
    );
  }
  const className = monospace
    ? `${classes.chip} ${classes.code}`
    : classes.chip;
  return (
    <>
      {values.map(value => (
        <Chip key={value} size="small" label={value} className={className} />
      ))}
      {notValues.map(value => (
        <Chip
          key={`not ${value}`}
          size="small"
          variant="outlined"
          label={`not ${value}`}
          className={className}
        />
      ))}
    </>
  );
}
