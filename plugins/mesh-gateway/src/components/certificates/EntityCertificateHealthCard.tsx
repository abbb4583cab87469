import { useMemo } from 'react';
import { EmptyState, InfoCard } from '@backstage/core-components';
import {
  CertificateHealth,
  CertificateRow,
  CertificateRowSource,
  CertificatesSection,
  CertificateSourceResult,
  Finding,
  KUBERNETES_ANNOTATIONS,
  MESH_GATEWAY_ANNOTATIONS,
  SectionResult,
  SharedRootView,
  sortFindings,
  TlsProbeView,
} from '@internal/plugin-mesh-gateway-common';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { FindingsList } from '../findings';
import { SeverityChip } from '../findings/SeverityChip';
import { count } from '../format';
import { ChipStatus, useStatusChipStyles } from '../istio/statusChipStyles';
import { RefreshButton, SectionView, useMeshSection } from '../shared';
import { CertificatesSummaryLine } from './CertificatesSummaryLine';
import { HealthChip } from './HealthChip';

const useStyles = makeStyles(theme => ({
  names: { fontFamily: 'monospace', wordBreak: 'break-all' },
  finding: { marginTop: theme.spacing(0.5) },
  cell: { verticalAlign: 'top' },
  /** Dates, day counts and chips stay on one line; the names and findings take the rest. */
  nowrap: { verticalAlign: 'top', whiteSpace: 'nowrap' },
  source: { verticalAlign: 'top', maxWidth: 220, wordBreak: 'break-word' },
}));

const URGENCY: Record<CertificateHealth, number> = {
  expired: 0,
  critical: 1,
  error: 2,
  warning: 3,
  ok: 4,
};

/** Most urgent first: expired, critical, error, warning, ok; then fewest days left. */
export function byUrgency(a: CertificateRow, b: CertificateRow): number {
  return (
    URGENCY[a.health] - URGENCY[b.health] ||
    (a.daysLeft ?? Number.MAX_SAFE_INTEGER) -
      (b.daysLeft ?? Number.MAX_SAFE_INTEGER)
  );
}

const sourceNames: Record<CertificateRowSource['kind'], string> = {
  'tls-probe': 'Live TLS',
  kong: 'Kong',
  'cert-manager': 'cert-manager',
  'istio-root': 'Istio root',
};

function commonNameOf(distinguishedName?: string): string | undefined {
  return distinguishedName?.match(/(?:^|\n|, )CN=([^\n,]*)/)?.[1];
}

function Heading(props: { children: string }) {
  return (
    <Box mt={3} mb={1}>
      <Typography variant="h6" component="h3">
        {props.children}
      </Typography>
    </Box>
  );
}

function RowFindings(props: { findings: Finding[] }) {
  const classes = useStyles();
  return (
    <>
      {props.findings.map(finding => (
        <Box
          key={`${finding.code}:${finding.object}`}
          className={classes.finding}
        >
          <Typography variant="body2" component="div">
            <SeverityChip severity={finding.severity} />{' '}
            <strong>{finding.code}</strong> {finding.message}
          </Typography>
          <Typography variant="body2" color="textSecondary">
            Fix: {finding.fix}
          </Typography>
        </Box>
      ))}
    </>
  );
}

