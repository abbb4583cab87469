import { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';

/** A titled part of a workload's view, a region named by its title. */
export function IstioSubsection(props: { title: string; children: ReactNode }) {
  return (
    <Box component="section" mt={2} aria-label={props.title}>
      <Typography variant="subtitle1" component="h4" gutterBottom>
        <strong>{props.title}</strong>
      </Typography>
      {props.children}
    </Box>
  );
}
