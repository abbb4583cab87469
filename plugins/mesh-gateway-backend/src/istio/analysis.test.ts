import type { KubernetesObjectView } from '@internal/plugin-mesh-gateway-common';
import { analyseIstio, KongUpstreamTarget } from './analysis';
import { effectiveAuthorization } from './authorization';
import type { IstioInventory } from './inventory';
import { effectiveMtls } from './mtls';
import { inventory, istioObject } from './__testUtils__/testObjects';
import { resilience, trafficRoutes } from './traffic';

const NS = 'parallel-ai';
const HOST = 'user-service.parallel-ai.svc.cluster.local';

/** The ADR's configuration done right: the analysis must find nothing in it. */
function compliant(): IstioInventory {
  return inventory({
    podLabels: [
      { app: 'user-service', version: 'premium' },
      { app: 'user-service', version: 'standard' },
    ],
    peerAuthentications: [istioObject('PeerAuthentication', NS, 'default', { mtls: { mode: 'STRICT' } })],
    authorizationPolicies: [
      istioObject('AuthorizationPolicy', NS, 'user-service', {
        selector: { matchLabels: { app: 'user-service' } },
        action: 'ALLOW',
        rules: [{ from: [{ source: { principals: ['cluster.local/ns/kong/sa/kong'], requestPrincipals: ['*'] } }], to: [{ operation: { methods: ['GET', 'POST'] } }] }],
      }),
    ],
    requestAuthentications: [
      istioObject('RequestAuthentication', NS, 'user-service', { selector: { matchLabels: { app: 'user-service' } }, jwtRules: [{ issuer: 'https://auth.parallel.ai', audiences: ['user-service'] }] }),
    ],
    virtualServices: [
      istioObject('VirtualService', NS, 'user-service', {
        hosts: ['user-service'],
        http: [
          { match: [{ headers: { 'x-user-tier': { exact: 'premium' } } }], route: [{ destination: { host: 'user-service', subset: 'premium' } }], timeout: '30s', retries: { attempts: 3, perTryTimeout: '7s', retryOn: '5xx,reset' } },
          { route: [{ destination: { host: 'user-service', subset: 'standard' } }], timeout: '30s', retries: { attempts: 3, perTryTimeout: '7s' } },
        ],
      }),
    ],
    destinationRules: [
      istioObject('DestinationRule', NS, 'user-service', {
        host: HOST,
        trafficPolicy: {
          tls: { mode: 'ISTIO_MUTUAL' },
          outlierDetection: { consecutive5xxErrors: 5, interval: '30s', baseEjectionTime: '30s', maxEjectionPercent: 50 },
          connectionPool: { tcp: { maxConnections: 100, connectTimeout: '30s' }, http: { http1MaxPendingRequests: 50 } },
        },
        subsets: [{ name: 'premium', labels: { version: 'premium' } }, { name: 'standard', labels: { version: 'standard' } }],
      }),
    ],
  });
}

function analyse(inv: IstioInventory, kongTargets?: KongUpstreamTarget[]) {
  return analyseIstio({
    inventory: inv,
    mtls: effectiveMtls(inv),
    authorization: effectiveAuthorization(inv),
    traffic: trafficRoutes(inv),
    resilience: resilience(inv),
    kongTargets,
  });
}

const codes = (inv: IstioInventory, kong?: KongUpstreamTarget[]) => analyse(inv, kong).map(f => f.code);
const spec = (o: KubernetesObjectView) => o.spec as any;

