import type { X509Certificate } from 'node:crypto';
import {
  BaselineRuleCode,
  CertificateDetails,
  CertificateHealth,
  CertificateRow,
  CertificateRowSource,
  CertificatesSummary,
  CertificateThresholds,
  CertManagerCertificateView,
  createFinding,
  Finding,
  IstioRootCaView,
  KongCertificateView,
  KongHostCoverage,
  SharedRootView,
  sortFindings,
  TlsProbeView,
} from '@internal/plugin-mesh-gateway-common';
import {
  certificateHealth,
  compareUrgency,
  DAY_MS,
  worstHealth,
} from './health';
import { sniServes } from './hosts';
import { chainRoot, isSelfSigned } from './x509';

/** The `Finding.object` of each kind of thing the section reports on. */
export const certificateObjects = {
  certManager: (v: CertManagerCertificateView) =>
    `cert-manager/${v.cluster}/${v.namespace}/${v.name}`,
  kongCertificate: (instance: string, id: string) =>
    `kong/${instance}/certificates/${id}`,
  kongRoute: (instance: string, route: string) =>
    `kong/${instance}/routes/${route}`,
  istioRoot: (v: IstioRootCaView) =>
    `istio/${v.cluster}/${v.namespace}/configmaps/${v.configMap}`,
  probe: (v: { host: string; port: number }) => `tls/${v.host}:${v.port}`,
};

/** Renewed and served certificates this close in notAfter are the same issuance. */
const SAME_ISSUANCE_MS = 60_000;
/** cert-manager renews at renewalTime; an hour later without renewal is overdue. */
const RENEWAL_GRACE_MS = 60 * 60 * 1000;

export interface CertificatesAnalysisInput {
  now: number;
  thresholds: CertificateThresholds;
  certManager: CertManagerCertificateView[];
  kongCertificates: KongCertificateView[];
  kongHosts: KongHostCoverage[];
  /** Parsed chains of the Kong certificates by `instance/id`. */
  kongChains: Map<string, X509Certificate[]>;
  istioRoots: IstioRootCaView[];
  istioRootCertificates: X509Certificate[];
  probes: { view: TlsProbeView; chain: X509Certificate[] }[];
}

export interface CertificatesAnalysis {
  rows: CertificateRow[];
  findings: Finding[];
  sharedRoot: SharedRootView;
  summary: CertificatesSummary;
}

interface RowSource extends CertificateRowSource {
  health: CertificateHealth;
  reason: string;
}

interface RowBuilder {
  id: string;
  details?: CertificateDetails;
  certManager?: CertManagerCertificateView;
  sources: RowSource[];
}

const SOURCE_ORDER: Record<CertificateRowSource['kind'], number> = {
  'tls-probe': 0,
  kong: 1,
  'cert-manager': 2,
  'istio-root': 3,
};

const date = (iso: string) => iso.slice(0, 10);
const days = (n: number) => (n === 1 ? '1 day' : `${n} days`);

/**
 * Turns what the sources read into the card's rows (one per certificate, most urgent first),
 * the findings with their fixes, and whether edge and mesh share a root.
 */
