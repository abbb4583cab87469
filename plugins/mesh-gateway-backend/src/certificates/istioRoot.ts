import type { X509Certificate } from 'node:crypto';
import type {
  CertificateThresholds,
  IstioRootCaView,
} from '@internal/plugin-mesh-gateway-common';
import type { KubernetesReader } from '../kubernetes/KubernetesReader';
import { certificateHealth } from './health';
import {
  describeCertificate,
  notAfterOf,
  notBeforeOf,
  parsePemBundle,
} from './x509';

/** The ConfigMap istiod writes into every namespace, holding the mesh's trust anchors. */
export const ISTIO_ROOT_CONFIGMAP = 'istio-ca-root-cert';
const ROOT_CERT_KEY = 'root-cert.pem';

export interface IstioRootResult {
  view?: IstioRootCaView;
  roots: X509Certificate[];
}

/**
 * Reads the mesh root CA of `namespace` in one cluster; no view when the ConfigMap does not
 * exist (Istio is not installed, or the namespace is outside the mesh).
 */
export async function loadIstioRoot(
  reader: KubernetesReader,
  namespace: string,
  thresholds: CertificateThresholds,
  now: number,
): Promise<IstioRootResult> {
  const data = await reader.readConfigMapData(namespace, ISTIO_ROOT_CONFIGMAP);
  if (data === undefined) return { roots: [] };
  const base = {
    cluster: reader.cluster.name,
    namespace,
    configMap: ISTIO_ROOT_CONFIGMAP,
  };
  const pem = data[ROOT_CERT_KEY];
  if (!pem) {
    return {
      view: {
        ...base,
        certificates: [],
        health: 'error',
        error: `no ${ROOT_CERT_KEY} in the ConfigMap`,
      },
      roots: [],
    };
  }
  let roots: X509Certificate[];
  try {
    roots = parsePemBundle(pem);
  } catch (error) {
    return {
      view: {
        ...base,
        certificates: [],
        health: 'error',
        error: `${ROOT_CERT_KEY}: ${(error as Error).message}`,
      },
      roots: [],
    };
  }
  // During a root rotation the bundle holds the old and the new root: the mesh depends on the first to expire.
  const first = [...roots].sort(
    (a, b) => notAfterOf(a).getTime() - notAfterOf(b).getTime(),
  )[0];
  const verdict = certificateHealth(
    { notAfter: notAfterOf(first), notBefore: notBeforeOf(first) },
    thresholds,
    now,
  );
  return {
    view: {
      ...base,
      certificates: roots.map(describeCertificate),
      daysLeft: verdict.daysLeft,
      health: verdict.health,
    },
    roots,
  };
}
