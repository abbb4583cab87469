import { parseAllDocuments } from 'yaml';
import { findDocumentMistakes } from './documentMistakes';
import { validateConfiguration } from './validateConfiguration';

/** The configuration as the architecture documents write it (DESIGN.md, last section). */
const DOCUMENTS = {
  'kong/kong.yaml': `
_format_version: "3.0"
services:
  - name: ai-agent
    host: ai-agent.parallel-ai.svc.cluster.local
    port: 8080
    plugins:
      - name: jwt
        config:
          claims_to_verify: [exp, aud]
          key_claim_name: iss
`,
  'istio/authorization-policy.yaml': `
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: { name: service-authz, namespace: parallel-ai }
spec:
  selector: { matchLabels: { app: ai-agent } }
  action: ALLOW
  rules:
    - from:
        - source:
            principals: ["cluster.local/ns/kong/sa/kong"]
    - to:
        - operation:
            methods: ["GET", "POST"]
`,
  'istio/destination-rule.yaml': `
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: ai-agent, namespace: parallel-ai }
spec:
  host: ai-agent.parallel-ai.svc.cluster.local
  trafficPolicy:
    connectionPool:
      tcp:
        maxConnections: 100
        keepAlive: { time: 7200s, interval: 75s }
      http:
        http1MaxPendingRequests: 50
        connectTimeout: 30s
    circuitBreaker:
      consecutiveErrors: 5
`,
  'istio/telemetry.yaml': `
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata: { name: ai-agent, namespace: parallel-ai }
spec:
  accessLogging:
    - providers: [{ name: envoy }]
      customTags:
        request-id: { header: { name: x-kong-request-id } }
`,
  'istio/virtual-service.yaml': `
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ai-agent, namespace: parallel-ai }
spec:
  hosts: [ai-agent.parallel-ai.svc.cluster.local]
  http:
    - route: [{ destination: { host: ai-agent.parallel-ai.svc.cluster.local } }]
      timeout: 30s
      retries: { attempts: 3, perTryTimeout: 10s }
`,
  'kong/kic/kong.yaml': `
apiVersion: configuration.konghq.com/v1
kind: KongService
metadata: { name: ai-agent, namespace: parallel-ai }
spec: { host: ai-agent.parallel-ai.svc.cluster.local }
---
apiVersion: configuration.konghq.com/v1
kind: KongRoute
metadata: { name: ai-agent, namespace: parallel-ai }
spec: { paths: [/api/v1/ai-agent] }
---
apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata: { name: ai-agent-jwt, namespace: parallel-ai }
plugin: jwt
protocol: http
config: { claims_to_verify: [exp, aud] }
`,
  'backup/cronjob.yaml': `
apiVersion: batch/v1
kind: CronJob
metadata: { name: kong-backup, namespace: kong }
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: backup
              image: kong/deck:v1.45.0
              command: [/bin/sh, -c]
              args: ["deck dump --kong-addr http://kong-admin:8001 -o /backup/kong.yaml && aws s3 cp /backup/kong.yaml s3://backups/"]
            - name: backup-entrypoint
              image: kong/deck:v1.45.0
              args: [dump, --kong-addr, http://kong-admin:8001]
`,
};

function objectsOf(path: keyof typeof DOCUMENTS) {
  return parseAllDocuments(DOCUMENTS[path]).map((d, index) => ({
    file: path,
    index,
    value: d.toJS(),
  }));
}

function mistakes(path: keyof typeof DOCUMENTS) {
  return objectsOf(path).flatMap(findDocumentMistakes);
}

describe('findDocumentMistakes', () => {
  it('finds aud in the jwt plugin, in decK and in a KongPlugin', () => {
    expect(mistakes('kong/kong.yaml')).toEqual([
      expect.objectContaining({
        object: 'decK state',
        field: 'services[0].plugins[0].config.claims_to_verify[1]',
        code: 'MG-KONG-003',
      }),
    ]);
    expect(mistakes('kong/kic/kong.yaml')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          object: 'KongPlugin/ai-agent-jwt',
          field: 'config.claims_to_verify[1]',
          code: 'MG-KONG-003',
        }),
      ]),
    );
  });

  it('finds the ORed authorization rule that lets any caller in', () => {
    expect(mistakes('istio/authorization-policy.yaml')).toEqual([
      expect.objectContaining({
        object: 'AuthorizationPolicy/service-authz',
        field: 'spec.rules[1].from',
        code: 'MG-ISTIO-004',
      }),
    ]);
  });

  it('finds circuitBreaker, http.connectTimeout and tcp.keepAlive', () => {
    expect(mistakes('istio/destination-rule.yaml').map(p => p.field)).toEqual([
      'spec.trafficPolicy.circuitBreaker',
      'spec.trafficPolicy.connectionPool.http.connectTimeout',
      'spec.trafficPolicy.connectionPool.tcp.keepAlive',
    ]);
  });

  it('finds customTags under accessLogging', () => {
    expect(mistakes('istio/telemetry.yaml')).toEqual([
      expect.objectContaining({
        field: 'spec.accessLogging[0].customTags',
        code: 'MG-ISTIO-014',
      }),
    ]);
  });

  it('finds retries that overrun the route timeout', () => {
    expect(mistakes('istio/virtual-service.yaml')).toEqual([
      expect.objectContaining({
        field: 'spec.http[0].retries.perTryTimeout',
        code: 'MG-ISTIO-007',
        message: expect.stringContaining('7500ms'),
      }),
    ]);
  });

  it('finds the Kong kinds that do not exist and the protocol field', () => {
    expect(
      mistakes('kong/kic/kong.yaml').map(p => `${p.object} ${p.field}`),
    ).toEqual([
      'KongService/ai-agent kind',
      'KongRoute/ai-agent kind',
      'KongPlugin/ai-agent-jwt config.claims_to_verify[1]',
      'KongPlugin/ai-agent-jwt protocol',
    ]);
  });

  it('finds deck dump, in a shell line and as the deck image arguments', () => {
    expect(mistakes('backup/cronjob.yaml').map(p => p.field)).toEqual([
      'spec.jobTemplate.spec.template.spec.containers[0].args[0]',
      'spec.jobTemplate.spec.template.spec.containers[1].args[0]',
    ]);
  });

  it('lets mesh-gateway:validate fail on every one of them with file, object and field', async () => {
    const report = await validateConfiguration(
      Object.entries(DOCUMENTS).map(([path, content]) => ({ path, content })),
    );
    const coded = report.problems.filter(
      p =>
        p.code &&
        [
          'MG-KONG-003',
          'MG-ISTIO-004',
          'MG-ISTIO-007',
          'MG-ISTIO-014',
        ].includes(p.code),
    );
    expect(coded.length).toBeGreaterThanOrEqual(8);
    // A field both the schema and the mistakes flag is reported once, with the explanation.
    const circuitBreaker = report.problems.filter(
      p => p.field === 'spec.trafficPolicy.circuitBreaker',
    );
    expect(circuitBreaker).toEqual([
      expect.objectContaining({
        file: 'istio/destination-rule.yaml',
        code: 'MG-ISTIO-014',
      }),
    ]);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'kong/kic/kong.yaml',
          object: 'KongService/ai-agent',
          field: 'kind',
        }),
        expect.objectContaining({
          file: 'backup/cronjob.yaml',
          message: expect.stringContaining('deck gateway dump'),
        }),
      ]),
    );
  });
});
