import { MESH_GATEWAY_ANNOTATIONS } from './annotations';
import { MESH_BASELINE } from './baseline/baseline';

/** One objective's target and where it came from. @public */
export interface SloTarget {
  value: number;
  source: 'baseline' | 'annotation';
}

/** The SLO an entity is held to. @public */
export interface SloTargets {
  /** A ratio, e.g. 0.9995. */
  availability: SloTarget;
  gatewayP95Ms: SloTarget;
  endToEndP95Ms: SloTarget;
}

const DECIMAL = /^\d{1,6}(\.\d{1,4})?$/;

function parseAvailability(value: string): number {
  const text = value.trim();
  const percent = Number(text);
  if (!DECIMAL.test(text) || !(percent >= 50 && percent < 100)) {
    throw new Error(
      `${MESH_GATEWAY_ANNOTATIONS.sloAvailability}: "${value.slice(0, 32)}" is not a percentage from 50 to below 100, like 99.9`,
    );
  }
  // At most 4 decimals in percent, so 6 as a ratio: "99.9" is 0.999, not 0.9990000000000001.
  return Number((percent / 100).toFixed(6));
}

function parseMilliseconds(annotation: string, value: string): number {
  const text = value.trim();
  const ms = Number(text);
  if (!DECIMAL.test(text) || !(ms > 0 && ms <= 600_000)) {
    throw new Error(
      `${annotation}: "${value.slice(0, 32)}" is not a number of milliseconds above 0, at most 600000, like 150`,
    );
  }
  return ms;
}

/**
 * The SLO of an entity: the baseline's objectives, each overridable by an annotation
 * (`mesh-gateway.io/slo-availability`, `slo-p95-ms`, `slo-gateway-p95-ms`). A value that is not
 * a number in range throws, naming the annotation. The one parser of these annotations: every
 * section that judges against the SLO reads the targets through it.
 *
 * @public
 */
export function sloTargets(annotations: Record<string, string>): SloTargets {
  const slo = MESH_BASELINE.slo;
  const availability = annotations[MESH_GATEWAY_ANNOTATIONS.sloAvailability];
  const endToEnd = annotations[MESH_GATEWAY_ANNOTATIONS.sloP95Ms];
  const gateway = annotations[MESH_GATEWAY_ANNOTATIONS.sloGatewayP95Ms];
  return {
    availability:
      availability !== undefined
        ? { value: parseAvailability(availability), source: 'annotation' }
        : { value: slo.availability, source: 'baseline' },
    endToEndP95Ms:
      endToEnd !== undefined
        ? {
            value: parseMilliseconds(
              MESH_GATEWAY_ANNOTATIONS.sloP95Ms,
              endToEnd,
            ),
            source: 'annotation',
          }
        : { value: slo.endToEndP95Ms, source: 'baseline' },
    gatewayP95Ms:
      gateway !== undefined
        ? {
            value: parseMilliseconds(
              MESH_GATEWAY_ANNOTATIONS.sloGatewayP95Ms,
              gateway,
            ),
            source: 'annotation',
          }
        : { value: slo.gatewayP95Ms, source: 'baseline' },
  };
}
