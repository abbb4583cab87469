import {
  createFinding,
  ErrorBudget,
  Finding,
  GatewaySignals,
  MeshSignals,
  SloObjective,
  SloState,
  SloStatus,
  SloTarget,
  SloTargets,
  TrafficSignals,
} from '@internal/plugin-mesh-gateway-common';
import { windowText } from './window';

export interface SloInput {
  gateway: GatewaySignals | null;
  mesh: MeshSignals | null;
  targets: SloTargets;
  /** Traffic over the short window at the end, for the recent burn rate. */
  shortWindow: {
    durationMs: number;
    gateway: TrafficSignals | null;
    mesh: TrafficSignals | null;
  };
}

const hasRequests = (traffic: TrafficSignals | null | undefined): traffic is TrafficSignals =>
  !!traffic && traffic.requestRate > 0;

/** Availability is measured where clients meet the service: at Kong when it has data, else in the mesh. */
function availabilitySource(input: SloInput): 'gateway' | 'mesh' | null {
  if (hasRequests(input.gateway?.traffic)) return 'gateway';
  if (hasRequests(input.mesh?.traffic)) return 'mesh';
  return null;
}

function state(actual: number | null, breached: (actual: number) => boolean): SloState {
  if (actual === null) return 'no-data';
  return breached(actual) ? 'breached' : 'met';
}

function latencyObjective(
  name: SloObjective['name'],
  target: SloTarget,
  measured: { value: number | null; source: 'gateway' | 'mesh' } | null,
): SloObjective {
  const actual = measured?.value ?? null;
  return {
    name,
    target: target.value,
    actual,
    // "P95 < 50 ms": a P95 of exactly the target (all of that rank within the bucket) meets it.
    state: state(actual, value => value > target.value),
    source: actual === null ? null : measured!.source,
    targetSource: target.source,
  };
}

/** The whole request's P95: at Kong when it measured one, else the service's in the mesh. */
function endToEndLatency(gateway: GatewaySignals | null, mesh: MeshSignals | null) {
  const atGateway = gateway?.requestLatency?.p95Ms;
  if (atGateway !== null && atGateway !== undefined) return { value: atGateway, source: 'gateway' as const };
  if (mesh?.latency) return { value: mesh.latency.p95Ms, source: 'mesh' as const };
  return null;
}

/** The objectives' states and the availability objective's error budget over the window. */
export function evaluateSlo(input: SloInput): SloStatus {
  const { gateway, mesh, targets } = input;
  const source = availabilitySource(input);
  let traffic: TrafficSignals | null = null;
  if (source === 'gateway') traffic = gateway!.traffic;
  if (source === 'mesh') traffic = mesh!.traffic;
  const availabilityActual = traffic && traffic.errorShare !== null ? 1 - traffic.errorShare : null;

  const availability: SloObjective = {
    name: 'availability',
    target: targets.availability.value,
    actual: availabilityActual,
    state: state(availabilityActual, value => value < targets.availability.value),
    source,
    targetSource: targets.availability.source,
  };

  const gatewayP95 = latencyObjective(
    'gateway-p95',
    targets.gatewayP95Ms,
    gateway?.kongLatency ? { value: gateway.kongLatency.p95Ms, source: 'gateway' } : null,
  );
  const endToEndP95 = latencyObjective('end-to-end-p95', targets.endToEndP95Ms, endToEndLatency(gateway, mesh));

  let budget: ErrorBudget | null = null;
  if (traffic && source && traffic.errorShare !== null) {
    const allowedErrorShare = 1 - targets.availability.value;
    const burnRate = traffic.errorShare / allowedErrorShare;
    const short = source === 'gateway' ? input.shortWindow.gateway : input.shortWindow.mesh;
    budget = {
      allowedErrorShare,
      errorShare: traffic.errorShare,
      burnRate,
      remaining: Math.max(0, 1 - burnRate),
      shortWindow: {
        durationMs: input.shortWindow.durationMs,
        burnRate: hasRequests(short) && short.errorShare !== null ? short.errorShare / allowedErrorShare : null,
      },
      source,
    };
  }
  return { objectives: [availability, gatewayP95, endToEndP95], budget };
}

const percent = (ratio: number, digits = 2) => `${(ratio * 100).toFixed(digits)}%`;
const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
const count = (value: number) => Math.round(value).toLocaleString('en-US');

export interface FindingContext {
  /** The finding objects of the gateway's and the mesh's numbers. */
  gatewayObject?: string;
  meshObject?: string;
  windowMs: number;
  fastBurnRate: number;
}

