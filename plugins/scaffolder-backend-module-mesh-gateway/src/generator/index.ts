import {
  MESH_BASELINE,
  ServiceSpec,
} from '@internal/plugin-mesh-gateway-common';
import { autoscalingFiles } from './autoscaling';
import { backupFiles } from './backup';
import { catalogFiles } from './catalog';
import { certificateFiles } from './certificates';
import { istioFiles } from './istio';
import { kongFiles } from './kong';
import { observabilityFiles } from './observability';
import { GeneratedFile } from './types';

export type { GeneratedFile } from './types';

function byPath(a: GeneratedFile, b: GeneratedFile): number {
  if (a.path === b.path) {
    return 0;
  }
  return a.path < b.path ? -1 : 1;
}

/** A baseline rule the spec deliberately departs from, and why. */
export interface AcceptedFinding {
  code: string;
  reason: string;
}

export interface GeneratedConfiguration {
  /** Paths relative to the spec's targetPath, sorted. */
  files: GeneratedFile[];
  acceptedFindings: AcceptedFinding[];
}

/**
 * The baseline rules the spec chose to depart from (auth other than JWT, other timeouts or
 * retries). The validator reports them as accepted instead of failing.
 */
export function acceptedFindings(spec: ServiceSpec): AcceptedFinding[] {
  const accepted: AcceptedFinding[] = [];
  if (spec.auth.type !== 'jwt') {
    accepted.push(
      { code: 'MG-KONG-001', reason: `auth.type is ${spec.auth.type}` },
      { code: 'MG-ISTIO-005', reason: `auth.type is ${spec.auth.type}` },
    );
  }
  if (spec.resilience.retries !== MESH_BASELINE.kong.retries) {
    accepted.push({
      code: 'MG-KONG-007',
      reason: `resilience.retries is ${spec.resilience.retries}`,
    });
  }
  if (spec.resilience.timeoutSeconds * 1000 !== MESH_BASELINE.kong.timeoutMs) {
    accepted.push({
      code: 'MG-KONG-008',
      reason: `resilience.timeoutSeconds is ${spec.resilience.timeoutSeconds}`,
    });
  }
  return accepted;
}

/**
 * Builds the complete configuration of a service in memory: every object as data, serialised
 * by a YAML library. Pure: the same spec always gives the same files.
 */
export function generateConfiguration(
  spec: ServiceSpec,
): GeneratedConfiguration {
  const files = [
    ...kongFiles(spec),
    ...istioFiles(spec),
    ...observabilityFiles(spec),
    ...certificateFiles(spec),
    ...autoscalingFiles(spec),
    ...backupFiles(spec),
    ...catalogFiles(spec),
  ].sort(byPath);
  return { files, acceptedFindings: acceptedFindings(spec) };
}
