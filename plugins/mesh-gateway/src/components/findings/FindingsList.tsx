import { useMemo, useState } from 'react';
import { Finding, sortFindings } from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { SeverityChip } from './SeverityChip';

const useStyles = makeStyles(theme => ({
  item: {
    display: 'block',
    paddingLeft: 0,
    paddingRight: 0,
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  heading: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
  },
  object: {
    fontFamily: 'monospace',
    wordBreak: 'break-all',
  },
}));

export interface FindingsListProps {
  findings: Finding[];
  /** How many findings show before "Show all"; the rest stay one click away. */
  initiallyShown?: number;
}

/**
 * Findings most severe first, each with the object it is about, what is wrong and how to fix it.
 */
export function FindingsList(props: FindingsListProps) {
  const { findings, initiallyShown = 10 } = props;
  const classes = useStyles();
  const [showAll, setShowAll] = useState(false);
  const sorted = useMemo(() => sortFindings(findings), [findings]);

  if (sorted.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No findings: everything checked meets the baseline.
      </Typography>
    );
  }

  const shown = showAll ? sorted : sorted.slice(0, initiallyShown);
  return (
    <>
      <List dense disablePadding aria-label="Findings">
        {shown.map((finding, i) => (
          <ListItem
            key={`${finding.code}:${finding.object}:${i}`}
            className={classes.item}
          >
            <Box className={classes.heading}>
              <SeverityChip severity={finding.severity} />
              <Typography variant="subtitle2" component="span">
                {finding.code}
              </Typography>
              {finding.istioctlCode && (
                <Typography
                  variant="caption"
                  color="textSecondary"
                  component="span"
                >
                  (istioctl {finding.istioctlCode})
                </Typography>
              )}
              <Typography
                variant="body2"
                component="span"
                className={classes.object}
              >
                {finding.object}
              </Typography>
            </Box>
            <Typography variant="body2">{finding.message}</Typography>
            <Typography variant="body2" color="textSecondary">
              Fix: {finding.fix}
            </Typography>
          </ListItem>
        ))}
      </List>
      {sorted.length > shown.length && (
        <Button size="small" onClick={() => setShowAll(true)}>
          Show all {sorted.length} findings
        </Button>
      )}
    </>
  );
}