describe('analyseIstio', () => {
  it('finds nothing in the baseline configuration', () => {
    expect(analyse(compliant(), [{ service: 'user-service', host: HOST, port: 8080 }])).toEqual([]);
  });

  it.each<[string, (inv: IstioInventory) => void, string[]]>([
    ['namespace not injected', inv => { inv.namespaceObject!.metadata.labels = {}; }, ['MG-ISTIO-008']],
    ['workload PERMISSIVE over STRICT namespace', inv => { inv.peerAuthentications.push(istioObject('PeerAuthentication', NS, 'wl', { selector: { matchLabels: { app: 'user-service' } }, mtls: { mode: 'PERMISSIVE' } })); }, ['MG-ISTIO-001']],
    ['a port DISABLEd under STRICT', inv => { inv.peerAuthentications = [istioObject('PeerAuthentication', NS, 'wl', { selector: { matchLabels: { app: 'user-service' } }, mtls: { mode: 'STRICT' }, portLevelMtls: { '8080': { mode: 'DISABLE' } } })]; }, ['MG-ISTIO-001']],
    ['DestinationRule tls DISABLE under STRICT', inv => { spec(inv.destinationRules[0]).trafficPolicy.tls.mode = 'DISABLE'; }, ['MG-ISTIO-002']],
    ['no authorization policy', inv => { inv.authorizationPolicies = []; }, ['MG-ISTIO-003']],
    ['the documents\' split from/to', inv => { spec(inv.authorizationPolicies[0]).rules = [{ from: [{ source: { principals: ['cluster.local/ns/kong/sa/kong'] } }] }, { to: [{ operation: { methods: ['GET', 'POST'] } }] }]; }, ['MG-ISTIO-004']],
    ['no RequestAuthentication', inv => { inv.requestAuthentications = []; }, ['MG-ISTIO-005']],
    ['RequestAuthentication without audiences', inv => { spec(inv.requestAuthentications[0]).jwtRules[0].audiences = []; }, ['MG-ISTIO-005']],
    ['no outlier detection (the analytics-service demo fault)', inv => { delete spec(inv.destinationRules[0]).trafficPolicy.outlierDetection; }, ['MG-ISTIO-006']],
    ['no DestinationRule at all', inv => { inv.destinationRules = []; spec(inv.virtualServices[0]).http.forEach((r: any) => delete r.route[0].destination.subset); }, ['MG-ISTIO-006']],
    ['the documents\' 3 x 10s retries in 30s', inv => { spec(inv.virtualServices[0]).http[0].retries.perTryTimeout = '10s'; }, ['MG-ISTIO-007']],
    ['subset missing from the DestinationRule', inv => { spec(inv.destinationRules[0]).subsets.pop(); }, ['MG-ISTIO-009']],
    ['subset selecting no pods', inv => { inv.podLabels = [{ app: 'user-service', version: 'premium' }]; }, ['MG-ISTIO-010']],
    ['DestinationRule for a host with no Service', inv => { inv.destinationRules.push(istioObject('DestinationRule', NS, 'ghost', { host: 'ghost', trafficPolicy: { outlierDetection: {}, connectionPool: {} } })); }, ['MG-ISTIO-011']],
    ['no VirtualService', inv => { inv.virtualServices = []; }, ['MG-ISTIO-013']],
    ['circuitBreaker from the documents', inv => { spec(inv.destinationRules[0]).trafficPolicy.circuitBreaker = { consecutiveErrors: 5 }; }, ['MG-ISTIO-014']],
    ['http.connectTimeout from the documents', inv => { spec(inv.destinationRules[0]).trafficPolicy.connectionPool.http.connectTimeout = '30s'; }, ['MG-ISTIO-014']],
    ['tcp.keepAlive from the documents', inv => { spec(inv.destinationRules[0]).trafficPolicy.connectionPool.tcp.keepAlive = { time: '7200s' }; }, ['MG-ISTIO-014']],
    ['customTags under accessLogging', inv => { inv.telemetries = [istioObject('Telemetry', NS, 't', { accessLogging: [{ providers: [{ name: 'envoy' }], customTags: { x: {} } }] })]; }, ['MG-ISTIO-014']],
    ['dry-run policy', inv => { inv.authorizationPolicies.push(istioObject('AuthorizationPolicy', NS, 'dry', { rules: [{ from: [{ source: { namespaces: ['x'] } }] }] }, { annotations: { 'istio.io/dry-run': 'true' } })); }, ['MG-ISTIO-015']],
    ['allow-nothing policy', inv => { inv.authorizationPolicies = [istioObject('AuthorizationPolicy', NS, 'nothing', {})]; }, ['MG-ISTIO-016']],
    ['port without protocol name', inv => { spec(inv.service!).ports[0].name = 'web'; }, ['MG-ISTIO-017']],
    ['no connection pool', inv => { delete spec(inv.destinationRules[0]).trafficPolicy.connectionPool; }, ['MG-ISTIO-018']],
    ['route without retries', inv => { delete spec(inv.virtualServices[0]).http[1].retries; }, ['MG-ISTIO-019']],
    ['a newer namespace policy is ignored', inv => { inv.peerAuthentications.push(istioObject('PeerAuthentication', NS, 'newer', { mtls: { mode: 'STRICT' } }, { creationTimestamp: '2026-03-01T00:00:00Z' })); }, ['MG-ISTIO-020']],
    ['ALLOW rule without Kong\'s principal', inv => { spec(inv.authorizationPolicies[0]).rules[0].from[0].source.principals = ['cluster.local/ns/parallel-ai/sa/analytics']; }, ['MG-ISTIO-021']],
  ])('%s', (_name, change, expected) => {
    const inv = compliant();
    change(inv);
    expect(codes(inv, [{ service: 'user-service', host: HOST, port: 8080 }])).toEqual(expected);
  });

  const backupJob = (container: { command?: string[]; args?: string[] }): KubernetesObjectView => ({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'kong-backup', namespace: NS },
    spec: { schedule: '0 2 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'deck', image: 'kong/deck:v1.40.0', ...container }] } } } } },
  });
  it.each<[string, { command?: string[]; args?: string[] }, string[]]>([
    ['the documents\' deck dump as arguments', { args: ['dump', '--kong-addr', 'http://kong-admin:8001'], command: ['deck'] }, ['MG-OPS-001']],
    ['deck dump in a shell script', { command: ['/bin/sh', '-c', 'set -e; /usr/local/bin/deck dump --kong-addr "$KONG" -o /backup/kong.yaml && upload'] }, ['MG-OPS-001']],
    ['deck gateway dump', { command: ['deck'], args: ['gateway', 'dump', '-o', '/backup/kong.yaml'] }, []],
    ['deck gateway dump in a shell script', { command: ['sh', '-c', 'deck gateway dump -o /backup/kong.yaml'] }, []],
    ['another tool that dumps', { command: ['pg_dump', 'kong'] }, []],
  ])('backup CronJob: %s', (_name, container, expected) => {
    const inv = compliant();
    inv.cronJobs = [backupJob(container)];
    expect(codes(inv, [{ service: 'user-service', host: HOST, port: 8080 }])).toEqual(expected);
  });

  it.each([
    ['Kong host is another Service', [{ service: 'user-service', host: 'users.parallel-ai.svc.cluster.local', port: 8080 }]],
    ['Kong port is not a Service port', [{ service: 'user-service', host: HOST, port: 9999 }]],
  ])('cross-checks Kong: %s', (_name, kong) => {
    expect(codes(compliant(), kong)).toEqual(['MG-ISTIO-012']);
  });

  it('names the istioctl code where one exists', () => {
    const inv = compliant();
    spec(inv.destinationRules[0]).subsets.pop();
    expect(analyse(inv)[0]).toMatchObject({ code: 'MG-ISTIO-009', istioctlCode: 'IST0101', object: 'istio/VirtualService/parallel-ai/user-service' });
  });
});
