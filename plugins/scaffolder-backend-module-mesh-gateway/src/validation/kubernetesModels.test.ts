import { removedApi, validateModelledObject } from './kubernetesModels';
import { validatePluginConfig } from './kongPluginConfig';
import { checkMetadata } from './metadata';

const hpa = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'svc', namespace: 'ns' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'svc' },
    minReplicas: 3,
    maxReplicas: 20,
    metrics: [
      {
        type: 'Resource',
        resource: {
          name: 'cpu',
          target: { type: 'Utilization', averageUtilization: 70 },
        },
      },
    ],
  },
};

describe('validateModelledObject', () => {
  it('accepts a valid HorizontalPodAutoscaler', () => {
    expect(validateModelledObject(hpa)).toEqual([]);
  });

  it('finds unknown fields, which the kubernetes-models validators accept', () => {
    const withTypos = {
      ...hpa,
      spec: {
        ...hpa.spec,
        minReplica: 2,
        metrics: [
          {
            ...hpa.spec.metrics[0],
            resource: { ...hpa.spec.metrics[0].resource, targetAverage: 1 },
          },
        ],
      },
    };
    const violations = validateModelledObject(withTypos);
    expect(violations).toHaveLength(2);
    expect(violations).toEqual(
      expect.arrayContaining([
        {
          field: 'spec.minReplica',
          message: expect.stringContaining('unknown field'),
        },
        {
          field: 'spec.metrics[0].resource.targetAverage',
          message: expect.stringContaining('unknown field'),
        },
      ]),
    );
  });

  it('reports missing and mistyped fields', () => {
    expect(
      validateModelledObject({
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        metadata: { name: 'backup' },
        spec: {
          jobTemplate: {
            spec: {
              template: { spec: { containers: [{ name: 'a', image: 7 }] } },
            },
          },
        },
      }),
    ).toEqual(
      expect.arrayContaining([
        { field: 'spec.schedule', message: 'is required' },
        expect.objectContaining({
          field: 'spec.jobTemplate.spec.template.spec.containers[0].image',
        }),
      ]),
    );
  });

  it('knows which APIs clusters no longer serve', () => {
    expect(
      removedApi('autoscaling/v2beta2', 'HorizontalPodAutoscaler'),
    ).toContain('autoscaling/v2');
    expect(removedApi('batch/v1beta1', 'CronJob')).toContain('batch/v1');
    expect(
      removedApi('autoscaling/v2', 'HorizontalPodAutoscaler'),
    ).toBeUndefined();
  });

  it('validates prometheus-operator kinds and leaves other kinds alone', () => {
    expect(
      validateModelledObject({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: 'slo' },
        spec: { groups: [{ name: 'g', rules: [{ alert: 'A' }] }] },
      }),
    ).toEqual([
      { field: 'spec.groups[0].rules[0].expr', message: 'is required' },
    ]);
    expect(
      validateModelledObject({ apiVersion: 'apps/v1', kind: 'Deployment' }),
    ).toBeUndefined();
  });
});

describe('validatePluginConfig', () => {
  it('explains why Kong rejects aud in claims_to_verify', () => {
    expect(
      validatePluginConfig('jwt', { claims_to_verify: ['exp', 'aud'] }, [
        'config',
      ]),
    ).toEqual([
      {
        field: 'config.claims_to_verify[1]',
        message: expect.stringContaining('RequestAuthentication'),
      },
    ]);
  });

  it('rejects unknown fields and incomplete configurations', () => {
    expect(
      validatePluginConfig('prometheus', { latency_metric: true }, ['config']),
    ).toEqual([
      {
        field: 'config.latency_metric',
        message: expect.stringContaining(
          'unknown field of the prometheus plugin',
        ),
      },
    ]);
    expect(
      validatePluginConfig('rate-limiting', { policy: 'local' }, []),
    ).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('sets no limit'),
      }),
    ]);
    expect(
      validatePluginConfig('opentelemetry', { sampling_rate: 2 }, []),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'sampling_rate' }),
        expect.objectContaining({
          message: expect.stringContaining('traces_endpoint'),
        }),
      ]),
    );
    expect(
      validatePluginConfig(
        'request-transformer',
        { add: { headers: ['no-colon'] } },
        [],
      ),
    ).toEqual([{ field: 'add.headers[0]', message: 'must be "name:value"' }]);
  });

  it('does not check plugins it does not know', () => {
    expect(validatePluginConfig('acl', { whatever: true }, [])).toEqual([]);
  });
});

describe('checkMetadata', () => {
  it('checks names, namespaces, labels and annotations', () => {
    expect(
      checkMetadata('Service', {
        name: 'svc',
        namespace: 'ns',
        labels: { app: 'svc' },
      }),
    ).toEqual([]);
    expect(
      checkMetadata('Service', {
        name: 'My.Service',
        namespace: 'NS',
        labels: { app: 'x'.repeat(64), 'bad key!': 'v' },
        annotations: { 'example.com/replicas': 3 },
        nmae: 'typo',
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'metadata.nmae' }),
        expect.objectContaining({
          field: 'metadata.name',
          message: expect.stringContaining('label'),
        }),
        expect.objectContaining({ field: 'metadata.namespace' }),
        expect.objectContaining({ field: 'metadata.labels.app' }),
        expect.objectContaining({ field: 'metadata.labels.bad key!' }),
        expect.objectContaining({
          field: 'metadata.annotations.example.com/replicas',
        }),
      ]),
    );
  });

  it('limits CronJob names to 52 characters and cluster-scoped kinds to no namespace', () => {
    expect(checkMetadata('CronJob', { name: 'a'.repeat(53) })).toEqual([
      expect.objectContaining({
        field: 'metadata.name',
        message: expect.stringContaining('52'),
      }),
    ]);
    expect(checkMetadata('Namespace', { name: 'ns', namespace: 'ns' })).toEqual(
      [expect.objectContaining({ field: 'metadata.namespace' })],
    );
    expect(checkMetadata('Namespace', undefined)).toEqual([
      { field: 'metadata', message: 'is required' },
    ]);
  });
});
