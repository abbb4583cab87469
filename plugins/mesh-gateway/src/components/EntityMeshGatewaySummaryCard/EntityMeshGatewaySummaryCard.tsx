import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StatusAborted,
  StatusError,
  StatusOK,
  StatusWarning,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { rootRouteRef } from '../../routes';
import { RefreshButton, useMeshOverview } from '../shared';
import { summarizeSection, SummaryStatus } from './sectionSummaries';

const statusIcon: Record<SummaryStatus, typeof StatusOK> = {
  ok: StatusOK,
  warning: StatusWarning,
  error: StatusError,
  'not-configured': StatusAborted,
};

/** The Mesh tab's address, when the app shows the tab. */
function useMeshTabLink(): string | undefined {
  try {
    // Throws when the app has not mounted the Mesh tab; the card then links nowhere.
    return useRouteRef(rootRouteRef)();
  } catch {
    return undefined;
  }
}

/**
 * One line per mesh section of the entity (for example "Kong: 2 routes on 1 service,
 * 3 findings (1 critical)"), with a link to the Mesh tab.
 *
 * @public
 */
export function EntityMeshGatewaySummaryCard() {
  const { loading, error, value, retry } = useMeshOverview();
  const meshTabLink = useMeshTabLink();

  let content;
  if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!value) {
    content = loading ? <Progress /> : null;
  } else {
    const summaries = Object.entries(value.sections).flatMap(
      ([name, result]) => (result ? [summarizeSection(name, result)] : []),
    );
    content = (
      <>
        {loading && <Progress />}
        <List dense disablePadding>
          {summaries.map(summary => {
            const Icon = statusIcon[summary.status];
            return (
              <ListItem key={summary.title} disableGutters>
                <Icon />
                <Typography variant="body2" component="span">
                  <strong>{summary.title}:</strong> {summary.text}
                </Typography>
              </ListItem>
            );
          })}
        </List>
      </>
    );
  }

  return (
    <InfoCard
      title="Gateway and mesh"
      action={<RefreshButton onClick={retry} disabled={loading} />}
      deepLink={
        meshTabLink
          ? { title: 'Open the Mesh tab', link: meshTabLink }
          : undefined
      }
    >
      {content}
    </InfoCard>
  );
}
