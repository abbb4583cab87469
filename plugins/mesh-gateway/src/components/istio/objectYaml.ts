import type { KubernetesObjectView } from '@internal/plugin-mesh-gateway-common';
import { stringify } from 'yaml';

/** `PeerAuthentication parallel-ai/default`; cluster-scoped objects have no namespace. */
export function objectTitle(object: KubernetesObjectView): string {
  const { namespace, name } = object.metadata;
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${name}`;
}

/** The object as `kubectl get -o yaml` lays it out: apiVersion, kind, metadata, spec. */
export function objectToYaml(object: KubernetesObjectView): string {
  const { apiVersion, kind, metadata, spec, ...rest } = object;
  return stringify(
    { apiVersion, kind, metadata, ...(spec ? { spec } : {}), ...rest },
    // No folding of long values (annotations hold JSON) and no anchors for repeated values.
    { lineWidth: 0, aliasDuplicateObjects: false },
  );
}
