import { MESH_BASELINE } from './baseline/baseline';
import {
  derivePerTryTimeoutMs,
  parseServiceSpec,
  ServiceSpecInput,
} from './serviceSpec';

const minimal: ServiceSpecInput = {
  name: 'ai-agent',
  owner: 'group:default/platform',
  auth: { issuer: 'https://auth.example.com' },
};

function parse(input: unknown) {
  const result = parseServiceSpec(input);
  if (!result.success) {
    throw new Error(JSON.stringify(result.issues));
  }
  return result.spec;
}

function issuesOf(input: unknown) {
  const result = parseServiceSpec(input);
  if (result.success) {
    throw new Error('expected the spec to be rejected');
  }
  return result.issues;
}

describe('serviceSpecSchema', () => {
  it('fills every default from the baseline', () => {
    const spec = parse(minimal);
    expect(spec.namespace).toBe('ai-agent');
    expect(spec.port).toBe(MESH_BASELINE.kong.upstreamPort);
    expect(spec.clusterHost).toBe('ai-agent.ai-agent.svc.cluster.local');
    expect(spec.routes).toEqual([
      { name: 'api', path: '/api/v1/ai-agent', methods: ['GET', 'POST'] },
    ]);
    expect(spec.auth).toEqual({
      type: 'jwt',
      issuer: 'https://auth.example.com',
      audiences: ['ai-agent'],
      jwksUri: undefined,
      keyNames: ['apikey'],
    });
    expect(spec.resilience.timeoutSeconds).toBe(30);
    expect(spec.resilience.retries).toBe(3);
    expect(spec.resilience.perTryTimeoutMs).toBe(7500);
    expect(spec.resilience.outlierDetection).toEqual({
      consecutive5xxErrors: 5,
      consecutiveGatewayErrors: 5,
      intervalSeconds: 30,
      baseEjectionTimeSeconds: 30,
      maxEjectionPercent: 50,
    });
    expect(spec.resilience.connectionPool).toMatchObject({
      maxConnections: 100,
      connectTimeoutSeconds: 30,
      tcpKeepaliveTimeSeconds: 7200,
      tcpKeepaliveIntervalSeconds: 75,
      http1MaxPendingRequests: 50,
      http2MaxRequests: 100,
      maxRequestsPerConnection: 10,
      maxRetries: 3,
      http2Upgrade: true,
    });
    expect(spec.observability.tracingSampling).toBe(0.1);
    expect(spec.slo).toEqual({
      availability: 0.9995,
      endToEndP95Ms: 100,
      gatewayP95Ms: 50,
    });
    expect(spec.autoscaling).toMatchObject({
      minReplicas: 3,
      maxReplicas: 20,
      cpuUtilization: 70,
      requestsPerSecondPerPod: 1000,
    });
    expect(spec.certificate).toMatchObject({
      hosts: ['ai-agent.ai-agent.svc.cluster.local'],
      durationDays: 90,
      rotationDays: 30,
    });
    expect(spec.backup).toMatchObject({
      schedule: '0 2 * * *',
      prefix: 'ai-agent/ai-agent',
    });
    expect(spec.kong.mode).toBe('deck');
    expect(spec.targetPath).toBe('.');
  });

  it('treats empty strings from a form as absent', () => {
    const spec = parse({
      ...minimal,
      namespace: '',
      system: '',
      description: '',
      auth: { type: 'jwt', issuer: 'https://auth.example.com', jwksUri: '' },
      backup: { region: '', roleArn: '', prefix: '' },
    });
    expect(spec.namespace).toBe('ai-agent');
    expect(spec.system).toBeUndefined();
    expect(spec.auth.jwksUri).toBeUndefined();
    expect(spec.backup.region).toBeUndefined();
  });

  it('accepts cron lists, ranges and steps and IANA time zones', () => {
    const spec = parse({
      ...minimal,
      backup: { schedule: '*/15 1-5,22 1 1,6 0-7', timeZone: 'Europe/Berlin' },
    });
    expect(spec.backup.schedule).toBe('*/15 1-5,22 1 1,6 0-7');
  });

  it('uses the public hosts for the certificate when given', () => {
    const spec = parse({ ...minimal, hosts: ['api.example.com'] });
    expect(spec.certificate.hosts).toEqual(['api.example.com']);
  });

  it('derives a per-try timeout that fits inside the route timeout', () => {
    for (const [timeout, retries] of [
      [30, 3],
      [1, 10],
      [7, 2],
      [600, 0],
    ]) {
      const perTry = derivePerTryTimeoutMs(timeout, retries);
      expect((retries + 1) * perTry).toBeLessThanOrEqual(timeout * 1000);
      expect((retries + 1) * (perTry + 1)).toBeGreaterThan(timeout * 1000);
    }
  });

  it.each([
    ['name', { ...minimal, name: 'Bad_Name' }],
    ['name', { ...minimal, name: 'a'.repeat(64) }],
    ['name', { ...minimal, name: 'x\nkind: Secret' }],
    ['namespace', { ...minimal, namespace: '-ns' }],
    ['description', { ...minimal, description: 'ok\nowner: mallory' }],
    ['description', { ...minimal, description: 'a: {b: c}' }],
    ['port', { ...minimal, port: -1 }],
    ['port', { ...minimal, port: 8080.5 }],
    [
      'routes.0.methods.0',
      { ...minimal, routes: [{ path: '/a', methods: ['FETCH'] }] },
    ],
    ['routes.0.path', { ...minimal, routes: [{ path: '/a/../b' }] }],
    ['routes.0.path', { ...minimal, routes: [{ path: 'relative' }] }],
    ['auth.issuer', { ...minimal, auth: { type: 'jwt' } }],
    [
      'auth.issuer',
      { ...minimal, auth: { issuer: 'http://insecure.example.com' } },
    ],
    [
      'auth.audiences.0',
      {
        ...minimal,
        auth: { issuer: 'https://a.example.com', audiences: ['x y'] },
      },
    ],
    ['resilience.retries', { ...minimal, resilience: { retries: -3 } }],
    [
      'resilience.perTryTimeoutMs',
      { ...minimal, resilience: { perTryTimeoutMs: 10_000 } },
    ],
    [
      'resilience.timeoutSecond',
      { ...minimal, resilience: { timeoutSecond: 5 } },
    ],
    [
      'requestHeaders.0.name',
      {
        ...minimal,
        requestHeaders: [{ name: 'x-request-source', value: 'me' }],
      },
    ],
    [
      'requestHeaders.0.value',
      { ...minimal, requestHeaders: [{ name: 'x-a', value: 'a: b' }] },
    ],
    ['callers.0', { ...minimal, callers: ['cluster.local/ns/a/sa/b'] }],
    [
      'autoscaling.minReplicas',
      { ...minimal, autoscaling: { minReplicas: 30 } },
    ],
    [
      'backup.schedule',
      { ...minimal, backup: { schedule: '0 2 * * *; rm -rf /' } },
    ],
    ['backup.bucket', { ...minimal, backup: { bucket: 'b$(id)' } }],
    ['backup.schedule', { ...minimal, backup: { schedule: '99 2 * * *' } }],
    ['backup.schedule', { ...minimal, backup: { schedule: '0 2 * 13 *' } }],
    ['backup.schedule', { ...minimal, backup: { schedule: '*/0 * * * *' } }],
    [
      'backup.schedule',
      { ...minimal, backup: { schedule: '0 2 * * * \n :  ' } },
    ],
    ['backup.schedule', { ...minimal, backup: { schedule: '0 2 * *' } }],
    [
      'backup.timeZone',
      { ...minimal, backup: { timeZone: 'Mars/Olympus_Mons' } },
    ],
    [
      'backup.kongAdminUrl',
      { ...minimal, backup: { kongAdminUrl: 'http://kong-admin:99999' } },
    ],
    [
      'observability.otlpTracesEndpoint',
      {
        ...minimal,
        observability: { otlpTracesEndpoint: 'http://a..b/v1/traces' },
      },
    ],
    ['targetPath', { ...minimal, targetPath: '../outside' }],
    ['targetPath', { ...minimal, targetPath: '/etc' }],
    ['targetPath', { ...minimal, targetPath: 'a/../../b' }],
    [
      'certificate.rotationDays',
      { ...minimal, certificate: { rotationDays: 90 } },
    ],
    ['unexpected', { ...minimal, unexpected: true }],
  ])('rejects a bad %s', (parameter, input) => {
    expect(issuesOf(input).map(i => i.parameter)).toContain(parameter);
  });
});
