import type { CertificateHealth } from '@internal/plugin-mesh-gateway-common';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { ChipStatus, useStatusChipStyles } from '../istio/statusChipStyles';

const healthStatus: Record<CertificateHealth, ChipStatus> = {
  ok: 'good',
  warning: 'attention',
  critical: 'bad',
  expired: 'bad',
  error: 'neutral',
};

/** A certificate's health as a badge: ok green, warning amber, critical and expired red. */
export function HealthChip(props: {
  health: CertificateHealth;
  title?: string;
}) {
  const { health, title } = props;
  const classes = useStatusChipStyles();
  const chip = (
    <Chip
      size="small"
      label={health}
      className={`${classes.chip} ${classes[healthStatus[health]]}`}
    />
  );
  return title ? <Tooltip title={title}>{chip}</Tooltip> : chip;
}
