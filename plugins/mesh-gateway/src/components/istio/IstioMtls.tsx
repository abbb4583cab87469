import type { IstioWorkloadView } from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { IstioSubsection } from './IstioSubsection';
import { MtlsModeChip } from './MtlsModeChip';
import { describeMtlsOrigin, describePortOrigin } from './mtlsOrigin';

/** The mTLS mode the workload accepts, where it comes from, and the mode of each port. */
export function IstioMtls(props: { view: IstioWorkloadView }) {
  const { view } = props;
  const { mtls } = view;
  return (
    <IstioSubsection title="Mutual TLS">
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        style={{ gap: 8 }}
      >
        <MtlsModeChip mode={mtls.mode} />
        <Typography variant="body2" component="span">
          {describeMtlsOrigin(view)}
        </Typography>
      </Box>
      {mtls.ports.length > 0 && (
        <Box display="flex" alignItems="center" flexWrap="wrap" mt={1}>
          <Typography
            variant="body2"
            component="span"
            style={{ marginRight: 8 }}
          >
            Per Service port:
          </Typography>
          {mtls.ports.map(port => (
            <MtlsModeChip
              key={port.port}
              mode={port.mode}
              label={
                port.name ? `${port.port}/${port.name}` : String(port.port)
              }
              title={describePortOrigin(view, port)}
            />
          ))}
        </Box>
      )}
      {mtls.ignored.length > 0 && (
        <Box mt={1}>
          <Typography variant="body2" color="textSecondary">
            Present but without effect:
          </Typography>
          <Box component="ul" m={0} pl={2}>
            {mtls.ignored.map(entry => (
              <li key={entry.policy}>
                <Typography variant="body2" color="textSecondary">
                  <code>{entry.policy}</code>: {entry.reason}
                </Typography>
              </li>
            ))}
          </Box>
        </Box>
      )}
    </IstioSubsection>
  );
}
