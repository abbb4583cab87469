import { ReactNode } from 'react';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import type {
  SectionError,
  SectionResult,
} from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

export interface SectionViewProps<T> {
  /** What the section reads, e.g. `Kong`. */
  title: string;
  state: { loading: boolean; error?: Error; value?: SectionResult<T> };
  /** The annotation to suggest when the section is not configured for the entity. */
  annotation: string;
  /** Annotations that work instead of `annotation`, named below the suggestion. */
  alternativeAnnotations?: string[];
  children: (data: T, result: SectionResult<T>) => ReactNode;
}

/**
 * The states every section card shares: loading, a failed request, a section that is not
 * configured or failed upstream, and partial failures above the data.
 */
export function SectionView<T>(props: SectionViewProps<T>) {
  const {
    title,
    state,
    annotation,
    alternativeAnnotations = [],
    children,
  } = props;
  const { loading, error, value } = state;

  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (!value) {
    return loading ? <Progress /> : null;
  }

  const progress = loading ? <Progress /> : null;

  if (value.status === 'not-configured') {
    if (value.missing?.configKey) {
      return (
        <>
          {progress}
          <EmptyState
            missing="field"
            title={`${title} is not configured`}
            description={`The mesh-gateway backend has no ${value.missing.configKey} in its app-config.`}
          />
        </>
      );
    }
    return (
      <>
        {progress}
        <MissingAnnotationEmptyState annotation={annotation} />
        {alternativeAnnotations.length > 0 && (
          <Typography variant="body2" color="textSecondary">
            Instead of <code>{annotation}</code> you can use{' '}
            {alternativeAnnotations.map((alternative, i) => (
              <span key={alternative}>
                {i > 0 && ' or '}
                <code>{alternative}</code>
              </span>
            ))}
            .
          </Typography>
        )}
      </>
    );
  }

  if (value.status === 'error' || !value.data) {
    return (
      <>
        {progress}
        <WarningPanel
          severity="error"
          title={`${title} could not be read`}
          defaultExpanded
        >
          <SectionErrorList errors={value.errors ?? []} />
        </WarningPanel>
      </>
    );
  }

  return (
    <>
      {progress}
      {value.errors && value.errors.length > 0 && (
        <Box mb={2}>
          <WarningPanel
            severity="warning"
            title={`Part of ${title} could not be read`}
          >
            <SectionErrorList errors={value.errors} />
          </WarningPanel>
        </Box>
      )}
      {children(value.data, value)}
    </>
  );
}

function SectionErrorList(props: { errors: SectionError[] }) {
  if (props.errors.length === 0) {
    return <Typography variant="body2">The backend gave no reason.</Typography>;
  }
  return (
    <Box component="ul" m={0} pl={2}>
      {props.errors.map((error, i) => (
        <li key={i}>
          <Typography variant="body2">
            {error.instance && <strong>{error.instance}: </strong>}
            {error.message}{' '}
            <Typography
              component="span"
              variant="caption"
              color="textSecondary"
            >
              ({error.name})
            </Typography>
          </Typography>
        </li>
      ))}
    </Box>
  );
}
