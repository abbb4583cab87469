import type {
  IstioWorkloadView,
  ResilienceView,
} from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { ReactNode } from 'react';
import { ChipStatus, useStatusChipStyles } from './statusChipStyles';

/** Nested settings as `path: value` lines, e.g. `tcp.maxConnections: 100`. */
export function flattenSettings(
  settings: Record<string, unknown>,
  prefix = '',
): string[] {
  return Object.entries(settings).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      return flattenSettings(value as Record<string, unknown>, path);
    }
    return [
      `${path}: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
    ];
  });
}

function Settings(props: {
  settings?: Record<string, unknown>;
  missing: string;
}) {
  const classes = useStatusChipStyles();
  if (!props.settings) {
    return (
      <Typography variant="body2" color="error" component="span">
        {props.missing}
      </Typography>
    );
  }
  const lines = flattenSettings(props.settings);
  return (
    <>
      {lines.map(line => (
        <Chip
          key={line}
          size="small"
          variant="outlined"
          label={line}
          className={`${classes.chip} ${classes.code}`}
        />
      ))}
    </>
  );
}

function TlsMode(props: {
  mode?: string;
  mtlsMode: IstioWorkloadView['mtls']['mode'];
}) {
  const classes = useStatusChipStyles();
  if (!props.mode) {
    return (
      <Typography variant="body2" color="textSecondary" component="span">
        not set: clients use Istio mutual TLS automatically
      </Typography>
    );
  }
  const contradicts =
    props.mtlsMode === 'STRICT' && props.mode !== 'ISTIO_MUTUAL';
  let status: ChipStatus = contradicts ? 'bad' : 'attention';
  if (props.mode === 'ISTIO_MUTUAL') {
    status = 'good';
  }
  const chip = (
    <Chip
      size="small"
      label={props.mode}
      className={`${classes.chip} ${classes[status]}`}
    />
  );
  return contradicts ? (
    <Tooltip
      title={`The workload requires STRICT mTLS; with ${props.mode} clients do not present the mesh certificate and are refused`}
    >
      {chip}
    </Tooltip>
  ) : (
    chip
  );
}

function Row(props: { label: string; children: ReactNode }) {
  return (
    <TableRow>
      <TableCell
        component="th"
        scope="row"
        style={{ width: '20%', verticalAlign: 'top' }}
      >
        {props.label}
      </TableCell>
      <TableCell>{props.children}</TableCell>
    </TableRow>
  );
}

function DestinationRuleSettings(props: {
  rule: ResilienceView;
  view: IstioWorkloadView;
}) {
  const { rule, view } = props;
  const classes = useStatusChipStyles();
  return (
    <Box mb={2}>
      <Typography variant="body2">
        DestinationRule <strong>{rule.destinationRule}</strong>
        {rule.host !== view.host && ` for ${rule.host}`}
      </Typography>
      <Table
        size="small"
        aria-label={`DestinationRule ${rule.destinationRule}`}
      >
        <TableBody>
          <Row label="TLS mode">
            <TlsMode mode={rule.tlsMode} mtlsMode={view.mtls.mode} />
          </Row>
          <Row label="Subsets">
            {rule.subsets.length === 0 ? (
              <Typography
                variant="body2"
                color="textSecondary"
                component="span"
              >
                none
              </Typography>
            ) : (
              rule.subsets.map(subset => (
                <Chip
                  key={subset.name}
                  size="small"
                  label={`${subset.name}: ${
                    Object.entries(subset.labels)
                      .map(([key, value]) => `${key}=${value}`)
                      .join(', ') || 'all pods'
                  }`}
                  className={classes.chip}
                />
              ))
            )}
          </Row>
          <Row label="Outlier detection">
            <Settings
              settings={rule.outlierDetection}
              missing="none: failing pods keep receiving traffic"
            />
          </Row>
          <Row label="Connection pool">
            <Settings
              settings={rule.connectionPool}
              missing="none: no limit on connections or pending requests"
            />
          </Row>
          {rule.loadBalancer && (
            <Row label="Load balancer">
              <Settings settings={rule.loadBalancer} missing="" />
            </Row>
          )}
        </TableBody>
      </Table>
    </Box>
  );
}

/** What the DestinationRules of the workload's host do: TLS, subsets, outlier detection, limits. */
export function IstioResilience(props: { view: IstioWorkloadView }) {
  const { view } = props;
  return (
    <>
      {view.resilience.length === 0 && (
        <Typography variant="body2" color="error">
          No DestinationRule for {view.host}: no outlier detection and no
          connection limits.
        </Typography>
      )}
      {view.resilience.map(rule => (
        <DestinationRuleSettings
          key={rule.destinationRule}
          rule={rule}
          view={view}
        />
      ))}
    </>
  );
}
