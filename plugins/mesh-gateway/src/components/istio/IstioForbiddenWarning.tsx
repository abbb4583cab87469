import { WarningPanel } from '@backstage/core-components';
import type { IstioWorkloadView } from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { count } from '../format';

/**
 * Resource types the backend's service account may not list: what it shows leaves them out,
 * so the effective results may be wrong until the named RBAC rule is granted.
 */
export function IstioForbiddenWarning(props: {
  forbidden: IstioWorkloadView['forbidden'];
  cluster: string;
}) {
  const { forbidden, cluster } = props;
  if (forbidden.length === 0) {
    return null;
  }
  return (
    <Box mb={2}>
      <WarningPanel
        severity="warning"
        title={`The backend may not read ${count(forbidden.length, 'resource list')} in cluster ${cluster}: this view leaves them out`}
        defaultExpanded
      >
        <Box>
          <Typography variant="body2">
            Grant the backend&apos;s service account these RBAC rules (a Role in
            each namespace, or a ClusterRole):
          </Typography>
          <Box component="ul" m={0} pl={2}>
            {forbidden.map(entry => (
              <li key={`${entry.resource} ${entry.namespace}`}>
                <Typography variant="body2">
                  <strong>{entry.resource}</strong> in {entry.namespace}:{' '}
                  <code>{entry.need}</code>
                </Typography>
              </li>
            ))}
          </Box>
        </Box>
      </WarningPanel>
    </Box>
  );
}
