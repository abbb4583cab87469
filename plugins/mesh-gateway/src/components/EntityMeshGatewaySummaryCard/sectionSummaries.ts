import type {
  Finding,
  IstioSection,
  KongSection,
  TracesSection,
  MeshGatewaySectionData,
  MeshGatewaySectionName,
  SectionResult,
} from '@internal/plugin-mesh-gateway-common';
import { count } from '../format';
import { describeMetricsSection } from '../metrics';
import { describeCertificates } from '../certificates';

export type SummaryStatus = 'ok' | 'warning' | 'error' | 'not-configured';

export interface SectionSummary {
  title: string;
  status: SummaryStatus;
  text: string;
}

const sectionTitles: { [S in MeshGatewaySectionName]?: string } = {
  kong: 'Kong',
  istio: 'Istio',
  traces: 'Traces',
  metrics: 'Metrics',
  certificates: 'Certificates',
};

/** What a section's data adds up to, for the sections whose card exists. */
const describers: {
  [S in MeshGatewaySectionName]?: (data: MeshGatewaySectionData[S]) => string;
} = {
  kong: (data: KongSection) => {
    const routes = data.services.reduce(
      (sum, view) => sum + view.routes.length,
      0,
    );
    return `${count(routes, 'route')} on ${count(data.services.length, 'service')}`;
  },
  istio: (data: IstioSection) =>
    data.workloads
      .map(w => `mTLS ${w.mtls.mode}, callers ${w.authorization.decision}${data.workloads.length > 1 ? ` (${w.cluster})` : ''}`)
      .join('; '),
  metrics: describeMetricsSection,
  certificates: describeCertificates,
  traces: (data: TracesSection) =>
    data.traceCount === 0
      ? 'no traces in the window'
      : `${count(data.traceCount, 'trace')}, P95 ${data.latency?.p95Ms ?? '?'} ms, ${((data.errorRate ?? 0) * 100).toFixed(2)}% errors`,
};

function describeFindings(findings: Finding[]): string {
  if (findings.length === 0) {
    return 'no findings';
  }
  const critical = findings.filter(f => f.severity === 'critical').length;
  return `${count(findings.length, 'finding')}${critical > 0 ? ` (${critical} critical)` : ''}`;
}

/** One line per section, e.g. "2 routes on 1 service, 3 findings (1 critical)". */
export function summarizeSection(
  name: string,
  result: SectionResult<unknown>,
): SectionSummary {
  const describer = describers[name as MeshGatewaySectionName] as
    | ((data: unknown) => string)
    | undefined;
  const title = sectionTitles[name as MeshGatewaySectionName] ?? name;

  if (result.status === 'not-configured') {
    const how = result.missing?.configKey
      ? `the backend needs ${result.missing.configKey}`
      : `add ${(result.missing?.annotations ?? []).join(' or ') || 'its annotation'}`;
    return { title, status: 'not-configured', text: `not configured (${how})` };
  }
  if (result.status === 'error' || result.data === undefined) {
    const first = result.errors?.[0];
    const reason = first
      ? `${first.instance ? `${first.instance}: ` : ''}${first.message}`
      : 'no reason given';
    return { title, status: 'error', text: `could not be read (${reason})` };
  }

  const parts = [
    ...(describer ? [describer(result.data)] : []),
    describeFindings(result.findings),
  ];
  if (result.errors && result.errors.length > 0) {
    parts.push(`${count(result.errors.length, 'part')} could not be read`);
  }
  let status: SummaryStatus = 'ok';
  if (result.findings.some(f => f.severity === 'critical')) {
    status = 'error';
  } else if (
    result.findings.some(f => f.severity === 'warning') ||
    (result.errors?.length ?? 0) > 0
  ) {
    status = 'warning';
  }
  return { title, status, text: parts.join(', ') };
}
