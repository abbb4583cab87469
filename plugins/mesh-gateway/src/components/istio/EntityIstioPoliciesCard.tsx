import { EmptyState, InfoCard } from '@backstage/core-components';
import {
  IstioSection,
  KUBERNETES_ANNOTATIONS,
  MESH_GATEWAY_ANNOTATIONS,
  SectionResult,
} from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { FindingsList } from '../findings';
import { RefreshButton, SectionView, useMeshSection } from '../shared';
import { IstioctlCodes } from './IstioctlCodes';
import { IstioWorkloadDetails } from './IstioWorkloadDetails';

function IstioPolicies(props: {
  data: IstioSection;
  result: SectionResult<IstioSection>;
}) {
  const { data, result } = props;
  return (
    <>
      {data.workloads.length === 0 && (
        <EmptyState
          missing="data"
          title="No workload found"
          description="None of the clusters has the entity's namespace."
        />
      )}
      {data.workloads.map(view => (
        <IstioWorkloadDetails key={view.cluster} view={view} />
      ))}
      <Typography variant="h6" component="h3">
        Findings
      </Typography>
      <IstioctlCodes findings={result.findings} />
      <FindingsList findings={result.findings} />
      <Box mt={2}>
        <Typography variant="caption" color="textSecondary">
          Read from Kubernetes at {new Date(result.fetchedAt).toLocaleString()}
        </Typography>
      </Box>
    </>
  );
}

/**
 * What the Istio mesh does for the entity's workload in each cluster: the effective mTLS per
 * port, who may call it, the traffic rules and resilience settings, the objects behind them
 * as YAML, and what breaks the baseline with how to fix it.
 *
 * @public
 */
export function EntityIstioPoliciesCard() {
  const state = useMeshSection('istio');
  return (
    <InfoCard
      title="Istio policies"
      action={<RefreshButton onClick={state.retry} disabled={state.loading} />}
    >
      <SectionView
        title="Istio"
        state={state}
        annotation={KUBERNETES_ANNOTATIONS.id}
        alternativeAnnotations={[
          KUBERNETES_ANNOTATIONS.labelSelector,
          MESH_GATEWAY_ANNOTATIONS.istioHost,
        ]}
      >
        {(data, result) => <IstioPolicies data={data} result={result} />}
      </SectionView>
    </InfoCard>
  );
}
