import {
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import {
  MESH_BASELINE,
  parseServiceSpec,
  ServiceSpecInput,
} from '@internal/plugin-mesh-gateway-common';
import { parseAllDocuments } from 'yaml';
import { generateConfiguration } from '.';
import { validateConfiguration } from '../validation';
import { comparable } from '../__testUtils__/golden';

/** The service of the architecture documents: only what has no baseline value is given. */
const DOCUMENTS_SERVICE: ServiceSpecInput = {
  name: 'ai-agent',
  namespace: 'parallel-ai',
  owner: 'group:default/platform',
  auth: { issuer: 'https://auth.example.com' },
};

function specOf(input: ServiceSpecInput) {
  const result = parseServiceSpec(input);
  if (!result.success) {
    throw new Error(JSON.stringify(result.issues));
  }
  return result.spec;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap(entry => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/**
 * The generated files and the committed golden files of a spec, as [path, content] pairs;
 * UPDATE_GOLDEN=1 rewrites the golden files first.
 */
function withGolden(name: string, input: ServiceSpecInput) {
  const dir = join(__dirname, '__fixtures__', name);
  const { files } = generateConfiguration(specOf(input));
  if (process.env.UPDATE_GOLDEN) {
    rmSync(dir, { recursive: true, force: true });
    for (const file of files) {
      mkdirSync(dirname(join(dir, file.path)), { recursive: true });
      writeFileSync(join(dir, file.path), file.content);
    }
  }
  const golden = listFiles(dir)
    .map(path => relative(dir, path).split('\\').join('/'))
    .sort()
    .map(path => [
      path,
      comparable(path, readFileSync(join(dir, path), 'utf8')),
    ]);
  return {
    generated: files.map(f => [f.path, comparable(f.path, f.content)]),
    golden,
  };
}

function objects(input: ServiceSpecInput, path: string) {
  const file = generateConfiguration(specOf(input)).files.find(
    f => f.path === path,
  );
  if (!file) {
    throw new Error(`${path} was not generated`);
  }
  return parseAllDocuments(file.content).map(d => d.toJS());
}

describe('generateConfiguration', () => {
  it('generates the documents configuration from the defaults (golden files)', () => {
    const { generated, golden } = withGolden('default', DOCUMENTS_SERVICE);
    expect(generated).toEqual(golden);
  });

  it('generates Kong Ingress Controller resources in kic mode (golden files)', () => {
    const { generated, golden } = withGolden('kic', {
      ...DOCUMENTS_SERVICE,
      hosts: ['api.example.com'],
      kong: { mode: 'kic' },
    });
    expect(generated).toEqual(golden);
  });

  it('writes files that validate against the schemas and the baseline', async () => {
    for (const mode of ['deck', 'kic'] as const) {
      const { files, acceptedFindings } = generateConfiguration(
        specOf({
          ...DOCUMENTS_SERVICE,
          hosts: ['api.example.com'],
          kong: { mode },
        }),
      );
      expect(acceptedFindings).toEqual([]);
      const report = await validateConfiguration(files);
      expect(report.problems).toEqual([]);
      expect(report.notes).toEqual([]);
    }
  });

  it('is deterministic', () => {
    const spec = specOf(DOCUMENTS_SERVICE);
    expect(generateConfiguration(spec)).toEqual(generateConfiguration(spec));
  });

  it('puts the baseline values where the documents want them', () => {
    const [deck] = objects(DOCUMENTS_SERVICE, 'kong/kong.yaml');
    const service = deck.services[0];
    expect(deck._format_version).toBe('3.0');
    expect(service).toMatchObject({
      host: 'ai-agent.parallel-ai.svc.cluster.local',
      port: MESH_BASELINE.kong.upstreamPort,
      retries: 3,
      connect_timeout: 30000,
      read_timeout: 30000,
      write_timeout: 30000,
    });
    expect(service.routes[0]).toMatchObject({
      paths: ['/api/v1/ai-agent'],
      methods: ['GET', 'POST'],
      strip_path: false,
      protocols: ['https'],
    });
    const plugin = (name: string) =>
      service.plugins.find((p: { name: string }) => p.name === name);
    expect(plugin('jwt').config).toMatchObject({
      claims_to_verify: ['exp', 'nbf'],
      key_claim_name: 'iss',
    });
    expect(plugin('request-transformer').config.add.headers).toEqual([
      'x-request-source:kong-gateway',
    ]);
    expect(plugin('correlation-id').config.header_name).toBe(
      'x-kong-request-id',
    );
    expect(plugin('opentelemetry').config.sampling_rate).toBe(0.1);
    expect(plugin('prometheus').config).toMatchObject({
      status_code_metrics: true,
      latency_metrics: true,
      bandwidth_metrics: true,
      upstream_health_metrics: true,
    });

    const [vs] = objects(DOCUMENTS_SERVICE, 'istio/virtual-service.yaml');
    expect(
      vs.spec.http.map((r: { retries: unknown; timeout: string }) => [
        r.timeout,
        r.retries,
      ]),
    ).toEqual([
      [
        '30s',
        {
          attempts: 3,
          perTryTimeout: '7500ms',
          retryOn: 'gateway-error,connect-failure,refused-stream',
        },
      ],
      [
        '30s',
        {
          attempts: 3,
          perTryTimeout: '7500ms',
          retryOn: 'gateway-error,connect-failure,refused-stream',
        },
      ],
    ]);
    expect(vs.spec.http[0].match).toEqual([
      { headers: { 'x-user-tier': { exact: 'premium' } } },
    ]);

    const [policy] = objects(
      DOCUMENTS_SERVICE,
      'istio/authorization-policy.yaml',
    );
    expect(policy.spec.rules).toHaveLength(1);
    expect(policy.spec.rules[0].from[0].source).toEqual({
      principals: ['cluster.local/ns/kong/sa/kong'],
      requestPrincipals: ['https://auth.example.com/*'],
    });

    const [certificate] = objects(
      DOCUMENTS_SERVICE,
      'certificates/certificate.yaml',
    );
    expect(certificate.spec).toMatchObject({
      duration: '2160h',
      renewBefore: '1440h',
    });

    const [hpa] = objects(DOCUMENTS_SERVICE, 'autoscaling/hpa.yaml');
    expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 20 });

    const [cronJob] = objects(DOCUMENTS_SERVICE, 'backup/cronjob.yaml');
    expect(cronJob.spec.schedule).toBe('0 2 * * *');
    expect(
      cronJob.spec.jobTemplate.spec.template.spec.initContainers[0].args.slice(
        0,
        2,
      ),
    ).toEqual(['gateway', 'dump']);
  });

  it('writes the catalog annotations the Mesh tab reads', () => {
    const [component, api] = objects(DOCUMENTS_SERVICE, 'catalog-info.yaml');
    expect(component.metadata.annotations).toEqual({
      'mesh-gateway.io/kong-services': 'ai-agent',
      'backstage.io/kubernetes-id': 'ai-agent',
      'backstage.io/kubernetes-namespace': 'parallel-ai',
      'mesh-gateway.io/istio-host': 'ai-agent.parallel-ai.svc.cluster.local',
      'mesh-gateway.io/tracing-service': 'ai-agent.parallel-ai',
      // The baseline's SLO, written so the Mesh tab judges what the PrometheusRule alerts on.
      'mesh-gateway.io/slo-availability': '99.95',
      'mesh-gateway.io/slo-p95-ms': '100',
      'mesh-gateway.io/slo-gateway-p95-ms': '50',
      'mesh-gateway.io/certificates': 'ai-agent-tls',
    });
    expect(api.kind).toBe('API');
    expect(api.metadata.annotations).toEqual(component.metadata.annotations);
    expect(component.spec.providesApis).toEqual(['ai-agent']);
    const [kic] = objects(
      { ...DOCUMENTS_SERVICE, kong: { mode: 'kic' } },
      'catalog-info.yaml',
    );
    expect(kic.metadata.annotations['mesh-gateway.io/kong-tags']).toBe(
      'parallel-ai.ai-agent',
    );
  });

  it('writes the SLO and the certificate of the spec into the annotations', () => {
    const [component] = objects(
      {
        ...DOCUMENTS_SERVICE,
        hosts: ['api.example.com'],
        slo: { availability: 0.999, endToEndP95Ms: 250, gatewayP95Ms: 20 },
        certificate: { hosts: ['api.example.com', 'www.example.com'] },
      },
      'catalog-info.yaml',
    );
    expect(component.metadata.annotations).toMatchObject({
      'mesh-gateway.io/slo-availability': '99.9',
      'mesh-gateway.io/slo-p95-ms': '250',
      'mesh-gateway.io/slo-gateway-p95-ms': '20',
      'mesh-gateway.io/certificates': 'ai-agent-tls',
      'mesh-gateway.io/tls-hosts': 'api.example.com,www.example.com',
    });
    const [certificate] = objects(
      { ...DOCUMENTS_SERVICE, hosts: ['api.example.com'] },
      'certificates/certificate.yaml',
    );
    expect(certificate.metadata.name).toBe('ai-agent-tls');
  });

  it('probes only public certificate hosts: not the in-cluster name the certificate falls back to', () => {
    const annotations = (input: ServiceSpecInput) =>
      objects(input, 'catalog-info.yaml')[0].metadata.annotations;
    expect(annotations(DOCUMENTS_SERVICE)).not.toHaveProperty(
      'mesh-gateway.io/tls-hosts',
    );
    expect(
      annotations({
        ...DOCUMENTS_SERVICE,
        certificate: {
          hosts: [
            'ai-agent.parallel-ai.svc.cluster.local',
            'api.example.com',
            'api.example.1x',
          ],
        },
      })['mesh-gateway.io/tls-hosts'],
    ).toBe('api.example.com');
  });

  it('rounds the availability objective once, the same in the PrometheusRule, the dashboard and the annotation', () => {
    const input = { ...DOCUMENTS_SERVICE, slo: { availability: 0.99912345 } };
    const [component] = objects(input, 'catalog-info.yaml');
    expect(
      component.metadata.annotations['mesh-gateway.io/slo-availability'],
    ).toBe('99.9123');
    const [rule] = objects(input, 'observability/prometheus-rule.yaml');
    const alerts = rule.spec.groups[1].rules;
    expect(alerts[0].annotations.summary).toContain(
      'its 99.9123% availability',
    );
    // 14.4 x the 0.000877 budget
    expect(alerts[0].expr).toContain('> 0.0126288\n');
  });

  it('checks the audience in the mesh only when auth is jwt', () => {
    const spec = specOf({ ...DOCUMENTS_SERVICE, auth: { type: 'key-auth' } });
    const { files, acceptedFindings } = generateConfiguration(spec);
    expect(files.map(f => f.path)).not.toContain(
      'istio/request-authentication.yaml',
    );
    expect(acceptedFindings.map(f => f.code)).toEqual([
      'MG-KONG-001',
      'MG-ISTIO-005',
    ]);
    const [policy] = objects(
      { ...DOCUMENTS_SERVICE, auth: { type: 'key-auth' } },
      'istio/authorization-policy.yaml',
    );
    expect(
      policy.spec.rules[0].from[0].source.requestPrincipals,
    ).toBeUndefined();
  });

  it('disables retries explicitly and routes without subsets when asked', () => {
    const input = {
      ...DOCUMENTS_SERVICE,
      resilience: { retries: 0 },
      tiers: { enabled: false },
    };
    const [vs] = objects(input, 'istio/virtual-service.yaml');
    expect(vs.spec.http).toEqual([
      expect.objectContaining({ name: 'default', retries: { attempts: 0 } }),
    ]);
    const [dr] = objects(input, 'istio/destination-rule.yaml');
    expect(dr.spec.subsets).toBeUndefined();
  });

  it('keeps CronJob names within 52 characters', () => {
    const [cronJob] = objects(
      { ...DOCUMENTS_SERVICE, name: 'a'.repeat(63) },
      'backup/cronjob.yaml',
    );
    expect(cronJob.metadata.name.length).toBeLessThanOrEqual(52);
    expect(cronJob.metadata.name.endsWith('-kong-backup')).toBe(true);
  });

  it('writes no backup when it is disabled', () => {
    const { files } = generateConfiguration(
      specOf({ ...DOCUMENTS_SERVICE, backup: { enabled: false } }),
    );
    expect(files.some(f => f.path.startsWith('backup/'))).toBe(false);
  });
});
