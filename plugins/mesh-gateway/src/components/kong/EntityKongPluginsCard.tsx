import { useMemo } from 'react';
import {
  EmptyState,
  InfoCard,
  Table,
  TableColumn,
} from '@backstage/core-components';
import {
  KongPluginInfo,
  KongSection,
  MESH_GATEWAY_ANNOTATIONS,
} from '@internal/plugin-mesh-gateway-common';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import LockIcon from '@material-ui/icons/Lock';
import { RefreshButton, SectionView, useMeshSection } from '../shared';
import { KongNoServices } from './KongNoServices';
import { PluginConfigView, redactedPaths } from './PluginConfigView';

interface PluginRow {
  instance: string;
  plugin: KongPluginInfo;
  attachedTo: string;
  redacted: number;
}

/**
 * Every plugin once, even when several of the entity's services share it (global ones always
 * are), with the route, service or consumer it is attached to by name.
 */
export function pluginRows(data: KongSection): PluginRow[] {
  const names = new Map<string, string>();
  for (const view of data.services) {
    names.set(
      `${view.instance}/service/${view.service.id}`,
      view.service.name ?? view.service.id,
    );
    for (const route of view.routes) {
      names.set(`${view.instance}/route/${route.id}`, route.name ?? route.id);
    }
  }
  const nameOf = (instance: string, kind: 'service' | 'route', id: string) =>
    names.get(`${instance}/${kind}/${id}`) ?? id;

  const rows = new Map<string, PluginRow>();
  for (const view of data.services) {
    for (const plugin of view.plugins) {
      const key = `${view.instance}/${view.workspace ?? ''}/${plugin.id}`;
      if (rows.has(key)) {
        continue;
      }
      let attachedTo: string;
      if (plugin.scope === 'route' && plugin.route) {
        attachedTo = `route ${nameOf(view.instance, 'route', plugin.route)}`;
      } else if (plugin.scope === 'service' && plugin.service) {
        attachedTo = `service ${nameOf(view.instance, 'service', plugin.service)}`;
      } else if (plugin.scope === 'consumer' && plugin.consumer) {
        attachedTo = `consumer ${plugin.consumer}`;
      } else if (plugin.scope === 'consumer-group' && plugin.consumer_group) {
        attachedTo = `consumer group ${plugin.consumer_group}`;
      } else {
        attachedTo = 'every service and route';
      }
      rows.set(key, {
        instance: view.instance,
        plugin,
        attachedTo,
        redacted: redactedPaths(plugin.config).length,
      });
    }
  }
  const scopeOrder = { route: 0, service: 1, consumer: 2, 'consumer-group': 3, global: 4 };
  return [...rows.values()].sort(
    (a, b) =>
      a.plugin.name.localeCompare(b.plugin.name) ||
      scopeOrder[a.plugin.scope] - scopeOrder[b.plugin.scope],
  );
}

const columns: TableColumn<PluginRow>[] = [
  {
    title: 'Plugin',
    field: 'plugin.name',
    render: row => (
      <>
        {row.plugin.name}
        {row.plugin.instance_name && (
          <Typography variant="caption" display="block" color="textSecondary">
            {row.plugin.instance_name}
          </Typography>
        )}
      </>
    ),
  },
  { title: 'Scope', field: 'plugin.scope' },
  {
    title: 'Enabled',
    field: 'plugin.enabled',
    render: row =>
      row.plugin.enabled ? 'enabled' : <Chip size="small" label="disabled" />,
    customFilterAndSearch: (term, row) =>
      (row.plugin.enabled ? 'enabled' : 'disabled').includes(
        term.toLocaleLowerCase(),
      ),
  },
  { title: 'Attached to', field: 'attachedTo' },
  { title: 'Instance', field: 'instance' },
  {
    title: 'Config',
    sorting: false,
    searchable: false,
    render: row => {
      const fields = Object.keys(row.plugin.config).length;
      return (
        <Typography variant="body2" component="span">
          {fields === 1 ? '1 field' : `${fields} fields`}
          {row.redacted > 0 && (
            <>
              {' · '}
              <LockIcon
                fontSize="inherit"
                style={{ verticalAlign: 'middle' }}
              />{' '}
              {row.redacted} redacted
            </>
          )}
        </Typography>
      );
    },
  },
];

function KongPlugins(props: { data: KongSection }) {
  const rows = useMemo(() => pluginRows(props.data), [props.data]);
  if (props.data.services.length === 0) {
    return <KongNoServices />;
  }
  if (rows.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No Kong plugins"
        description="No plugin applies to these Kong services: requests pass the gateway unchanged."
      />
    );
  }
  return (
    <Table<PluginRow>
      title={rows.length === 1 ? '1 plugin' : `${rows.length} plugins`}
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
      detailPanel={[
        {
          tooltip: 'Show configuration',
          render: ({ rowData }) => (
            <PluginConfigView config={rowData.plugin.config} />
          ),
        },
      ]}
    />
  );
}

/**
 * Every Kong plugin that applies to the entity's services: scope, whether it runs, what it is
 * attached to, and its configuration with secrets redacted.
 *
 * @public
 */
export function EntityKongPluginsCard() {
  const state = useMeshSection('kong');
  return (
    <InfoCard
      title="Kong plugins"
      action={<RefreshButton onClick={state.retry} disabled={state.loading} />}
    >
      <SectionView
        title="Kong"
        state={state}
        annotation={MESH_GATEWAY_ANNOTATIONS.kongServices}
        alternativeAnnotations={[MESH_GATEWAY_ANNOTATIONS.kongTags]}
      >
        {data => <KongPlugins data={data} />}
      </SectionView>
    </InfoCard>
  );
}
