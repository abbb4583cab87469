import * as k8s from '@kubernetes/client-node';
import {
  PodMonitor,
  PrometheusRule,
  ServiceMonitor,
} from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { CronJob } from 'kubernetes-models/batch/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { Namespace, Service, ServiceAccount } from 'kubernetes-models/v1';
import { SchemaViolation } from './contracts';
import { fieldPath, jsonPointerToField } from './types';

interface Validatable {
  validate(): void;
}

interface ModelEntry {
  create: (value: object) => Validatable;
  /**
   * The @kubernetes/client-node type whose attribute map lists the kind's fields: the
   * kubernetes-models validators accept unknown fields, so those are found through it.
   */
  fieldsType?: string;
}

const MODELS: Record<string, ModelEntry> = {
  'v1/Namespace': {
    create: v => new Namespace(v as never),
    fieldsType: 'V1Namespace',
  },
  'v1/ServiceAccount': {
    create: v => new ServiceAccount(v as never),
    fieldsType: 'V1ServiceAccount',
  },
  'v1/Service': {
    create: v => new Service(v as never),
    fieldsType: 'V1Service',
  },
  'autoscaling/v2/HorizontalPodAutoscaler': {
    create: v => new HorizontalPodAutoscaler(v as never),
    fieldsType: 'V2HorizontalPodAutoscaler',
  },
  'batch/v1/CronJob': {
    create: v => new CronJob(v as never),
    fieldsType: 'V1CronJob',
  },
  'networking.k8s.io/v1/Ingress': {
    create: v => new Ingress(v as never),
    fieldsType: 'V1Ingress',
  },
  'monitoring.coreos.com/v1/ServiceMonitor': {
    create: v => new ServiceMonitor(v as never),
  },
  'monitoring.coreos.com/v1/PodMonitor': {
    create: v => new PodMonitor(v as never),
  },
  'monitoring.coreos.com/v1/PrometheusRule': {
    create: v => new PrometheusRule(v as never),
  },
};

/** API versions kubernetes-models still ships but current clusters no longer serve. */
const REMOVED_APIS: Record<string, string> = {
  'autoscaling/v2beta1/HorizontalPodAutoscaler':
    'removed in Kubernetes 1.25; use autoscaling/v2',
  'autoscaling/v2beta2/HorizontalPodAutoscaler':
    'removed in Kubernetes 1.26; use autoscaling/v2',
  'batch/v1beta1/CronJob': 'removed in Kubernetes 1.25; use batch/v1',
  'networking.k8s.io/v1beta1/Ingress':
    'removed in Kubernetes 1.22; use networking.k8s.io/v1',
  'extensions/v1beta1/Ingress':
    'removed in Kubernetes 1.22; use networking.k8s.io/v1',
  'policy/v1beta1/PodDisruptionBudget':
    'removed in Kubernetes 1.25; use policy/v1',
};

export function removedApi(
  apiVersion: string,
  kind: string,
): string | undefined {
  return REMOVED_APIS[`${apiVersion}/${kind}`];
}

export const MODELLED_KINDS = Object.keys(MODELS);

export function isModelledKind(apiVersion: string, kind: string): boolean {
  return `${apiVersion}/${kind}` in MODELS;
}

interface AttributeType {
  baseName: string;
  type: string;
}

const clientTypes = k8s as unknown as Record<
  string,
  { attributeTypeMap?: AttributeType[] } | undefined
>;

const LEAF_TYPES = new Set([
  'string',
  'number',
  'boolean',
  'Date',
  'any',
  'object',
  'IntOrString',
]);

function unknownFields(
  value: unknown,
  type: string,
  path: (string | number)[],
): SchemaViolation[] {
  if (value === null || value === undefined || LEAF_TYPES.has(type)) {
    return [];
  }
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    return Array.isArray(value)
      ? value.flatMap((item, i) => unknownFields(item, array[1], [...path, i]))
      : [];
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    return typeof value === 'object'
      ? Object.entries(value).flatMap(([k, v]) =>
          unknownFields(v, map[1], [...path, k]),
        )
      : [];
  }
  const attributes = clientTypes[type]?.attributeTypeMap;
  if (!attributes || typeof value !== 'object' || Array.isArray(value)) {
    return [];
  }
  return Object.entries(value).flatMap(([key, child]) => {
    const attribute = attributes.find(a => a.baseName === key);
    if (!attribute) {
      return [
        {
          field: fieldPath([...path, key]),
          message:
            'unknown field: Kubernetes has no such field and would drop it',
        },
      ];
    }
    return unknownFields(child, attribute.type, [...path, key]);
  });
}

/**
 * Validates a Kubernetes object of a kind modelled by kubernetes-models (core kinds and the
 * prometheus-operator kinds); returns undefined for other kinds.
 */
export function validateModelledObject(
  value: Record<string, unknown>,
): SchemaViolation[] | undefined {
  const entry = MODELS[`${value.apiVersion}/${value.kind}`];
  if (!entry) {
    return undefined;
  }
  const violations: SchemaViolation[] = [];
  try {
    entry.create(value).validate();
  } catch (error) {
    const errors = (
      error as {
        errors?: {
          instancePath: string;
          message?: string;
          params?: Record<string, unknown>;
          keyword?: string;
        }[];
      }
    ).errors;
    if (!errors) {
      throw error;
    }
    for (const e of errors) {
      if (e.keyword === 'required') {
        violations.push({
          field: jsonPointerToField(
            e.instancePath,
            String(e.params?.missingProperty),
          ),
          message: 'is required',
        });
      } else {
        violations.push({
          field: jsonPointerToField(e.instancePath),
          message: e.message ?? 'is invalid',
        });
      }
    }
  }
  if (entry.fieldsType) {
    violations.push(...unknownFields(value, entry.fieldsType, []));
  }
  return violations;
}
