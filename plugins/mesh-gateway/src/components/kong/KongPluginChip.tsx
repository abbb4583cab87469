import type { KongEffectivePlugin } from '@internal/plugin-mesh-gateway-common';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { makeStyles } from '@material-ui/core/styles';

const useStyles = makeStyles(theme => ({
  chip: { margin: theme.spacing(0.25) },
  disabled: {
    color: theme.palette.text.disabled,
    borderColor: theme.palette.text.disabled,
    textDecoration: 'line-through',
  },
}));

const scopeText: Record<KongEffectivePlugin['scope'], string> = {
  route: 'attached to this route',
  service: 'attached to the service',
  global: 'global, runs for every route',
  consumer: 'attached to a consumer',
  'consumer-group': 'attached to a consumer group',
};

export function describePlugin(plugin: KongEffectivePlugin): string {
  const parts = [`${plugin.name}: ${scopeText[plugin.scope]}`];
  if (!plugin.enabled) {
    parts.push('disabled');
  }
  if (plugin.overrides.length > 0) {
    parts.push(
      `overrides ${plugin.overrides.length} broader-scoped ${plugin.name}`,
    );
  }
  return parts.join(', ');
}

/** A plugin that runs for a route, greyed and struck through when disabled. */
export function KongPluginChip(props: { plugin: KongEffectivePlugin }) {
  const { plugin } = props;
  const classes = useStyles();
  return (
    <Tooltip title={describePlugin(plugin)}>
      <Chip
        size="small"
        variant="outlined"
        color={plugin.enabled ? 'primary' : 'default'}
        label={plugin.name}
        className={`${classes.chip} ${plugin.enabled ? '' : classes.disabled}`}
      />
    </Tooltip>
  );
}
