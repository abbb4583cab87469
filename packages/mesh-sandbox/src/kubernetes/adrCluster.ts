import type { KubeObject } from './types';

export const ADR_NAMESPACE = 'parallel-ai';
export const ADR_SERVICES = ['ai-agent-service', 'analytics-service', 'user-service'] as const;
const KONG_PRINCIPAL = 'cluster.local/ns/kong/sa/kong';
const ISSUER = 'https://auth.parallel-ai.example.com';

const meta = (name: string, namespace?: string, extra: Partial<KubeObject['metadata']> = {}) => ({
  name,
  ...(namespace ? { namespace } : {}),
  ...extra,
});

function namespaces(): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta(ADR_NAMESPACE, undefined, { labels: { 'istio-injection': 'enabled', 'kubernetes.io/metadata.name': ADR_NAMESPACE } }), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta('istio-system', undefined, { labels: { 'kubernetes.io/metadata.name': 'istio-system' } }), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta('kong', undefined, { labels: { 'kubernetes.io/metadata.name': 'kong' } }), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } },
  ];
}

/** Service, Deployment, ReplicaSets and two pods (premium and standard tiers) per service. */
function workload(name: string): KubeObject[] {
  const labels = { app: name, 'backstage.io/kubernetes-id': name };
  const objects: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(name, ADR_NAMESPACE, { labels }),
      spec: {
        type: 'ClusterIP',
        clusterIP: `10.96.0.${10 + ADR_SERVICES.indexOf(name as (typeof ADR_SERVICES)[number])}`,
        selector: { app: name },
        ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }],
      },
      status: { loadBalancer: {} },
    },
  ];
  for (const tier of ['premium', 'standard']) {
    const deploymentName = `${name}-${tier}`;
    const podLabels = { ...labels, version: tier, 'pod-template-hash': '7d9f8c6b5' };
    objects.push(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: meta(deploymentName, ADR_NAMESPACE, { labels: { ...labels, version: tier }, annotations: { 'deployment.kubernetes.io/revision': '1' } }),
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: name, version: tier } },
          template: { metadata: { labels: { ...labels, version: tier } }, spec: { serviceAccountName: name, containers: [{ name, image: `registry.parallel-ai.internal/${name}:1.4.2`, ports: [{ containerPort: 8080, name: 'http' }] }] } },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        },
        status: { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', lastUpdateTime: '2026-10-01T08:01:00Z', lastTransitionTime: '2026-10-01T08:01:00Z' }] },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: meta(`${deploymentName}-7d9f8c6b5`, ADR_NAMESPACE, { labels: podLabels, annotations: { 'deployment.kubernetes.io/revision': '1' } }),
        spec: { replicas: 3, selector: { matchLabels: { app: name, version: tier, 'pod-template-hash': '7d9f8c6b5' } }, template: { metadata: { labels: podLabels }, spec: { containers: [{ name, image: `registry.parallel-ai.internal/${name}:1.4.2` }] } } },
        status: { replicas: 3, readyReplicas: 3, availableReplicas: 3, fullyLabeledReplicas: 3, observedGeneration: 1 },
      },
    );
    for (const suffix of ['x2k9p', 'm4n7q', 'r8t1w']) {
      objects.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: meta(`${deploymentName}-7d9f8c6b5-${suffix}`, ADR_NAMESPACE, { labels: { ...podLabels, 'security.istio.io/tlsMode': 'istio', 'service.istio.io/canonical-name': name }, annotations: { 'sidecar.istio.io/status': '{"containers":["istio-proxy"]}' } }),
        spec: {
          serviceAccountName: name,
          containers: [
            { name, image: `registry.parallel-ai.internal/${name}:1.4.2`, ports: [{ containerPort: 8080, name: 'http', protocol: 'TCP' }], resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } } },
            { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.30.3', resources: { requests: { cpu: '100m', memory: '128Mi' } } },
          ],
        },
        status: {
          phase: 'Running',
          podIP: '10.244.1.10',
          startTime: '2026-10-01T08:00:30Z',
          conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-10-01T08:00:50Z' }],
          containerStatuses: [
            { name, ready: true, restartCount: 0, image: `registry.parallel-ai.internal/${name}:1.4.2`, imageID: '', started: true, state: { running: { startedAt: '2026-10-01T08:00:40Z' } } },
            { name: 'istio-proxy', ready: true, restartCount: 0, image: 'docker.io/istio/proxyv2:1.30.3', imageID: '', started: true, state: { running: { startedAt: '2026-10-01T08:00:35Z' } } },
          ],
        },
      });
    }
  }
  return objects;
}

