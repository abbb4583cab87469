import { makeStyles } from '@material-ui/core/styles';

/**
 * Chip colours by how safe a setting is: good, needs attention, broken or unsafe. `&&` doubles
 * the class so the colour wins over the Chip's own background whatever order the style sheets
 * are injected in.
 */
export const useStatusChipStyles = makeStyles(theme => ({
  chip: { margin: theme.spacing(0.25) },
  good: {
    '&&': {
      backgroundColor: theme.palette.success.main,
      color: theme.palette.success.contrastText,
    },
  },
  attention: {
    '&&': {
      backgroundColor: theme.palette.warning.main,
      color: theme.palette.warning.contrastText,
    },
  },
  bad: {
    '&&': {
      backgroundColor: theme.palette.error.main,
      color: theme.palette.error.contrastText,
    },
  },
  neutral: {
    '&&': {
      backgroundColor: theme.palette.grey[300],
      color: theme.palette.getContrastText(theme.palette.grey[300]),
    },
  },
  code: { fontFamily: 'monospace' },
}));

export type ChipStatus = 'good' | 'attention' | 'bad' | 'neutral';