function CertificateTable(props: {
  rows: CertificateRow[];
  findings: Finding[];
}) {
  const classes = useStyles();
  const rows = useMemo(() => [...props.rows].sort(byUrgency), [props.rows]);
  return (
    <Table size="small" aria-label="Certificates">
      <TableHead>
        <TableRow>
          <TableCell>Status</TableCell>
          <TableCell>Certificate</TableCell>
          <TableCell>Source</TableCell>
          <TableCell>Issuer</TableCell>
          <TableCell className={classes.nowrap}>Expires</TableCell>
          <TableCell className={classes.nowrap} align="right">
            Days left
          </TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {rows.map(row => {
          const objects = new Set(row.sources.map(s => s.object));
          const findings = sortFindings(
            props.findings.filter(f => objects.has(f.object)),
          );
          const name =
            row.commonName ??
            row.dnsNames[0] ??
            row.sources[0]?.label ??
            row.id;
          const otherNames = row.dnsNames.filter(n => n !== name);
          return (
            <TableRow key={row.id}>
              <TableCell className={classes.nowrap}>
                <HealthChip health={row.health} title={row.reason} />
              </TableCell>
              <TableCell className={classes.cell}>
                <Typography variant="body2" className={classes.names}>
                  <strong>{name}</strong>
                </Typography>
                {otherNames.length > 0 && (
                  <Typography
                    variant="caption"
                    className={classes.names}
                    display="block"
                  >
                    SANs: {otherNames.join(', ')}
                  </Typography>
                )}
                <Typography
                  variant="caption"
                  color="textSecondary"
                  display="block"
                >
                  {row.reason}
                </Typography>
                <RowFindings findings={findings} />
              </TableCell>
              <TableCell className={classes.source}>
                {row.sources.map(source => (
                  <Typography
                    key={source.object}
                    variant="body2"
                    display="block"
                  >
                    {sourceNames[source.kind]}{' '}
                    <Typography
                      component="span"
                      variant="caption"
                      color="textSecondary"
                    >
                      {source.label}
                    </Typography>
                  </Typography>
                ))}
              </TableCell>
              <TableCell className={classes.cell}>
                {commonNameOf(row.issuer) ?? row.issuer ?? '—'}
              </TableCell>
              <TableCell className={classes.nowrap}>
                {row.notAfter ? row.notAfter.slice(0, 10) : 'not issued'}
              </TableCell>
              <TableCell className={classes.nowrap} align="right">
                {row.daysLeft ?? '—'}
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

function probeDetails(probe: TlsProbeView): string {
  if (probe.outcome !== 'probed') return probe.reason ?? probe.outcome;
  const parts = [probe.protocol, probe.cipher].filter(Boolean);
  if (probe.errors.length > 0) {
    parts.push(probe.errors.map(e => `${e.message} (${e.code})`).join('; '));
  } else {
    parts.push('trusted, host name matches');
  }
  return parts.join(' · ');
}

function ProbeList(props: { probes: TlsProbeView[] }) {
  const classes = useStyles();
  return (
    <Box component="ul" m={0} pl={2} aria-label="Live TLS checks">
      {props.probes.map(probe => (
        <li key={`${probe.host}:${probe.port}`}>
          <Typography variant="body2">
            <span className={classes.names}>
              {probe.host}:{probe.port}
            </span>
            {probe.outcome === 'probed' || probe.outcome === 'failed' ? (
              <>
                {' '}
                <HealthChip health={probe.health} />
              </>
            ) : null}{' '}
            {probeDetails(probe)}
          </Typography>
        </li>
      ))}
    </Box>
  );
}

const sharedRootStatus: Record<SharedRootView['status'], ChipStatus> = {
  shared: 'good',
  partial: 'attention',
  'not-shared': 'bad',
  unknown: 'neutral',
};

function SharedRoot(props: { view: SharedRootView }) {
  const classes = useStatusChipStyles();
  return (
    <Typography variant="body2" component="div">
      <Chip
        size="small"
        label={props.view.status}
        className={`${classes.chip} ${classes[sharedRootStatus[props.view.status]]}`}
      />{' '}
      {props.view.message}
    </Typography>
  );
}

function describeSource(
  name: string,
  source: CertificateSourceResult<unknown>,
  items?: string,
) {
  if (source.status === 'not-configured') {
    return `${name}: not checked (${source.reason ?? source.missing?.configKey ?? 'not configured'})`;
  }
  const errors = (source.errors ?? []).map(e => e.message).join('; ');
  if (source.status === 'error')
    return `${name}: could not be read (${errors || 'no reason given'})`;
  return `${name}: ${items ?? 'read'}${errors ? ` (partly: ${errors})` : ''}`;
}

function Sources(props: { data: CertificatesSection }) {
  const { certManager, kong, istioRoot, probes } = props.data;
  const lines = [
    describeSource(
      'cert-manager',
      certManager,
      certManager.data && count(certManager.data.length, 'Certificate'),
    ),
    describeSource(
      'Kong',
      kong,
      kong.data &&
        `${count(kong.data.certificates.length, 'certificate')} for ${count(kong.data.hosts.length, 'route host')}`,
    ),
    describeSource(
      'Istio root CA',
      istioRoot,
      istioRoot.data && count(istioRoot.data.length, 'cluster'),
    ),
    describeSource(
      'Live TLS',
      probes,
      probes.data &&
        `${count(probes.data.filter(p => p.outcome === 'probed').length, 'host')} checked`,
    ),
  ];
  return (
    <Box component="ul" m={0} pl={2} aria-label="Sources">
      {lines.map(line => (
        <li key={line}>
          <Typography variant="body2">{line}</Typography>
        </li>
      ))}
    </Box>
  );
}

function CertificatesDetails(props: {
  data: CertificatesSection;
  result: SectionResult<CertificatesSection>;
}) {
  const { data, result } = props;
  const rowObjects = new Set(
    data.certificates.flatMap(r => r.sources.map(s => s.object)),
  );
  const otherFindings = result.findings.filter(f => !rowObjects.has(f.object));
  const probes = data.probes.data ?? [];
  return (
    <>
      <CertificatesSummaryLine data={data} />
      <Typography variant="caption" color="textSecondary" component="p">
        Warning at {count(data.thresholds.warningDays, 'day')} or less, critical
        at {count(data.thresholds.criticalDays, 'day')} or less, or when
        cert-manager reports Ready=False.
      </Typography>

      {data.certificates.length === 0 ? (
        <EmptyState
          missing="data"
          title="No certificates found"
          description="None of the sources below holds a certificate for this entity."
        />
      ) : (
        <Box mt={2}>
          <CertificateTable
            rows={data.certificates}
            findings={result.findings}
          />
        </Box>
      )}

      {probes.length > 0 && (
        <>
          <Heading>Live TLS checks</Heading>
          <ProbeList probes={probes} />
        </>
      )}

      <Heading>Shared root CA</Heading>
      <SharedRoot view={data.sharedRoot} />

      <Heading>Sources</Heading>
      <Sources data={data} />

      {otherFindings.length > 0 && (
        <>
          <Heading>Other findings</Heading>
          <FindingsList findings={otherFindings} />
        </>
      )}
      <Box mt={2}>
        <Typography variant="caption" color="textSecondary">
          Read at {new Date(result.fetchedAt).toLocaleString()}
        </Typography>
      </Box>
    </>
  );
}

/**
 * Every certificate on the entity's path (cert-manager, Kong, the Istio mesh root, what its public
 * hosts serve), most urgent first, with days left, a status chip, and the finding and fix for each
 * problem.
 *
 * @public
 */
export function EntityCertificateHealthCard() {
  const state = useMeshSection('certificates');
  return (
    <InfoCard
      title="Certificates"
      action={<RefreshButton onClick={state.retry} disabled={state.loading} />}
    >
      <SectionView
        title="Certificates"
        state={state}
        annotation={MESH_GATEWAY_ANNOTATIONS.tlsHosts}
        alternativeAnnotations={[
          KUBERNETES_ANNOTATIONS.id,
          MESH_GATEWAY_ANNOTATIONS.certificates,
          MESH_GATEWAY_ANNOTATIONS.kongServices,
        ]}
      >
        {(data, result) => <CertificatesDetails data={data} result={result} />}
      </SectionView>
    </InfoCard>
  );
}