/** The ADR's Istio configuration for one service, with the demo faults of the sandbox. */
function istio(name: string): KubeObject[] {
  const host = `${name}.${ADR_NAMESPACE}.svc.cluster.local`;
  const selector = { matchLabels: { app: name } };
  const outlierDetection = { consecutive5xxErrors: 5, consecutiveGatewayErrors: 5, interval: '30s', baseEjectionTime: '30s', maxEjectionPercent: 50 };
  const connectionPool = {
    tcp: { maxConnections: 100, connectTimeout: '30s', tcpKeepalive: { time: '7200s', interval: '75s' } },
    http: { http1MaxPendingRequests: 50, http2MaxRequests: 100, maxRequestsPerConnection: 10, maxRetries: 3, h2UpgradePolicy: 'UPGRADE' },
  };
  const objects: KubeObject[] = [
    {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: meta(`${name}-authz`, ADR_NAMESPACE, { labels: { app: name } }),
      spec: {
        selector,
        action: 'ALLOW',
        rules: [
          {
            from: [{ source: { principals: [KONG_PRINCIPAL, `cluster.local/ns/${ADR_NAMESPACE}/sa/ai-agent-service`], requestPrincipals: [`${ISSUER}/*`] } }],
            to: [{ operation: { methods: ['GET', 'POST'], paths: ['/api/v1/*'] } }],
          },
        ],
      },
    },
    {
      apiVersion: 'security.istio.io/v1',
      kind: 'RequestAuthentication',
      metadata: meta(`${name}-jwt`, ADR_NAMESPACE, { labels: { app: name } }),
      spec: { selector, jwtRules: [{ issuer: ISSUER, audiences: [name], jwksUri: `${ISSUER}/.well-known/jwks.json`, forwardOriginalToken: true }] },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: meta(name, ADR_NAMESPACE, { labels: { app: name } }),
      spec: {
        hosts: [host],
        http: [
          {
            name: 'premium',
            match: [{ headers: { 'x-user-tier': { exact: 'premium' } } }],
            // The ai-agent demo fault: a subset its DestinationRule does not define.
            route: [{ destination: { host, subset: name === 'ai-agent-service' ? 'premium-gpu' : 'premium', port: { number: 8080 } } }],
            timeout: '30s',
            retries: { attempts: 3, perTryTimeout: '7s', retryOn: '5xx,reset,connect-failure,retriable-4xx' },
          },
          {
            name: 'standard',
            route: [{ destination: { host, subset: 'standard', port: { number: 8080 } } }],
            timeout: '30s',
            retries: { attempts: 3, perTryTimeout: '7s', retryOn: '5xx,reset,connect-failure,retriable-4xx' },
          },
        ],
      },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: meta(name, ADR_NAMESPACE, { labels: { app: name } }),
      spec: {
        host,
        trafficPolicy: {
          tls: { mode: 'ISTIO_MUTUAL' },
          connectionPool,
          // The analytics demo fault: no outlier detection.
          ...(name === 'analytics-service' ? {} : { outlierDetection }),
        },
        subsets: [
          { name: 'premium', labels: { version: 'premium' } },
          { name: 'standard', labels: { version: 'standard' } },
        ],
      },
    },
  ];
  if (name === 'user-service') {
    // The user-service demo fault: a workload policy weakens the namespace's STRICT mTLS.
    objects.push({
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: meta('user-service-legacy-clients', ADR_NAMESPACE, { creationTimestamp: '2026-10-02T09:30:00Z' }),
      spec: { selector, mtls: { mode: 'PERMISSIVE' } },
    });
  }
  return objects;
}

