import type { TlsSandboxHost, TlsSandboxMaterial } from '../tls/tlsSandbox';
import type { KubeObject } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/** The ClusterIssuer every sandbox Certificate names (an issuer signed by the mesh root). @public */
export const SANDBOX_CLUSTER_ISSUER = 'parallel-ai-edge-ca';

/** Namespaces that get Istio's `istio-ca-root-cert` ConfigMap (istiod writes it to each). */
const ROOT_CERT_NAMESPACES = ['parallel-ai', 'kong', 'istio-system'];

/** RFC 3339 in whole seconds, as cert-manager writes its status times. */
function rfc3339(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/** What cert-manager's status says for each demo scenario. */
function certificateStatus(
  host: TlsSandboxHost,
  now: Date,
): Record<string, unknown> {
  const at = (ms: number) => rfc3339(new Date(now.getTime() + ms));
  const { notBefore, notAfter } = host.served;
  // Renewal 30 days after issuance (duration 90 days, renewBefore 60 days): the ADR's rotation.
  const renewalOf = (validUntil: Date) =>
    rfc3339(new Date(validUntil.getTime() - 60 * DAY_MS));
  switch (host.scenario) {
    case 'valid':
      return {
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'Ready',
            message: 'Certificate is up to date and has not expired',
            lastTransitionTime: rfc3339(notBefore),
            observedGeneration: 1,
          },
        ],
        notBefore: rfc3339(notBefore),
        notAfter: rfc3339(notAfter),
        renewalTime: renewalOf(notAfter),
        revision: 3,
      };
    case 'expiring': {
      // cert-manager renewed two days ago; the endpoint still serves the previous certificate.
      const renewedBefore = new Date(now.getTime() - 2 * DAY_MS);
      const renewedAfter = new Date(renewedBefore.getTime() + 90 * DAY_MS);
      return {
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            reason: 'Ready',
            message: 'Certificate is up to date and has not expired',
            lastTransitionTime: rfc3339(renewedBefore),
            observedGeneration: 1,
          },
        ],
        notBefore: rfc3339(renewedBefore),
        notAfter: rfc3339(renewedAfter),
        renewalTime: renewalOf(renewedAfter),
        revision: 4,
      };
    }
    case 'expired':
      return {
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'Expired',
            message: `Certificate expired on ${notAfter.toUTCString()}`,
            lastTransitionTime: rfc3339(notAfter),
            observedGeneration: 1,
          },
          {
            type: 'Issuing',
            status: 'False',
            reason: 'Failed',
            message:
              'The certificate request has failed to complete and will be retried: Failed to wait for order resource "analytics-parallel-ai-tls-5-1234567890" to become ready: order is in "invalid" state: acme: urn:ietf:params:acme:error:dns: DNS problem: NXDOMAIN looking up TXT for _acme-challenge.analytics.parallel-ai.example.com',
            lastTransitionTime: at(-6 * HOUR_MS),
            observedGeneration: 1,
          },
        ],
        notBefore: rfc3339(notBefore),
        notAfter: rfc3339(notAfter),
        renewalTime: renewalOf(notAfter),
        revision: 4,
        lastFailureTime: at(-6 * HOUR_MS),
        failedIssuanceAttempts: 3,
      };
    case 'wrong-host':
    default:
      // Created recently and not issued yet: no notBefore, notAfter, renewalTime or revision.
      return {
        conditions: [
          {
            type: 'Ready',
            status: 'False',
            reason: 'DoesNotExist',
            message: 'Issuing certificate as Secret does not exist',
            lastTransitionTime: at(-HOUR_MS),
            observedGeneration: 1,
          },
          {
            type: 'Issuing',
            status: 'True',
            reason: 'DoesNotExist',
            message: 'Issuing certificate as Secret does not exist',
            lastTransitionTime: at(-HOUR_MS),
            observedGeneration: 1,
          },
        ],
        nextPrivateKeySecretName: `${host.certificate.name}-7xk2p`,
      };
  }
}

