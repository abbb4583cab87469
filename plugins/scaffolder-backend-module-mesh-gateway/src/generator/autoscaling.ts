import { ServiceSpec } from '@internal/plugin-mesh-gateway-common';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { objectMeta } from './common';
import { yamlFile } from './serialize';
import { GeneratedFile } from './types';

/**
 * Scales the Deployment on CPU and on requests per second per pod; the second metric is read
 * through the custom metrics API (for example prometheus-adapter serving `requestsMetric`).
 */
export function horizontalPodAutoscaler(spec: ServiceSpec) {
  const scaling = spec.autoscaling;
  return new HorizontalPodAutoscaler({
    metadata: objectMeta(spec, spec.name),
    spec: {
      scaleTargetRef: {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: spec.name,
      },
      minReplicas: scaling.minReplicas,
      maxReplicas: scaling.maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: {
              type: 'Utilization',
              averageUtilization: scaling.cpuUtilization,
            },
          },
        },
        {
          type: 'Pods',
          pods: {
            metric: { name: scaling.requestsMetric },
            target: {
              type: 'AverageValue',
              averageValue: String(scaling.requestsPerSecondPerPod),
            },
          },
        },
      ],
    },
  }).toJSON();
}

export function autoscalingFiles(spec: ServiceSpec): GeneratedFile[] {
  return [yamlFile('autoscaling/hpa.yaml', [horizontalPodAutoscaler(spec)])];
}
