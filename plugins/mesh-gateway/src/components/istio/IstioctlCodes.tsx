import type { Finding } from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { useStatusChipStyles } from './statusChipStyles';

/**
 * The `istioctl analyze` messages the findings correspond to, each a chip linking to Istio's
 * reference for the message, for comparing with what istioctl or Kiali report.
 */
export function IstioctlCodes(props: { findings: Finding[] }) {
  const classes = useStatusChipStyles();
  const byCode = new Map<string, Finding[]>();
  for (const finding of props.findings) {
    if (finding.istioctlCode) {
      byCode.set(finding.istioctlCode, [
        ...(byCode.get(finding.istioctlCode) ?? []),
        finding,
      ]);
    }
  }
  if (byCode.size === 0) {
    return null;
  }
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" mb={1}>
      <Typography variant="body2" component="span" style={{ marginRight: 8 }}>
        istioctl analyze would report:
      </Typography>
      {[...byCode]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([code, findings]) => (
          <Tooltip
            key={code}
            title={findings.map(f => `${f.code} on ${f.object}`).join('; ')}
          >
            <Chip
              size="small"
              component="a"
              clickable
              href={`https://istio.io/latest/docs/reference/config/analysis/${code.toLocaleLowerCase('en-US')}/`}
              target="_blank"
              rel="noopener noreferrer"
              label={findings.length > 1 ? `${code} ×${findings.length}` : code}
              className={`${classes.chip} ${classes.code}`}
            />
          </Tooltip>
        ))}
    </Box>
  );
}
