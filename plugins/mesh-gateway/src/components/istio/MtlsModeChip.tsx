import type { MtlsMode } from '@internal/plugin-mesh-gateway-common';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { ChipStatus, useStatusChipStyles } from './statusChipStyles';

type EffectiveMode = Exclude<MtlsMode, 'UNSET'>;

const modeStatus: Record<EffectiveMode, ChipStatus> = {
  STRICT: 'good',
  PERMISSIVE: 'attention',
  DISABLE: 'bad',
};

const modeMeaning: Record<EffectiveMode, string> = {
  STRICT: 'only mutual TLS is accepted',
  PERMISSIVE: 'plain text is accepted as well as mutual TLS',
  DISABLE: 'mutual TLS is off: plain text only',
};

/** An mTLS mode as a badge: STRICT green, PERMISSIVE amber, DISABLE red. */
export function MtlsModeChip(props: {
  mode: EffectiveMode;
  /** Text before the mode, e.g. the port. */
  label?: string;
  /** Replaces the default tooltip (what the mode means). */
  title?: string;
}) {
  const { mode, label, title } = props;
  const classes = useStatusChipStyles();
  return (
    <Tooltip title={title ?? `${mode}: ${modeMeaning[mode]}`}>
      <Chip
        size="small"
        label={label ? `${label} ${mode}` : mode}
        className={`${classes.chip} ${classes[modeStatus[mode]]}`}
      />
    </Tooltip>
  );
}
