import type { CertificatesSection } from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { HealthChip } from './HealthChip';
import { describeCertificates } from './summary';

/**
 * The certificates section in one line, with the worst health as a chip: "3 certificates, next
 * expiry in 12 days". Small enough for an overview card.
 *
 * @public
 */
export function CertificatesSummaryLine(props: { data: CertificatesSection }) {
  const { data } = props;
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap">
      {data.summary.worst && <HealthChip health={data.summary.worst} />}
      <Typography variant="body2" component="span">
        {describeCertificates(data)}
      </Typography>
    </Box>
  );
}