function meshWide(): KubeObject[] {
  return [
    { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: meta('default', 'istio-system'), spec: { mtls: { mode: 'STRICT' } } },
    { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: meta('default', ADR_NAMESPACE), spec: { mtls: { mode: 'STRICT' } } },
    {
      apiVersion: 'telemetry.istio.io/v1',
      kind: 'Telemetry',
      metadata: meta('mesh-default', 'istio-system'),
      spec: {
        tracing: [{ providers: [{ name: 'jaeger' }], randomSamplingPercentage: 10, customTags: { 'x-kong-request-id': { header: { name: 'x-kong-request-id' } } } }],
        accessLogging: [{ providers: [{ name: 'envoy' }] }],
        metrics: [{ providers: [{ name: 'prometheus' }] }],
      },
    },
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Sidecar',
      metadata: meta('default', ADR_NAMESPACE),
      spec: { egress: [{ hosts: ['./*', 'istio-system/*', 'kong/*'] }], outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
    },
  ];
}

/**
 * The documents' Kong backup as analytics-service's team runs it: `deck dump`, deprecated since
 * decK 1.28 (a demo fault); the other two services back up with `deck gateway dump`.
 */
function backupJob(name: string): KubeObject {
  const labels = { app: `${name}-kong-backup`, 'backstage.io/kubernetes-id': name };
  const deprecated = name === 'analytics-service';
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta(`${name}-kong-backup`, ADR_NAMESPACE, { labels }),
    spec: {
      schedule: '0 2 * * *',
      concurrencyPolicy: 'Forbid',
      jobTemplate: {
        spec: {
          backoffLimit: 2,
          template: {
            metadata: { labels },
            spec: {
              restartPolicy: 'OnFailure',
              serviceAccountName: `${name}-kong-backup`,
              containers: [
                {
                  name: 'deck',
                  image: 'kong/deck:v1.40.0',
                  command: ['/bin/sh', '-c'],
                  args: [
                    deprecated
                      ? 'deck dump --kong-addr http://kong-admin.kong:8001 --select-tag analytics-service -o /backup/kong.yaml && upload /backup/kong.yaml'
                      : `deck gateway dump --kong-addr http://kong-admin.kong:8001 --select-tag ${name} -o /backup/kong.yaml && upload /backup/kong.yaml`,
                  ],
                },
              ],
            },
          },
        },
      },
    },
    status: { lastScheduleTime: '2026-11-30T02:00:00Z', lastSuccessfulTime: '2026-11-30T02:00:41Z' },
  };
}

/** The ADR's cluster: namespaces, the three workloads, their Istio policies and backup jobs. */
export function buildAdrCluster(extra: KubeObject[] = []): KubeObject[] {
  return [
    ...namespaces(),
    ...meshWide(),
    ...ADR_SERVICES.flatMap(name => [...workload(name), ...istio(name), backupJob(name)]),
    ...extra,
  ];
}

/** Adds `count` Istio objects spread over extra namespaces, for the benchmark. */
export function scaleIstioObjects(count: number): KubeObject[] {
  const objects: KubeObject[] = [];
  for (let i = 0; i < count; i++) {
    const ns = `bench-${Math.floor(i / 100)}`;
    const name = `svc-${i}`;
    objects.push(
      i % 2 === 0
        ? { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: meta(name, ns), spec: { hosts: [`${name}.${ns}.svc.cluster.local`], http: [{ route: [{ destination: { host: `${name}.${ns}.svc.cluster.local` } }], timeout: '30s' }] } }
        : { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: meta(name, ns), spec: { host: `${name}.${ns}.svc.cluster.local`, trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } } },
    );
  }
  return objects;
}