/** What the golden signals say against the baseline. */
export function metricsFindings(
  input: {
    gateway: GatewaySignals | null;
    mesh: MeshSignals | null;
    slo: SloStatus;
    /** The latency query failed: no latency is not evidence of latency metrics being off. */
    gatewayLatencyFailed?: boolean;
  },
  context: FindingContext,
): Finding[] {
  const { gateway, mesh, slo } = input;
  const findings: Finding[] = [];
  const window = windowText(context.windowMs);
  const objectFor = (source: 'gateway' | 'mesh' | null) =>
    (source === 'mesh' ? context.meshObject : context.gatewayObject) ?? context.meshObject ?? context.gatewayObject ?? 'prometheus';
  const where = (source: 'gateway' | 'mesh' | null) => (source === 'mesh' ? 'in the mesh' : 'at the gateway');

  const [availability, gatewayP95, endToEndP95] = slo.objectives;
  const budget = slo.budget;
  if (availability.state === 'breached' && availability.actual !== null) {
    const traffic = availability.source === 'mesh' ? mesh?.traffic : gateway?.traffic;
    findings.push(
      createFinding(
        'MG-SLO-001',
        objectFor(availability.source),
        `Availability ${where(availability.source)} was ${percent(availability.actual, 3)} over the last ${window} (objective ${percent(availability.target, 3)}): about ${count(traffic?.errors ?? 0)} of ${count(traffic?.requests ?? 0)} requests failed with 5xx, so the window's error budget is spent${budget ? ` (burn rate ${budget.burnRate.toFixed(1)}×)` : ''}.`,
      ),
    );
  }
  const shortBurnRate = budget?.shortWindow.burnRate ?? null;
  if (budget && shortBurnRate !== null && shortBurnRate >= context.fastBurnRate) {
    findings.push(
      createFinding(
        'MG-SLO-002',
        objectFor(budget.source),
        `In the last ${windowText(budget.shortWindow.durationMs)} the error budget burned at ${shortBurnRate.toFixed(1)}× the sustainable rate (threshold ${context.fastBurnRate}×); ${percent(budget.remaining, 0)} of the ${window} budget is left.`,
      ),
    );
  }
  if (gatewayP95.state === 'breached' && gatewayP95.actual !== null) {
    findings.push(
      createFinding(
        'MG-SLO-003',
        objectFor('gateway'),
        `Kong's own P95 was ${ms(gatewayP95.actual)} over the last ${window} (objective ${ms(gatewayP95.target)}).`,
      ),
    );
  }
  if (endToEndP95.state === 'breached' && endToEndP95.actual !== null) {
    findings.push(
      createFinding(
        'MG-SLO-004',
        objectFor(endToEndP95.source),
        endToEndP95.source === 'mesh'
          ? `The service's P95 in the mesh was ${ms(endToEndP95.actual)} over the last ${window} (objective ${ms(endToEndP95.target)} end to end; without Kong metrics this is the closest measure).`
          : `The P95 of the whole request at Kong was ${ms(endToEndP95.actual)} over the last ${window} (objective ${ms(endToEndP95.target)}).`,
      ),
    );
  }
  const mtls = mesh?.mtls;
  if (mtls && mtls.share !== null && mtls.plaintextRate + mtls.unknownRate > 0) {
    findings.push(
      createFinding(
        'MG-SLO-005',
        objectFor('mesh'),
        `${percent(1 - mtls.share)} of the requests the service received over the last ${window} did not use mutual TLS (${mtls.plaintextRate.toFixed(3)} req/s plain text${mtls.unknownRate > 0 ? `, ${mtls.unknownRate.toFixed(3)} req/s unknown` : ''}).`,
      ),
    );
  }
  if (gateway && gateway.metricsVersion === null) {
    findings.push(
      createFinding(
        'MG-SLO-006',
        objectFor('gateway'),
        `Prometheus has no kong_http_requests_total (or 2.x kong_http_status) series for service ${gateway.kongServices.map(s => `"${s}"`).join(', ')} in the last ${window}.`,
      ),
    );
  }
  if (gateway?.traffic && !input.gatewayLatencyFailed && (!gateway.requestLatency || !gateway.kongLatency)) {
    findings.push(
      createFinding(
        'MG-SLO-007',
        objectFor('gateway'),
        `Kong reports requests for ${gateway.kongServices.join(', ')} but no ${gateway.metricsVersion === 'kong-2' ? 'kong_latency' : 'kong_request_latency_ms / kong_kong_latency_ms'} histograms.`,
      ),
    );
  }
  if (mesh && !mesh.found) {
    findings.push(
      createFinding(
        'MG-SLO-008',
        objectFor('mesh'),
        `Prometheus has no istio_requests_total series with reporter="destination" and ${Object.entries(mesh.destination).map(([k, v]) => `${k}="${v}"`).join(', ')} in the last ${window}.`,
      ),
    );
  }
  const seriesFound = !!gateway?.traffic || !!mesh?.traffic;
  if (seriesFound && availability.state === 'no-data') {
    findings.push(
      createFinding(
        'MG-SLO-009',
        objectFor(gateway?.traffic ? 'gateway' : 'mesh'),
        `The service's series exist but counted no request in the last ${window}.`,
      ),
    );
  }
  return findings;
}
