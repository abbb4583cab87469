import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { createMockDirectory } from '@backstage/backend-test-utils';
import { parseServiceSpec } from '@internal/plugin-mesh-gateway-common';
import { generateConfiguration } from '../generator';
import {
  formatProblem,
  readConfigurationFolder,
  validateConfiguration,
} from './validateConfiguration';

function defaultFiles() {
  const result = parseServiceSpec({
    name: 'ai-agent',
    namespace: 'parallel-ai',
    owner: 'group:default/platform',
    auth: { issuer: 'https://auth.example.com' },
  });
  if (!result.success) throw new Error(JSON.stringify(result.issues));
  return generateConfiguration(result.spec).files;
}

function replaceIn(
  files: { path: string; content: string }[],
  path: string,
  from: string,
  to: string,
) {
  return files.map(f => {
    if (f.path !== path) return f;
    if (!f.content.includes(from)) throw new Error(`${path} has no ${from}`);
    return { ...f, content: f.content.replace(from, to) };
  });
}

describe('validateConfiguration', () => {
  it('passes the generated configuration and skips non-configuration files', async () => {
    const report = await validateConfiguration(defaultFiles());
    expect(report.problems).toEqual([]);
    expect(report.checkedFiles).toContain('kong/kong.yaml');
    expect(report.checkedFiles).not.toContain('backup/RESTORE.md');
  });

  it('reports every problem at once, with file, object and field', async () => {
    let files = defaultFiles();
    files = replaceIn(
      files,
      'autoscaling/hpa.yaml',
      'minReplicas: 3',
      'minReplicas: "3"',
    );
    files = replaceIn(
      files,
      'istio/destination-rule.yaml',
      'maxEjectionPercent: 50',
      'maxEjectionPercent: 50\n      maxEjection: 50',
    );
    files = replaceIn(
      files,
      'kong/kong.yaml',
      'latency_metrics: true',
      'latency_metric: true',
    );
    files = replaceIn(
      files,
      'catalog-info.yaml',
      '    mesh-gateway.io/kong-services: ai-agent\n',
      '',
    );
    const report = await validateConfiguration(files);
    expect(report.problems.map(formatProblem)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^autoscaling\/hpa\.yaml: HorizontalPodAutoscaler\/ai-agent spec\.minReplicas: must be integer/,
        ),
        expect.stringMatching(
          /^istio\/destination-rule\.yaml: DestinationRule\/ai-agent spec\.trafficPolicy\.outlierDetection\.maxEjection: unknown field/,
        ),
        expect.stringMatching(
          /^kong\/kong\.yaml: decK state services\[0\]\.plugins\[3\]\.config\.latency_metric: unknown field of the prometheus plugin/,
        ),
        expect.stringMatching(
          /^kong\/kong\.yaml: decK service ai-agent services\[0\]\.plugins: No Prometheus metrics.*\[MG-KONG-009\]$/,
        ),
        expect.stringMatching(
          /^catalog-info\.yaml: Component\/ai-agent metadata\.annotations: the Mesh tab needs/,
        ),
      ]),
    );
  });

  it('reports broken YAML, duplicate keys, unknown kinds and removed APIs', async () => {
    const report = await validateConfiguration([
      { path: 'istio/broken.yaml', content: 'a: [1, 2\n' },
      {
        path: 'istio/duplicate.yaml',
        content:
          'apiVersion: v1\nkind: Namespace\nkind: Secret\nmetadata: {name: x}\n',
      },
      {
        path: 'istio/unknown.yaml',
        content: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n',
      },
      {
        path: 'istio/old.yaml',
        content:
          'apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata: {name: x}\n',
      },
      {
        path: 'autoscaling/old.yaml',
        content:
          'apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: x}\n',
      },
      { path: 'istio/list.yaml', content: '- a\n- b\n' },
      {
        path: 'observability/dashboard.json',
        content: '{"title": "x", "panels": [{"targets": [{}]}]}',
      },
    ]);
    const byFile = (file: string) =>
      report.problems.filter(p => p.file === file).map(p => p.message);
    expect(byFile('istio/broken.yaml')[0]).toMatch(/is not valid YAML/);
    expect(byFile('istio/duplicate.yaml').join()).toMatch(
      /not valid YAML: Map keys must be unique/,
    );
    expect(byFile('istio/unknown.yaml')[0]).toMatch(
      /apps\/v1 Deployment is not a kind this validator checks/,
    );
    expect(byFile('istio/old.yaml')[0]).toMatch(
      /not a kind this validator checks/,
    );
    expect(byFile('autoscaling/old.yaml')[0]).toMatch(
      /removed in Kubernetes 1\.26/,
    );
    expect(byFile('istio/list.yaml')[0]).toMatch(/must be a mapping/);
    expect(byFile('observability/dashboard.json')[0]).toMatch(
      /needs a PromQL expression/,
    );
  });

  it('reports aliases, documents nested too deeply and __proto__ keys instead of throwing', async () => {
    const report = await validateConfiguration([
      {
        path: 'istio/alias.yaml',
        content: 'a: &a [1, 2]\nb: [*a, *a]\n',
      },
      { path: 'istio/unresolved.yaml', content: 'a: *nowhere\n' },
      { path: 'istio/deep.yaml', content: '['.repeat(60_000) },
      {
        path: 'istio/proto.yaml',
        content:
          'apiVersion: v1\nkind: Service\nmetadata: {name: x, __proto__: {polluted: true}}\n',
      },
    ]);
    const byFile = (file: string) =>
      report.problems.filter(p => p.file === file).map(p => p.message);
    expect(byFile('istio/alias.yaml')).toEqual([
      expect.stringMatching(/^uses a YAML alias/),
    ]);
    expect(byFile('istio/unresolved.yaml')).toEqual([
      expect.stringMatching(/alias|not valid YAML/),
    ]);
    expect(byFile('istio/deep.yaml')).toEqual(['is nested too deeply to read']);
    expect(byFile('istio/proto.yaml')).toEqual([
      'has a "__proto__" key at metadata.__proto__, which is no field of any configuration',
    ]);
    expect(({} as any).polluted).toBeUndefined();
  });

  it('formats each problem on one line, whatever a file or a message holds', () => {
    expect(
      formatProblem({
        file: 'istio/a\nb.yaml',
        object: 'dashboard',
        field: '',
        message:
          'Unexpected token \'%\', "%YAML\n---\u2028"... is not valid JSON',
        severity: 'critical',
      }),
    ).toBe(
      'istio/a\\nb.yaml: dashboard: Unexpected token \'%\', "%YAML\\n---\\u2028"... is not valid JSON',
    );
  });

  it('reports accepted and informational findings as notes', async () => {
    let files = defaultFiles();
    files = replaceIn(files, 'kong/kong.yaml', 'retries: 3', 'retries: 5');
    files = replaceIn(
      files,
      'kong/kong.yaml',
      'read_timeout: 30000',
      'read_timeout: 60000',
    );
    const failing = await validateConfiguration(files);
    expect(failing.problems.map(p => p.code)).toEqual(['MG-KONG-008']);
    expect(failing.notes.map(p => p.code)).toEqual(['MG-KONG-007']);
    const accepted = await validateConfiguration(files, {
      acceptedFindings: ['MG-KONG-008'],
    });
    expect(accepted.problems).toEqual([]);
    expect(accepted.notes.map(p => p.code).sort()).toEqual([
      'MG-KONG-007',
      'MG-KONG-008',
    ]);
  });
});

describe('readConfigurationFolder', () => {
  const dir = createMockDirectory();

  it('reads the configuration layout only, and does not follow symbolic links', async () => {
    dir.setContent({
      'catalog-info.yaml': 'a: 1\n',
      'README.md': '# not configuration',
      '.github/workflows/validate.yaml': 'on: push\n',
      'kong/kong.yaml': 'b: 2\n',
      'istio/nested/x.yml': 'c: 3\n',
      'istio/notes.txt': 'ignored',
      outside: { 'secret.yaml': 'password: hunter2\n' },
    });
    symlinkSync(join(dir.path, 'outside'), join(dir.path, 'observability'));
    symlinkSync(
      join(dir.path, 'outside', 'secret.yaml'),
      join(dir.path, 'istio', 'linked.yaml'),
    );
    const files = await readConfigurationFolder(dir.path);
    expect(files.map(f => f.path)).toEqual([
      'catalog-info.yaml',
      'kong/kong.yaml',
      'istio/nested/x.yml',
    ]);
  });
});
