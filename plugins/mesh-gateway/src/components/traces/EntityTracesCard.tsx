import { EmptyState, InfoCard, Link } from '@backstage/core-components';
import {
  KUBERNETES_ANNOTATIONS,
  MESH_GATEWAY_ANNOTATIONS,
  SectionResult,
  TracesSection,
} from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { count } from '../format';
import { FindingsList } from '../findings';
import { RefreshButton, SectionView, useMeshSection } from '../shared';
import { formatWindow, webHref } from './format';
import { HopBreakdownBar } from './HopBreakdownBar';
import { SloTiles } from './SloTiles';
import { OperationTable, TraceTable } from './TraceTables';

const serviceSources: Record<TracesSection['serviceSource'], string> = {
  annotation: MESH_GATEWAY_ANNOTATIONS.tracingService,
  'kubernetes-id': KUBERNETES_ANNOTATIONS.id,
  'entity-name': 'the entity name',
};

function Heading(props: { children: string }) {
  return (
    <Box mt={3} mb={1}>
      <Typography variant="h6" component="h3">
        {props.children}
      </Typography>
    </Box>
  );
}

function TracesDetails(props: {
  data: TracesSection;
  result: SectionResult<TracesSection>;
}) {
  const { data, result } = props;
  const window = formatWindow(data.window.durationMs);
  const search = webHref(data.searchUrl);
  return (
    <>
      <Typography variant="body1">
        <strong>{data.service}</strong> in {data.instance} (
        {data.kind === 'jaeger-v3' ? 'Jaeger /api/v3' : 'Jaeger /api'}), last{' '}
        {window}: {count(data.traceCount, 'trace')},{' '}
        {count(data.spanCount, 'span')}.{' '}
        {search && <Link to={search}>Open in Jaeger</Link>}
      </Typography>
      <Typography variant="caption" color="textSecondary" component="p">
        Service name from {serviceSources[data.serviceSource]}
        {data.window.source === 'annotation' &&
          `; window from ${MESH_GATEWAY_ANNOTATIONS.tracingWindow}`}
        .
      </Typography>
      {data.truncated && (
        <Typography variant="body2" color="textSecondary" paragraph>
          The search returned its limit of {data.limit} traces: the numbers
          describe the latest {data.limit}.
        </Typography>
      )}

      {data.traceCount === 0 ? (
        <EmptyState
          missing="data"
          title={`No traces in the last ${window}`}
          description={`Jaeger has no trace of ${data.service} between ${new Date(data.window.start).toLocaleString()} and ${new Date(data.window.end).toLocaleString()}.`}
        />
      ) : (
        <>
          <Box mt={2}>
            <SloTiles data={data} />
          </Box>

          <Heading>Gateway → mesh → service</Heading>
          {data.hops ? (
            <HopBreakdownBar hops={data.hops} />
          ) : (
            <Typography variant="body2" color="textSecondary">
              No request came through Kong in the window.
            </Typography>
          )}

          <Heading>Slowest operations</Heading>
          <OperationTable operations={data.slowestOperations} />

          <Heading>Slowest traces</Heading>
          <TraceTable
            label="Slowest traces"
            traces={data.slowestTraces}
            empty="No traces."
          />

          <Heading>Latest failed traces</Heading>
          <TraceTable
            label="Failed traces"
            traces={data.failedTraces}
            empty={`No failed trace in the last ${window}.`}
          />
        </>
      )}

      <Heading>Findings</Heading>
      <FindingsList findings={result.findings} />
      <Box mt={2}>
        <Typography variant="caption" color="textSecondary">
          Read from {data.instance} at{' '}
          {new Date(result.fetchedAt).toLocaleString()}
        </Typography>
      </Box>
    </>
  );
}

/**
 * The entity's service as its traces show it: latency percentiles and error rate against the
 * SLO, how requests come in through Kong and the mesh, the slowest and failed traces with links
 * into Jaeger, and what breaks the baseline.
 *
 * @public
 */
export function EntityTracesCard() {
  const state = useMeshSection('traces');
  return (
    <InfoCard
      title="Traces"
      action={<RefreshButton onClick={state.retry} disabled={state.loading} />}
    >
      <SectionView
        title="Traces"
        state={state}
        annotation={MESH_GATEWAY_ANNOTATIONS.tracingService}
      >
        {(data, result) => <TracesDetails data={data} result={result} />}
      </SectionView>
    </InfoCard>
  );
}