export function analyseCertificates(
  input: CertificatesAnalysisInput,
): CertificatesAnalysis {
  const { now, thresholds } = input;
  const rows = new Map<string, RowBuilder>();
  const rowOf = new Map<string, string>(); // finding object -> row id
  const addToRow = (
    id: string,
    source: RowSource,
    details?: CertificateDetails,
  ) => {
    const row = rows.get(id) ?? { id, details, sources: [] };
    row.details ??= details;
    if (!row.sources.some(s => s.object === source.object))
      row.sources.push(source);
    rows.set(id, row);
    rowOf.set(source.object, id);
  };
  const leafVerdict = (details: CertificateDetails, rejected = false) =>
    certificateHealth(
      { notAfter: details.notAfter, notBefore: details.notBefore, rejected },
      thresholds,
      now,
    );

  for (const probe of input.probes) {
    const { view } = probe;
    const object = certificateObjects.probe(view);
    const label = `${view.host}:${view.port}`;
    if (view.outcome === 'failed') {
      addToRow(object, {
        kind: 'tls-probe',
        object,
        label,
        health: 'error',
        reason: view.reason ?? 'the handshake failed',
      });
    } else if (view.outcome === 'probed' && view.chain[0]) {
      const leaf = view.chain[0];
      const rejecting = view.errors.filter(
        e => e.kind !== 'expired' && e.kind !== 'not-yet-valid',
      );
      const reason =
        rejecting.length > 0
          ? rejecting.map(e => e.message).join('; ')
          : leafVerdict(leaf).reason;
      addToRow(
        leaf.fingerprintSha256,
        { kind: 'tls-probe', object, label, health: view.health, reason },
        leaf,
      );
    }
  }
  for (const certificate of input.kongCertificates) {
    const object = certificateObjects.kongCertificate(
      certificate.instance,
      certificate.id,
    );
    const label = `${certificate.instance}/${certificate.snis.join(', ') || certificate.id}`;
    const leaf = certificate.chain[0];
    if (!leaf) {
      addToRow(object, {
        kind: 'kong',
        object,
        label,
        health: 'error',
        reason: certificate.error ?? 'the certificate could not be read',
      });
      continue;
    }
    const reason =
      certificate.uncoveredHosts.length > 0
        ? `does not cover ${certificate.uncoveredHosts.join(', ')}`
        : leafVerdict(leaf).reason;
    addToRow(
      leaf.fingerprintSha256,
      { kind: 'kong', object, label, health: certificate.health, reason },
      leaf,
    );
  }
  for (const root of input.istioRoots) {
    const object = certificateObjects.istioRoot(root);
    const label = `${root.cluster} ${root.namespace}/${root.configMap}`;
    if (root.certificates.length === 0) {
      addToRow(object, {
        kind: 'istio-root',
        object,
        label,
        health: 'error',
        reason: root.error ?? 'the root could not be read',
      });
      continue;
    }
    for (const certificate of root.certificates) {
      const verdict = leafVerdict(certificate);
      addToRow(
        certificate.fingerprintSha256,
        {
          kind: 'istio-root',
          object,
          label,
          health: verdict.health,
          reason: `mesh root CA: ${verdict.reason}`,
        },
        certificate,
      );
    }
  }
  for (const certificate of input.certManager) {
    const object = certificateObjects.certManager(certificate);
    const label = `${certificate.cluster} ${certificate.namespace}/${certificate.name}`;
    const source: RowSource = {
      kind: 'cert-manager',
      object,
      label,
      health: certificate.health,
      reason: certManagerReason(certificate, thresholds, now),
    };
    // The certificate cert-manager holds is the one served when notAfter and a name agree.
    const served = certificate.notAfter
      ? [...rows.values()].find(
          row =>
            row.details &&
            Math.abs(
              Date.parse(row.details.notAfter) -
                Date.parse(certificate.notAfter!),
            ) < 1000 &&
            namesOf(certificate).some(name =>
              row.details!.dnsNames.some(n => sniServes(n, name)),
            ),
        )
      : undefined;
    if (served) {
      addToRow(served.id, source);
      served.certManager = certificate;
    } else {
      addToRow(object, source);
      rows.get(object)!.certManager = certificate;
    }
  }

  const findings = new Map<string, Finding>();
  const report = (
    code: BaselineRuleCode,
    object: string,
    message: string,
    about = '',
  ) => {
    const key = `${code}|${rowOf.get(object) ?? object}|${about}`;
    if (!findings.has(key))
      findings.set(key, createFinding(code, object, message));
  };

  // Expiry, once per certificate, on what clients see first.
  for (const row of rows.values()) {
    const primary = [...row.sources].sort(
      (a, b) => SOURCE_ORDER[a.kind] - SOURCE_ORDER[b.kind],
    )[0];
    const notAfter = row.details?.notAfter ?? row.certManager?.notAfter;
    const notBefore = row.details?.notBefore ?? row.certManager?.notBefore;
    if (!notAfter) continue;
    const what = describeRow(row);
    const end = Date.parse(notAfter);
    if (end <= now) {
      report(
        'MG-CERT-001',
        primary.object,
        `${what} expired on ${date(notAfter)} (${days(Math.floor((now - end) / DAY_MS))} ago).`,
      );
      continue;
    }
    if (notBefore && Date.parse(notBefore) > now) {
      report(
        'MG-CERT-013',
        primary.object,
        `${what} is valid only from ${notBefore}.`,
      );
    }
    const left = Math.floor((end - now) / DAY_MS);
    if (left <= thresholds.criticalDays) {
      report(
        'MG-CERT-002',
        primary.object,
        `${what} expires on ${date(notAfter)}: ${days(left)} left (critical at ${thresholds.criticalDays}).`,
      );
    } else if (left <= thresholds.warningDays) {
      report(
        'MG-CERT-003',
        primary.object,
        `${what} expires on ${date(notAfter)}: ${days(left)} left (warning at ${thresholds.warningDays}).`,
      );
    }
  }

  for (const certificate of input.certManager) {
    const object = certificateObjects.certManager(certificate);
    const name = `${certificate.namespace}/${certificate.name}`;
    const expired =
      certificate.notAfter !== undefined &&
      Date.parse(certificate.notAfter) <= now;
    if (
      certificate.ready?.status === 'False' &&
      !(expired && certificate.ready.reason === 'Expired')
    ) {
      report(
        'MG-CERT-004',
        object,
        `Certificate ${name} is not Ready (${certificate.ready.reason ?? 'no reason'}${certificate.ready.message ? `: ${certificate.ready.message}` : ''}).`,
      );
    }
    if (
      certificate.renewalTime &&
      Date.parse(certificate.renewalTime) < now - RENEWAL_GRACE_MS
    ) {
      report(
        'MG-CERT-005',
        object,
        `Certificate ${name} was due for renewal on ${certificate.renewalTime} and has not been renewed.`,
      );
    }
    const issuingFailed =
      certificate.issuing?.status === 'False' &&
      certificate.issuing.reason === 'Failed';
    if ((certificate.failedIssuanceAttempts ?? 0) > 0 || issuingFailed) {
      const attempts = certificate.failedIssuanceAttempts
        ? `${certificate.failedIssuanceAttempts} failed attempt(s)`
        : 'the last attempt failed';
      const since = certificate.lastFailureTime
        ? `, last at ${certificate.lastFailureTime}`
        : '';
      report(
        'MG-CERT-011',
        object,
        `Certificate ${name}: ${attempts}${since}${certificate.issuing?.message ? `: ${certificate.issuing.message}` : ''}.`,
      );
    }
  }

  // What clients see first, so that a problem Kong and the live host share is reported on the host.
  for (const { view } of input.probes) {
    const object = certificateObjects.probe(view);
    if (view.outcome === 'failed') {
      report(
        'MG-CERT-012',
        object,
        `${view.host}:${view.port}: ${view.reason ?? 'the handshake failed'}.`,
      );
      continue;
    }
    if (view.outcome !== 'probed') continue;
    const leaf = view.chain[0];
    for (const error of view.errors) {
      if (error.kind === 'wrong-host') {
        report(
          'MG-CERT-007',
          object,
          `${view.host} serves a certificate for ${leaf?.dnsNames.join(', ') || leaf?.commonName || 'another name'} (${error.code}).`,
          view.host,
        );
      } else if (
        error.kind === 'self-signed' ||
        error.kind === 'unknown-ca' ||
        error.kind === 'other'
      ) {
        report(
          'MG-CERT-010',
          object,
          `${view.host}: ${error.message} (${error.code}); issuer ${leaf?.issuerCommonName ?? leaf?.issuer ?? 'unknown'}.`,
        );
      }
    }
  }

  for (const certificate of input.kongCertificates) {
    const leaf = certificate.chain[0];
    if (!leaf) continue;
    const object = certificateObjects.kongCertificate(
      certificate.instance,
      certificate.id,
    );
    for (const host of certificate.uncoveredHosts) {
      report(
        'MG-CERT-007',
        object,
        `Kong serves ${host} with a certificate for ${leaf.dnsNames.join(', ') || leaf.commonName || leaf.subject}.`,
        host,
      );
    }
  }
  for (const coverage of input.kongHosts) {
    if (coverage.sni) continue;
    report(
      'MG-CERT-008',
      certificateObjects.kongRoute(coverage.instance, coverage.routes[0]),
      `Kong instance ${coverage.instance} has no SNI for ${coverage.host} (route ${coverage.routes.join(', ')}): clients get Kong's default certificate.`,
      coverage.host,
    );
  }

  // Rotation: cert-manager holds a newer certificate than the one served for its host.
  for (const certificate of input.certManager) {
    if (!certificate.notAfter) continue;
    const renewedUntil = Date.parse(certificate.notAfter);
    const served: {
      object: string;
      host: string;
      leaf: CertificateDetails;
      where: string;
    }[] = [];
    for (const name of namesOf(certificate)) {
      for (const { view } of input.probes) {
        if (
          view.outcome === 'probed' &&
          view.chain[0] &&
          sniServes(name, view.host)
        ) {
          served.push({
            object: certificateObjects.probe(view),
            host: view.host,
            leaf: view.chain[0],
            where: `${view.host}:${view.port}`,
          });
        }
      }
      for (const kong of input.kongCertificates) {
        const host = kong.hosts.find(h => sniServes(name, h));
        if (host && kong.chain[0]) {
          served.push({
            object: certificateObjects.kongCertificate(kong.instance, kong.id),
            host,
            leaf: kong.chain[0],
            where: `Kong ${kong.instance}`,
          });
        }
      }
    }
    for (const { object, host, leaf, where } of served) {
      if (Date.parse(leaf.notAfter) < renewedUntil - SAME_ISSUANCE_MS) {
        report(
          'MG-CERT-006',
          object,
          `${where} serves ${host} with a certificate valid until ${date(leaf.notAfter)}, but cert-manager Certificate ${certificate.namespace}/${certificate.name} holds one valid until ${date(certificate.notAfter)}${certificate.revision ? ` (revision ${certificate.revision})` : ''}.`,
          host,
        );
      }
    }
  }

  const sharedRoot = sharedRootOf(input);
  for (const edge of sharedRoot.edge) {
    if (edge.sharesIstioRoot === false) {
      report(
        'MG-CERT-009',
        edge.object,
        `${edge.object} chains to ${edge.root ?? 'another root'}, not to the mesh root (${sharedRoot.istioRoots.join('; ')}).`,
      );
    }
  }

  const certificateRows = [...rows.values()]
    .map(row => toRow(row, now))
    .sort(
      (a, b) => compareUrgency(a, b) || labelOf(a).localeCompare(labelOf(b)),
    );
  return {
    rows: certificateRows,
    findings: sortFindings([...findings.values()]),
    sharedRoot,
    summary: summarize(certificateRows, now),
  };
}

