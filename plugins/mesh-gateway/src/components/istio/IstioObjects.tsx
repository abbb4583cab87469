import { useId, useState } from 'react';
import { CodeSnippet } from '@backstage/core-components';
import type { KubernetesObjectView } from '@internal/plugin-mesh-gateway-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import { objectTitle, objectToYaml } from './objectYaml';

function ObjectYamlDialog(props: {
  object: KubernetesObjectView;
  onClose: () => void;
}) {
  const { object, onClose } = props;
  const titleId = useId();
  return (
    <Dialog
      open
      onClose={onClose}
      maxWidth="md"
      fullWidth
      aria-labelledby={titleId}
    >
      <DialogTitle id={titleId}>{objectTitle(object)}</DialogTitle>
      <DialogContent dividers>
        <CodeSnippet
          text={objectToYaml(object)}
          language="yaml"
          showLineNumbers
          showCopyCodeButton
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}

/** The Kubernetes objects read for the workload, each one's YAML one click away (read-only). */
export function IstioObjects(props: { objects: KubernetesObjectView[] }) {
  const [shown, setShown] = useState<KubernetesObjectView>();
  return (
    <>
      <Table size="small" aria-label="Kubernetes objects">
        <TableHead>
          <TableRow>
            <TableCell>Kind</TableCell>
            <TableCell>Name</TableCell>
            <TableCell>API version</TableCell>
            <TableCell>Created</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {props.objects.map(object => (
            <TableRow key={`${object.apiVersion}/${objectTitle(object)}`}>
              <TableCell>{object.kind}</TableCell>
              <TableCell>
                {object.metadata.namespace
                  ? `${object.metadata.namespace}/${object.metadata.name}`
                  : object.metadata.name}
              </TableCell>
              <TableCell>{object.apiVersion}</TableCell>
              <TableCell>
                {object.metadata.creationTimestamp
                  ? new Date(object.metadata.creationTimestamp).toLocaleString()
                  : ''}
              </TableCell>
              <TableCell align="right">
                <Button
                  size="small"
                  onClick={() => setShown(object)}
                  aria-label={`YAML of ${objectTitle(object)}`}
                >
                  YAML
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {shown && (
        <ObjectYamlDialog object={shown} onClose={() => setShown(undefined)} />
      )}
    </>
  );
}
