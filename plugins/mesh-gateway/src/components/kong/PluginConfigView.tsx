import { CodeSnippet } from '@backstage/core-components';
import { REDACTED } from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import LockIcon from '@material-ui/icons/Lock';

/** Dotted paths of every value the backend replaced with {@link REDACTED}. */
export function redactedPaths(value: unknown, path: string[] = []): string[] {
  if (value === REDACTED) {
    return [path.join('.')];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => redactedPaths(item, [...path, `[${i}]`]));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      redactedPaths(item, [...path, key]),
    );
  }
  return [];
}

const redactedLiteral = JSON.stringify(REDACTED);

/**
 * A plugin's configuration as read-only JSON. Secret fields arrive from the backend as
 * `<redacted>`; their lines are highlighted and named above the JSON.
 */
export function PluginConfigView(props: { config: Record<string, unknown> }) {
  const text = JSON.stringify(props.config, null, 2);
  const paths = redactedPaths(props.config).map(path =>
    path.replace(/\.\[/g, '['),
  );
  const redactedLines = text
    .split('\n')
    .flatMap((line, i) => (line.includes(redactedLiteral) ? [i + 1] : []));
  return (
    <Box p={2}>
      {paths.length > 0 && (
        <Box display="flex" alignItems="center" mb={1} style={{ gap: 4 }}>
          <LockIcon fontSize="small" color="action" />
          <Typography variant="body2">
            Secret, not sent to the browser (shown as {REDACTED}):{' '}
            {paths.map((path, i) => (
              <span key={path}>
                {i > 0 && ', '}
                <code>{path}</code>
              </span>
            ))}
          </Typography>
        </Box>
      )}
      <CodeSnippet
        text={text}
        language="json"
        showLineNumbers
        highlightedNumbers={redactedLines}
      />
    </Box>
  );
}
