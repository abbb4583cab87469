import type { IstioWorkloadView } from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { IstioCallers } from './IstioCallers';
import { IstioForbiddenWarning } from './IstioForbiddenWarning';
import { IstioMtls } from './IstioMtls';
import { IstioObjects } from './IstioObjects';
import { IstioResilience } from './IstioResilience';
import { IstioSubsection } from './IstioSubsection';
import { useStatusChipStyles } from './statusChipStyles';
import { TrafficRoutesTable } from './TrafficRoutesTable';

function InjectionChip(props: { injection: IstioWorkloadView['injection'] }) {
  const { injection } = props;
  const classes = useStatusChipStyles();
  if (injection.unknown) {
    return (
      <Tooltip title="The Namespace could not be read: see the missing permissions below">
        <Chip size="small" label="sidecar injection unknown" className={classes.chip} />
      </Tooltip>
    );
  }
  if (!injection.enabled) {
    return (
      <Tooltip
        title={
          injection.label === 'disabled'
            ? 'The namespace is labelled istio-injection=disabled: pods run without a sidecar'
            : 'The namespace has neither istio-injection=enabled nor istio.io/rev: pods run without a sidecar'
        }
      >
        <Chip
          size="small"
          label="sidecar injection off"
          className={`${classes.chip} ${classes.bad}`}
        />
      </Tooltip>
    );
  }
  return (
    <Chip
      size="small"
      label={
        injection.revision && injection.label !== 'enabled'
          ? `sidecar injection: revision ${injection.revision}`
          : 'sidecar injection on'
      }
      className={`${classes.chip} ${classes.good}`}
    />
  );
}

function labels(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}

function ServiceLine(props: { view: IstioWorkloadView }) {
  const { service, workloadLabels } = props.view;
  return (
    <Typography variant="body2" color="textSecondary">
      {service
        ? `Service ${service.name}: ${
            service.ports
              .map(
                port =>
                  `${port.port}${port.name ? `/${port.name}` : ''} → ${
                    port.targetPort ?? port.port
                  }`,
              )
              .join(', ') || 'no ports'
          } · `
        : 'No Kubernetes Service found · '}
      pods selected by {labels(workloadLabels) || 'nothing'}
    </Typography>
  );
}

/** Everything the mesh does for the workload in one cluster. */
export function IstioWorkloadDetails(props: { view: IstioWorkloadView }) {
  const { view } = props;
  return (
    <Box
      component="section"
      mb={4}
      aria-label={`Istio workload ${view.host} in cluster ${view.cluster}`}
    >
      <Box
        display="flex"
        alignItems="baseline"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <Typography variant="h6" component="h3">
          {view.host}
        </Typography>
        <Typography variant="body2" color="textSecondary" component="span">
          cluster {view.cluster}, namespace {view.namespace}
        </Typography>
        <InjectionChip injection={view.injection} />
      </Box>
      <ServiceLine view={view} />
      <Box mt={1}>
        <IstioForbiddenWarning
          forbidden={view.forbidden}
          cluster={view.cluster}
        />
      </Box>
      <IstioMtls view={view} />
      <IstioCallers view={view} />
      <IstioSubsection title="Traffic rules">
        <TrafficRoutesTable view={view} />
      </IstioSubsection>
      <IstioSubsection title="Resilience">
        <IstioResilience view={view} />
      </IstioSubsection>
      <IstioSubsection title="Objects">
        <IstioObjects objects={view.objects} />
      </IstioSubsection>
    </Box>
  );
}
