import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import type {
  EntityMeshOverview,
  MeshGatewaySectionData,
  MeshGatewaySectionName,
  SectionResult,
} from '@internal/plugin-mesh-gateway-common';
import useAsyncRetry, { AsyncStateRetry } from 'react-use/esm/useAsyncRetry';
import { meshGatewayApiRef } from '../../api';

/** One section of the current entity's mesh view, with `retry` to read it again. */
export function useMeshSection<S extends MeshGatewaySectionName>(
  section: S,
): AsyncStateRetry<SectionResult<MeshGatewaySectionData[S]>> {
  const { entity } = useEntity();
  const api = useApi(meshGatewayApiRef);
  const entityRef = stringifyEntityRef(entity);
  return useAsyncRetry(
    () => api.getSection(entityRef, section),
    [api, entityRef, section],
  );
}

/** Every section of the current entity's mesh view. */
export function useMeshOverview(): AsyncStateRetry<EntityMeshOverview> {
  const { entity } = useEntity();
  const api = useApi(meshGatewayApiRef);
  const entityRef = stringifyEntityRef(entity);
  return useAsyncRetry(() => api.getOverview(entityRef), [api, entityRef]);
}