function namesOf(certificate: CertManagerCertificateView): string[] {
  return [
    ...new Set([
      ...certificate.dnsNames,
      ...(certificate.commonName ? [certificate.commonName] : []),
    ]),
  ];
}

function certManagerReason(
  certificate: CertManagerCertificateView,
  thresholds: CertificateThresholds,
  now: number,
): string {
  if (certificate.ready?.status === 'False') {
    return `cert-manager: Ready=False (${certificate.ready.reason ?? 'no reason'})`;
  }
  return certificateHealth(
    {
      notAfter: certificate.notAfter,
      notBefore: certificate.notBefore,
      ready: certificate.ready?.status,
    },
    thresholds,
    now,
  ).reason;
}

function describeRow(row: RowBuilder): string {
  if (row.details) {
    const name =
      row.details.commonName ?? row.details.dnsNames[0] ?? row.details.subject;
    return row.details.isCA
      ? `CA certificate ${name}`
      : `The certificate for ${name}`;
  }
  const cm = row.certManager!;
  return `Certificate ${cm.namespace}/${cm.name}`;
}

function toRow(row: RowBuilder, now: number): CertificateRow {
  const sources = [...row.sources].sort(
    (a, b) => SOURCE_ORDER[a.kind] - SOURCE_ORDER[b.kind],
  );
  // The source that makes the row as bad as it is; the first of them in source order.
  const worst = sources.reduce((w, s) => (compareUrgency(s, w) < 0 ? s : w));
  const details = row.details;
  const cm = row.certManager;
  const notAfter = details?.notAfter ?? cm?.notAfter;
  return {
    id: row.id,
    sources: sources.map(({ kind, object, label }) => ({
      kind,
      object,
      label,
    })),
    subject: details?.subject,
    commonName: details?.commonName ?? cm?.commonName,
    dnsNames: details?.dnsNames ?? cm?.dnsNames ?? [],
    issuer:
      details?.issuer ??
      (cm
        ? `${cm.issuerRef.kind ?? 'Issuer'} ${cm.issuerRef.name}`
        : undefined),
    notBefore: details?.notBefore ?? cm?.notBefore,
    notAfter,
    daysLeft:
      notAfter === undefined
        ? undefined
        : Math.floor((Date.parse(notAfter) - now) / DAY_MS),
    health: worst.health,
    reason: worst.reason,
  };
}