/** One cert-manager.io/v1 Certificate for a sandbox host. */
function certificate(host: TlsSandboxHost, now: Date): KubeObject {
  const labels: Record<string, string> =
    host.services.length === 1
      ? {
          app: host.services[0],
          'backstage.io/kubernetes-id': host.services[0],
        }
      : { 'app.kubernetes.io/part-of': 'parallel-ai-edge' };
  return {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: {
      name: host.certificate.name,
      namespace: host.certificate.namespace,
      labels,
      generation: 1,
    },
    spec: {
      secretName: host.certificate.name,
      commonName: host.host,
      dnsNames: [host.host],
      duration: '2160h0m0s',
      renewBefore: '1440h0m0s',
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      usages: ['digital signature', 'server auth'],
      issuerRef: {
        name: SANDBOX_CLUSTER_ISSUER,
        kind: 'ClusterIssuer',
        group: 'cert-manager.io',
      },
      secretTemplate: {
        labels: { 'app.kubernetes.io/part-of': 'parallel-ai-edge' },
      },
    },
    status: certificateStatus(host, now),
  };
}

/**
 * The `kubernetes.io/tls` Secret cert-manager keeps for a Certificate (`spec.secretName`), as its
 * CA issuer writes it: `tls.crt` the leaf and intermediate, `tls.key` the private key, `ca.crt`
 * the root. For `expiring` it holds the renewed certificate; for `wrong-host` (not issued yet)
 * there is none. The keys are made when the sandbox starts: tests use them as sentinels that must
 * never reach a section or a log line, since the backend names the Secret but never reads it.
 */
function tlsSecret(
  host: TlsSandboxHost,
  material: TlsSandboxMaterial,
): KubeObject | undefined {
  if (host.scenario === 'wrong-host') return undefined;
  const issued = host.renewed ?? host.served;
  const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: host.certificate.name,
      namespace: host.certificate.namespace,
      labels: {
        'app.kubernetes.io/part-of': 'parallel-ai-edge',
        'controller.cert-manager.io/fao': 'true',
      },
      annotations: {
        'cert-manager.io/alt-names': host.host,
        'cert-manager.io/certificate-name': host.certificate.name,
        'cert-manager.io/common-name': host.host,
        'cert-manager.io/ip-sans': '',
        'cert-manager.io/issuer-group': 'cert-manager.io',
        'cert-manager.io/issuer-kind': 'ClusterIssuer',
        'cert-manager.io/issuer-name': SANDBOX_CLUSTER_ISSUER,
        'cert-manager.io/uri-sans': '',
      },
    },
    type: 'kubernetes.io/tls',
    data: {
      'ca.crt': base64(material.rootCa.certPem),
      'tls.crt': base64(issued.chainPem),
      'tls.key': base64(issued.keyPem),
    },
  };
}

/**
 * The cert-manager Certificates of the TLS sandbox's hosts (with the status of each demo
 * scenario: up to date, renewed but not yet served, expired with failing issuance, not issued
 * yet) and Istio's `istio-ca-root-cert` ConfigMaps holding the mesh root, which is the root of
 * the edge certificates too. Certificates of one service carry its `backstage.io/kubernetes-id`
 * label; the shared edge host's lives in namespace `kong`. Each issued Certificate also has the
 * `kubernetes.io/tls` Secret its `spec.secretName` names, private key included, as in a cluster.
 *
 * @public
 */
export function buildCertManagerObjects(
  material: TlsSandboxMaterial,
): KubeObject[] {
  const now = material.generatedAt;
  return [
    ...material.hosts.map(host => certificate(host, now)),
    ...material.hosts.flatMap(host => tlsSecret(host, material) ?? []),
    ...ROOT_CERT_NAMESPACES.map(
      (namespace): KubeObject => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'istio-ca-root-cert',
          namespace,
          labels: { 'istio.io/config': 'true' },
        },
        data: { 'root-cert.pem': material.rootCa.certPem },
      }),
    ),
  ];
}
