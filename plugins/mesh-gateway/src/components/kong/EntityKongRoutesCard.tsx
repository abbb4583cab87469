import { InfoCard } from '@backstage/core-components';
import type {
  KongSection,
  SectionResult,
} from '@internal/plugin-mesh-gateway-common';
import { MESH_GATEWAY_ANNOTATIONS } from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { FindingsList } from '../findings';
import { RefreshButton, SectionView, useMeshSection } from '../shared';
import { KongNoServices } from './KongNoServices';
import { KongServiceDetails } from './KongServiceDetails';

/** Node problems that are not already errors of the section. */
function nodeProblems(data: KongSection): string[] {
  return data.nodes.flatMap(node => {
    if (node.error) {
      return [`${node.instance}: node status could not be read: ${node.error}`];
    }
    if (node.status?.databaseReachable === false) {
      return [`${node.instance}: Kong cannot reach its database`];
    }
    return [];
  });
}

function KongRoutes(props: {
  data: KongSection;
  result: SectionResult<KongSection>;
}) {
  const { data, result } = props;
  if (data.services.length === 0) {
    return <KongNoServices />;
  }
  const problems = nodeProblems(data);
  return (
    <>
      {problems.map(problem => (
        <Typography key={problem} variant="body2" color="error" paragraph>
          {problem}
        </Typography>
      ))}
      {data.services.map(view => (
        <KongServiceDetails
          key={`${view.instance}/${view.service.id}`}
          view={view}
        />
      ))}
      <Typography variant="h6" component="h3">
        Findings
      </Typography>
      <FindingsList findings={result.findings} />
      <Box mt={2}>
        <Typography variant="caption" color="textSecondary">
          Read from Kong at {new Date(result.fetchedAt).toLocaleString()}
        </Typography>
      </Box>
    </>
  );
}

/**
 * The entity's Kong routes per Kong service: matching rules, the plugins that run for each,
 * upstream target health, and what breaks the baseline.
 *
 * @public
 */
export function EntityKongRoutesCard() {
  const state = useMeshSection('kong');
  return (
    <InfoCard
      title="Kong routes"
      action={<RefreshButton onClick={state.retry} disabled={state.loading} />}
    >
      <SectionView
        title="Kong"
        state={state}
        annotation={MESH_GATEWAY_ANNOTATIONS.kongServices}
        alternativeAnnotations={[MESH_GATEWAY_ANNOTATIONS.kongTags]}
      >
        {(data, result) => <KongRoutes data={data} result={result} />}
      </SectionView>
    </InfoCard>
  );
}