function labelOf(row: CertificateRow): string {
  return (
    row.commonName ??
    row.dnsNames[0] ??
    row.subject ??
    row.sources[0]?.label ??
    row.id
  );
}

function summarize(rows: CertificateRow[], now: number): CertificatesSummary {
  const certificates = rows.filter(
    r =>
      r.notAfter !== undefined ||
      r.subject !== undefined ||
      r.sources.some(s => s.kind === 'cert-manager'),
  );
  const byHealth: Record<CertificateHealth, number> = {
    ok: 0,
    warning: 0,
    critical: 0,
    expired: 0,
    error: 0,
  };
  for (const row of rows) byHealth[row.health]++;
  const upcoming = certificates
    .filter(r => r.notAfter !== undefined && Date.parse(r.notAfter) > now)
    .sort((a, b) => Date.parse(a.notAfter!) - Date.parse(b.notAfter!))[0];
  return {
    total: certificates.length,
    byHealth,
    worst:
      rows.length === 0 ? null : rows.map(r => r.health).reduce(worstHealth),
    nextExpiry: upcoming
      ? {
          notAfter: upcoming.notAfter!,
          daysLeft: Math.floor((Date.parse(upcoming.notAfter!) - now) / DAY_MS),
          label: labelOf(upcoming),
        }
      : undefined,
    expired: certificates.filter(
      r => r.notAfter !== undefined && Date.parse(r.notAfter) <= now,
    ).length,
  };
}

