import { useMemo } from 'react';
import {
  DependencyGraph,
  DependencyGraphTypes,
  EmptyState,
  InfoCard,
} from '@backstage/core-components';
import {
  MESH_GATEWAY_ANNOTATIONS,
  ServiceGraph,
  ServiceGraphNode,
  TracesSection,
} from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { count } from '../format';
import { RefreshButton, SectionView, useMeshSection } from '../shared';
import { formatWindow } from '../traces/format';
import { ServiceNode } from './ServiceNode';

interface CallEdge {
  callCount: number;
}

const SOURCES: Record<ServiceGraph['source'], string> = {
  'dependencies-api': "Jaeger's dependencies",
  'trace-spans': "the service's traces",
};

function Graph(props: { graph: ServiceGraph; data: TracesSection }) {
  const { graph, data } = props;
  const edges = useMemo(
    () =>
      graph.edges.map(edge => ({
        from: edge.from,
        to: edge.to,
        callCount: edge.callCount,
        label: count(edge.callCount, 'call'),
      })),
    [graph.edges],
  );
  const window = formatWindow(data.window.durationMs);

  if (graph.edges.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No calls in the window"
        description={`Neither ${data.service} nor anything calling it shows a call to another service in the last ${window}.`}
      />
    );
  }
  return (
    <>
      <Box aria-label={`Service graph of ${data.service}`} role="figure">
        <DependencyGraph<ServiceGraphNode, CallEdge>
          nodes={graph.nodes}
          edges={edges}
          renderNode={ServiceNode}
          direction={DependencyGraphTypes.Direction.LEFT_RIGHT}
          labelPosition={DependencyGraphTypes.LabelPosition.CENTER}
          paddingX={16}
          paddingY={16}
          rankMargin={80}
          showArrowHeads
          fit="contain"
          zoom="enable-on-click"
          style={{ height: 320 }}
        />
      </Box>
      <Typography variant="caption" color="textSecondary">
        Calls in the last {window}, from {SOURCES[graph.source]}; Envoy sidecars
        are folded into the services they serve.
      </Typography>
    </>
  );
}

/**
 * The services the entity's service calls and is called by, with the calls among them, as the
 * tracing backend saw them; the entity's own service is highlighted.
 *
 * @public
 */
export function EntityServiceGraphCard() {
  const state = useMeshSection('traces');
  return (
    <InfoCard
      title="Service graph"
      action={<RefreshButton onClick={state.retry} disabled={state.loading} />}
    >
      <SectionView
        title="Traces"
        state={state}
        annotation={MESH_GATEWAY_ANNOTATIONS.tracingService}
      >
        {data =>
          data.dependencies ? (
            <Graph graph={data.dependencies} data={data} />
          ) : (
            <EmptyState
              missing="data"
              title="The service graph could not be read"
              description="The tracing backend answered the trace search but not the dependencies (see above)."
            />
          )
        }
      </SectionView>
    </InfoCard>
  );
}
