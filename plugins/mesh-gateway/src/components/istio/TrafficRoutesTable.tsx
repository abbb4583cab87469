import { useMemo } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import type {
  IstioWorkloadView,
  TrafficRouteView,
} from '@internal/plugin-mesh-gateway-common';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { count } from '../format';
import { durationMs, formatDuration, retryBudgetMs } from './durations';
import { useStatusChipStyles } from './statusChipStyles';
import { ValueChips } from './ValueChips';

type Destination = TrafficRouteView['destinations'][number];

type RouteRow = TrafficRouteView & {
  id: string;
  /** Subsets of the route's destinations that no DestinationRule defines. */
  missingSubsets: string[];
  workloadHost: string;
};

/**
 * The subsets each destination host's DestinationRules define; a host without one is absent
 * unless it is the workload's own host, whose DestinationRules the backend always reads.
 */
function definedSubsets(view: IstioWorkloadView): Map<string, Set<string>> {
  const subsets = new Map<string, Set<string>>([[view.host, new Set()]]);
  for (const rule of view.resilience) {
    const names = subsets.get(rule.host) ?? new Set<string>();
    rule.subsets.forEach(subset => names.add(subset.name));
    subsets.set(rule.host, names);
  }
  return subsets;
}

function DestinationChip(props: { destination: Destination; row: RouteRow }) {
  const { destination, row } = props;
  const classes = useStatusChipStyles();
  const missing =
    destination.subset !== undefined &&
    row.missingSubsets.includes(`${destination.host}/${destination.subset}`);
  const parts = [
    destination.host === row.workloadHost ? undefined : destination.host,
    destination.subset ? `subset ${destination.subset}` : 'all pods',
    destination.port === undefined ? undefined : `port ${destination.port}`,
    destination.weight === undefined ? undefined : `${destination.weight}%`,
  ].filter(Boolean);
  const chip = (
    <Chip
      size="small"
      label={parts.join(' · ')}
      className={`${classes.chip} ${missing ? classes.bad : ''}`}
    />
  );
  if (!missing) {
    return chip;
  }
  return (
    <Tooltip
      title={`No DestinationRule for ${destination.host} defines subset ${destination.subset}: requests on this route fail with 503 (istioctl IST0101)`}
    >
      {chip}
    </Tooltip>
  );
}

function Retries(props: { row: RouteRow }) {
  const { retries, timeout } = props.row;
  const classes = useStatusChipStyles();
  if (!retries) {
    return (
      <Typography variant="body2" color="textSecondary" component="span">
        not set: Istio's default, 2 retries on connection failures and 503
      </Typography>
    );
  }
  if (retries.attempts === 0) {
    return <>off</>;
  }
  const budget = retryBudgetMs(retries);
  const timeoutMs = durationMs(timeout);
  const overrun =
    budget !== undefined && timeoutMs !== undefined && budget > timeoutMs;
  return (
    <>
      <Typography variant="body2" component="span">
        {retries.attempts ?? '?'} × {retries.perTryTimeout ?? 'route timeout'}
      </Typography>
      {budget !== undefined && (
        <Typography
          variant="caption"
          display="block"
          color={overrun ? 'error' : 'textSecondary'}
        >
          first try + retries: up to {formatDuration(budget)}
          {overrun && `, beyond the ${timeout} timeout`}
        </Typography>
      )}
      {retries.retryOn && (
        <Typography
          variant="caption"
          display="block"
          color="textSecondary"
          className={classes.code}
        >
          on {retries.retryOn}
        </Typography>
      )}
    </>
  );
}

const columns: TableColumn<RouteRow>[] = [
  {
    title: 'Route',
    render: row => (
      <>
        {row.name ?? `http[${row.route}]`}
        <Typography variant="caption" display="block" color="textSecondary">
          {row.virtualService} http[{row.route}]
        </Typography>
      </>
    ),
  },
  {
    title: 'Match',
    render: row => <ValueChips values={row.match} empty="any request" />,
  },
  {
    title: 'Destination',
    render: row =>
      row.destinations.length === 0 ? (
        <Typography variant="body2" color="textSecondary" component="span">
          none (redirect or direct response)
        </Typography>
      ) : (
        row.destinations.map((destination, i) => (
          <DestinationChip key={i} destination={destination} row={row} />
        ))
      ),
  },
  {
    title: 'Timeout',
    render: row =>
      row.timeout ?? (
        <Typography variant="body2" color="textSecondary" component="span">
          none
        </Typography>
      ),
  },
  { title: 'Retries', render: row => <Retries row={row} /> },
  {
    title: 'Fault injection',
    render: row => (
      <ValueChips
        values={[
          ...(row.fault?.delay ? [`delay ${row.fault.delay}`] : []),
          ...(row.fault?.abort ? [`abort ${row.fault.abort}`] : []),
        ]}
        empty="none"
      />
    ),
  },
];

/** The VirtualService http routes for the workload's host, in the order Envoy tries them. */
export function TrafficRoutesTable(props: { view: IstioWorkloadView }) {
  const { view } = props;
  const rows = useMemo<RouteRow[]>(() => {
    const subsets = definedSubsets(view);
    return view.traffic.map(route => ({
      ...route,
      id: `${route.virtualService}#${route.route}`,
      workloadHost: view.host,
      missingSubsets: route.destinations
        .filter(
          d =>
            d.subset !== undefined &&
            subsets.has(d.host) &&
            !subsets.get(d.host)!.has(d.subset),
        )
        .map(d => `${d.host}/${d.subset}`),
    }));
  }, [view]);
  return (
    <Table<RouteRow>
      title={count(rows.length, 'route')}
      columns={columns}
      data={rows}
      options={{
        paging: rows.length > 20,
        pageSize: 20,
        emptyRowsWhenPaging: false,
        search: false,
        sorting: false,
        padding: 'dense',
      }}
      emptyContent={
        <Typography
          variant="body2"
          color="textSecondary"
          style={{ padding: 16 }}
        >
          No VirtualService routes {view.host}: requests go to all its pods with
          Istio&apos;s defaults (no timeout, 2 retries on connection failures
          and 503).
        </Typography>
      }
    />
  );
}
