import { Link } from '@backstage/core-components';
import type { KongServiceView } from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { formatMilliseconds } from '../format';
import { KongRoutesTable } from './KongRoutesTable';
import { TargetHealthChips } from './TargetHealthChips';

export function kongServiceName(view: KongServiceView): string {
  return view.service.name ?? view.service.id;
}

function serviceSettings(view: KongServiceView): string {
  const { service } = view;
  const settings = [
    `${service.protocol}://${service.host}:${service.port}${service.path ?? ''}`,
  ];
  if (service.retries !== undefined) {
    settings.push(`retries ${service.retries}`);
  }
  const timeouts = (
    [
      ['connect', service.connect_timeout],
      ['read', service.read_timeout],
      ['write', service.write_timeout],
    ] as [string, number | undefined][]
  ).flatMap(([what, ms]) =>
    ms === undefined ? [] : [`${what} ${formatMilliseconds(ms)}`],
  );
  if (timeouts.length > 0) {
    settings.push(`timeouts ${timeouts.join(', ')}`);
  }
  return settings.join(' · ');
}

/** One Kong service: where it sends traffic, its upstream's health and its routes. */
export function KongServiceDetails(props: { view: KongServiceView }) {
  const { view } = props;
  return (
    <Box
      component="section"
      mb={3}
      aria-label={`Kong service ${kongServiceName(view)}`}
    >
      <Box
        display="flex"
        alignItems="baseline"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <Typography variant="h6" component="h3">
          {kongServiceName(view)}
        </Typography>
        <Typography variant="body2" color="textSecondary" component="span">
          on {view.instance}
          {view.workspace ? `, workspace ${view.workspace}` : ''}
        </Typography>
        {view.service.enabled === false && (
          <Chip size="small" label="service disabled" />
        )}
        {view.managerUrl && (
          <Link to={view.managerUrl}>Open in Kong Manager</Link>
        )}
      </Box>
      <Typography variant="body2">{serviceSettings(view)}</Typography>
      {view.upstream && <TargetHealthChips upstream={view.upstream} />}
      <Box mt={1}>
        <KongRoutesTable routes={view.routes} />
      </Box>
    </Box>
  );
}
