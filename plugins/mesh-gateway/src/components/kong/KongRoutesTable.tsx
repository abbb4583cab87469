import { useMemo } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import type { KongRouteView } from '@internal/plugin-mesh-gateway-common';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { count } from '../format';
import { KongPluginChip } from './KongPluginChip';

const useStyles = makeStyles(theme => ({
  chip: { margin: theme.spacing(0.25) },
  path: { margin: theme.spacing(0.25), fontFamily: 'monospace' },
}));

type RouteRow = KongRouteView;

const includes = (
  term: string,
  values: (string | null | undefined)[] | null | undefined,
) => {
  const needle = term.toLocaleLowerCase();
  return (values ?? []).some(value =>
    value?.toLocaleLowerCase().includes(needle),
  );
};

function Chips(props: {
  values?: string[] | null;
  empty: string;
  variant?: 'path';
}) {
  const classes = useStyles();
  if (!props.values || props.values.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {props.empty}
      </Typography>
    );
  }
  return (
    <>
      {props.values.map(value => (
        <Chip
          key={value}
          size="small"
          label={value}
          className={props.variant === 'path' ? classes.path : classes.chip}
        />
      ))}
    </>
  );
}

const columns: TableColumn<RouteRow>[] = [
  {
    title: 'Name',
    field: 'name',
    render: row => row.name ?? row.id,
    customFilterAndSearch: (term, row) => includes(term, [row.name, row.id]),
  },
  {
    title: 'Methods',
    sorting: false,
    render: row => <Chips values={row.methods} empty="any" />,
    customFilterAndSearch: (term, row) => includes(term, row.methods),
  },
  {
    title: 'Paths',
    sorting: false,
    render: row => <Chips values={row.paths} empty="any" variant="path" />,
    customFilterAndSearch: (term, row) => includes(term, row.paths),
  },
  {
    title: 'Hosts',
    sorting: false,
    render: row => (row.hosts?.length ? row.hosts.join(', ') : 'any'),
    customFilterAndSearch: (term, row) => includes(term, row.hosts),
  },
  {
    title: 'Protocols',
    sorting: false,
    render: row => row.protocols.join(', '),
    customFilterAndSearch: (term, row) => includes(term, row.protocols),
  },
  {
    title: 'strip_path',
    field: 'strip_path',
    render: row => (row.strip_path === undefined ? '' : String(row.strip_path)),
    searchable: false,
  },
  {
    title: 'Plugins',
    sorting: false,
    render: row => (
      <>
        {row.plugins.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            none
          </Typography>
        )}
        {row.plugins.map(plugin => (
          <KongPluginChip key={plugin.pluginId} plugin={plugin} />
        ))}
        {row.consumerPlugins.length > 0 && (
          <Typography variant="caption" display="block" color="textSecondary">
            Depending on the caller: {row.consumerPlugins.join(', ')} (consumer
            plugins)
          </Typography>
        )}
      </>
    ),
    customFilterAndSearch: (term, row) =>
      includes(term, [...row.plugins.map(p => p.name), ...row.consumerPlugins]),
  },
];

/** The routes of one Kong service, twenty to a page and searchable. */
export function KongRoutesTable(props: { routes: KongRouteView[] }) {
  // Copies, because the table writes its own state into each row object.
  const rows = useMemo<RouteRow[]>(
    () => props.routes.map(route => ({ ...route })),
    [props.routes],
  );
  return (
    <Table<RouteRow>
      title={count(rows.length, 'route')}
      columns={columns}
      data={rows}
      options={{
        paging: true,
        pageSize: 20,
        pageSizeOptions: [20, 50, 100],
        emptyRowsWhenPaging: false,
        search: true,
        padding: 'dense',
      }}
      emptyContent={
        <Typography
          variant="body2"
          color="textSecondary"
          style={{ padding: 16 }}
        >
          This service has no routes: Kong does not expose it.
        </Typography>
      }
    />
  );
}
