import { useMemo } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import type { AuthorizationRuleView } from '@internal/plugin-mesh-gateway-common';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { count } from '../format';
import { ChipStatus, useStatusChipStyles } from './statusChipStyles';
import { ValueChips } from './ValueChips';

type RuleRow = AuthorizationRuleView & { id: string };

const actionStatus: Record<AuthorizationRuleView['action'], ChipStatus> = {
  ALLOW: 'good',
  DENY: 'bad',
  CUSTOM: 'attention',
  AUDIT: 'neutral',
};

function RuleAction(props: { rule: AuthorizationRuleView }) {
  const { rule } = props;
  const classes = useStatusChipStyles();
  return (
    <>
      <Chip
        size="small"
        label={rule.action}
        className={`${classes.chip} ${classes[actionStatus[rule.action]]}`}
      />
      {rule.action === 'ALLOW' && rule.matchesEverything && (
        <Tooltip title="An empty rule: every request from every caller matches it">
          <Chip
            size="small"
            label="every request"
            className={`${classes.chip} ${classes.bad}`}
          />
        </Tooltip>
      )}
      {rule.action === 'ALLOW' && rule.anySource && !rule.matchesEverything && (
        <Tooltip title="No from (or an empty source) in this rule: callers are not restricted, only the operation is">
          <Chip
            size="small"
            label="any source"
            className={`${classes.chip} ${classes.attention}`}
          />
        </Tooltip>
      )}
    </>
  );
}

/** One labelled field of a rule's from/to part; nothing when the field is not set. */
function Field(props: {
  label: string;
  values: string[];
  notValues?: string[];
  monospace?: boolean;
}) {
  if (props.values.length === 0 && !props.notValues?.length) {
    return null;
  }
  return (
    <div>
      <Typography variant="caption" color="textSecondary" component="span">
        {props.label}{' '}
      </Typography>
      <ValueChips
        values={props.values}
        notValues={props.notValues}
        empty=""
        monospace={props.monospace}
      />
    </div>
  );
}

function Unrestricted(props: { children: string }) {
  return (
    <Typography variant="body2" color="textSecondary" component="span">
      {props.children}
    </Typography>
  );
}

function conditions(rule: AuthorizationRuleView): string[] {
  return rule.when.map(condition =>
    [
      condition.key,
      condition.values?.length ? `in ${condition.values.join(', ')}` : '',
      condition.notValues?.length
        ? `not in ${condition.notValues.join(', ')}`
        : '',
    ]
      .filter(Boolean)
      .join(' '),
  );
}

function From(props: { rule: AuthorizationRuleView }) {
  const { rule } = props;
  if (rule.anySource) {
    return (
      <>
        <Unrestricted>any source</Unrestricted>
        <Field
          label="except principals"
          values={rule.notPrincipals}
          monospace
        />
        <Field label="except namespaces" values={rule.notNamespaces} />
      </>
    );
  }
  return (
    <>
      <Field
        label="principals"
        values={rule.principals}
        notValues={rule.notPrincipals}
        monospace
      />
      <Field
        label="namespaces"
        values={rule.namespaces}
        notValues={rule.notNamespaces}
      />
      <Field
        label="request principals"
        values={rule.requestPrincipals}
        monospace
      />
      <Field label="source IPs" values={rule.ipBlocks} monospace />
    </>
  );
}

function To(props: { rule: AuthorizationRuleView }) {
  const { rule } = props;
  const fields = [rule.methods, rule.notMethods, rule.paths, rule.notPaths];
  if (fields.every(f => f.length === 0) && rule.ports.length === 0) {
    return <Unrestricted>any operation</Unrestricted>;
  }
  return (
    <>
      <Field
        label="methods"
        values={rule.methods}
        notValues={rule.notMethods}
      />
      <Field
        label="paths"
        values={rule.paths}
        notValues={rule.notPaths}
        monospace
      />
      <Field label="ports" values={rule.ports} />
    </>
  );
}

const columns: TableColumn<RuleRow>[] = [
  { title: 'Action', render: row => <RuleAction rule={row} /> },
  {
    title: 'Policy',
    render: row => (
      <>
        <span style={{ whiteSpace: 'nowrap' }}>{row.policy}</span>
        <Typography variant="caption" display="block" color="textSecondary">
          {row.rule < 0
            ? `no rules: ${row.action === 'ALLOW' ? 'allows' : 'matches'} no request`
            : `rule ${row.rule}`}
        </Typography>
      </>
    ),
  },
  {
    title: 'From (who)',
    render: row => (row.rule < 0 ? null : <From rule={row} />),
  },
  {
    title: 'To (what)',
    render: row => (row.rule < 0 ? null : <To rule={row} />),
  },
  {
    title: 'When',
    render: row =>
      row.rule < 0 ? null : (
        <ValueChips values={conditions(row)} empty="always" monospace />
      ),
  },
];

/** The enforced authorization rules in the order Istio evaluates them: CUSTOM, DENY, ALLOW. */
export function AuthorizationRulesTable(props: {
  rules: AuthorizationRuleView[];
}) {
  // Copies, because the table writes its own state into each row object.
  const rows = useMemo<RuleRow[]>(
    () =>
      props.rules.map(rule => ({ ...rule, id: `${rule.policy}#${rule.rule}` })),
    [props.rules],
  );
  return (
    <Table<RuleRow>
      title={count(rows.length, 'rule')}
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
    />
  );
}