function sharedRootOf(input: CertificatesAnalysisInput): SharedRootView {
  const roots = input.istioRootCertificates;
  const edges: SharedRootView['edge'] = [];
  const judge = (
    source: 'kong' | 'tls-probe',
    object: string,
    chain: X509Certificate[],
  ) => {
    if (chain.length === 0) return;
    const root = chainRoot(chain, roots);
    if (root) {
      edges.push({
        source,
        object,
        root: root.subject.replace(/\n/g, ', '),
        sharesIstioRoot: true,
      });
      return;
    }
    const top = chain[chain.length - 1];
    if (isSelfSigned(top)) {
      edges.push({
        source,
        object,
        root: top.subject.replace(/\n/g, ', '),
        sharesIstioRoot: roots.length > 0 ? false : undefined,
      });
    } else if (roots.some(r => r.subject === top.issuer)) {
      // Same name as a mesh root, but its key did not sign the chain: another root.
      edges.push({
        source,
        object,
        root: top.issuer.replace(/\n/g, ', '),
        sharesIstioRoot: false,
      });
    } else {
      edges.push({
        source,
        object,
        root: top.issuer.replace(/\n/g, ', '),
        sharesIstioRoot: undefined,
      });
    }
  };
  for (const certificate of input.kongCertificates) {
    judge(
      'kong',
      certificateObjects.kongCertificate(certificate.instance, certificate.id),
      input.kongChains.get(`${certificate.instance}/${certificate.id}`) ?? [],
    );
  }
  for (const { view, chain } of input.probes) {
    if (view.outcome === 'probed')
      judge('tls-probe', certificateObjects.probe(view), chain);
  }
  const istioRoots = [
    ...new Set(roots.map(r => r.subject.replace(/\n/g, ', '))),
  ];
  if (roots.length === 0) {
    return {
      status: 'unknown',
      message:
        'No Istio root CA was read, so the edge chains cannot be compared with it.',
      istioRoots,
      edge: edges,
    };
  }
  const known = edges.filter(e => e.sharesIstioRoot !== undefined);
  if (known.length === 0) {
    return {
      status: 'unknown',
      message:
        edges.length === 0
          ? 'No edge certificate (Kong or live) was read.'
          : 'The edge chains are incomplete: their roots are not known.',
      istioRoots,
      edge: edges,
    };
  }
  const sharing = known.filter(e => e.sharesIstioRoot).length;
  if (sharing === known.length) {
    return {
      status: 'shared',
      message: `Every edge certificate chains to the mesh root ${istioRoots.join('; ')}.`,
      istioRoots,
      edge: edges,
    };
  }
  return {
    status: sharing === 0 ? 'not-shared' : 'partial',
    message: `${known.length - sharing} of ${known.length} edge certificates chain to another root than the mesh's (${istioRoots.join('; ')}).`,
    istioRoots,
    edge: edges,
  };
}
