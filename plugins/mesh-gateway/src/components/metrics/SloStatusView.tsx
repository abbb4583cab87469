import type { ErrorBudget, MtlsTraffic, SloObjective, SloState } from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import LinearProgress from '@material-ui/core/LinearProgress';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ChipStatus, useStatusChipStyles } from '../istio/statusChipStyles';
import { formatMs, formatPercent, formatWindow } from './format';

const stateStatus: Record<SloState, ChipStatus> = {
  met: 'good',
  breached: 'bad',
  'no-data': 'neutral',
};

const objectiveTitle: Record<SloObjective['name'], string> = {
  availability: 'Availability',
  'gateway-p95': 'Gateway P95',
  'end-to-end-p95': 'End-to-end P95',
};

function objectiveValue(objective: SloObjective, value: number | null): string {
  return objective.name === 'availability' ? formatPercent(value, 3) : formatMs(value);
}

function objectiveExplanation(objective: SloObjective): string {
  const target = `objective ${objective.name === 'availability' ? '≥' : '≤'} ${objectiveValue(objective, objective.target)} (${objective.targetSource === 'annotation' ? 'set by the entity' : 'baseline'})`;
  if (objective.state === 'no-data') return `No data to judge: ${target}`;
  const where = objective.source === 'mesh' ? 'measured in the mesh (no Kong metrics)' : 'measured at Kong';
  return `${objective.state === 'met' ? 'Met' : 'Breached'}: ${objectiveValue(objective, objective.actual)}, ${target}, ${where}`;
}

/** One objective as a chip: green when met, red when breached, grey without data. */
export function SloObjectiveChip(props: { objective: SloObjective }) {
  const { objective } = props;
  const classes = useStatusChipStyles();
  const actual = objective.state === 'no-data' ? 'no data' : objectiveValue(objective, objective.actual);
  return (
    <Tooltip title={objectiveExplanation(objective)}>
      <Chip
        size="small"
        label={`${objectiveTitle[objective.name]} ${actual} / ${objectiveValue(objective, objective.target)}`}
        className={`${classes.chip} ${classes[stateStatus[objective.state]]}`}
      />
    </Tooltip>
  );
}

const useBudgetStyles = makeStyles(theme => ({
  bar: { height: 8, borderRadius: 4, maxWidth: 360, marginTop: theme.spacing(0.5) },
  good: { backgroundColor: theme.palette.success.main },
  attention: { backgroundColor: theme.palette.warning.main },
  bad: { backgroundColor: theme.palette.error.main },
  /** A spent budget shows an empty bar on a red track. */
  spent: { backgroundColor: theme.palette.error.light },
}));

/** How much of the window's error budget is left, and how fast it burns now. */
export function ErrorBudgetView(props: { budget: ErrorBudget; windowMs: number }) {
  const { budget, windowMs } = props;
  const classes = useBudgetStyles();
  let status: 'good' | 'attention' | 'bad' = 'good';
  if (budget.remaining < 0.5) status = 'attention';
  if (budget.remaining <= 0) status = 'bad';
  const short = budget.shortWindow;
  return (
    <Box>
      <Typography variant="body2">
        Error budget left: <strong>{formatPercent(budget.remaining, 0)}</strong> of the {formatWindow(windowMs)} budget
        (5xx share {formatPercent(budget.errorShare, 3)} of {formatPercent(budget.allowedErrorShare, 3)} allowed, burn rate{' '}
        {budget.burnRate.toFixed(1)}×
        {short.burnRate !== null && `; last ${formatWindow(short.durationMs)} ${short.burnRate.toFixed(1)}×`})
      </Typography>
      <LinearProgress
        variant="determinate"
        value={Math.max(0, Math.min(100, budget.remaining * 100))}
        aria-label="Error budget left"
        classes={{ root: `${classes.bar} ${status === 'bad' ? classes.spent : ''}`, bar: classes[status] }}
      />
    </Box>
  );
}

/** The share of requests that arrived over mutual TLS. */
export function MtlsShareChip(props: { mtls: MtlsTraffic }) {
  const { mtls } = props;
  const classes = useStatusChipStyles();
  if (mtls.share === null) return null;
  const status: ChipStatus = mtls.share >= 1 ? 'good' : 'bad';
  return (
    <Tooltip
      title={`Mutual TLS ${mtls.mutualTlsRate.toFixed(3)} req/s, plain text ${mtls.plaintextRate.toFixed(3)} req/s, unknown ${mtls.unknownRate.toFixed(3)} req/s (Istio's connection_security_policy at the destination)`}
    >
      <Chip size="small" label={`mTLS ${formatPercent(mtls.share)} of requests`} className={`${classes.chip} ${classes[status]}`} />
    </Tooltip>
  );
}
