import { DEFAULT_NAMESPACE, parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  EntityMeshOverview,
  MeshGatewaySectionData,
  MeshGatewaySectionName,
  SectionResult,
} from '@internal/plugin-mesh-gateway-common';
import type { MeshGatewayApi, MeshGatewayEntityRef } from './MeshGatewayApi';
import {
  MeshGatewayResponseError,
  parseOverview,
  parseSectionResult,
} from './responseSchemas';

/** @public */
export interface MeshGatewayClientOptions {
  discoveryApi: Pick<DiscoveryApi, 'getBaseUrl'>;
  fetchApi: Pick<FetchApi, 'fetch'>;
}

/**
 * Calls the mesh-gateway backend (`/api/mesh-gateway`) with the user's credentials.
 *
 * Identical requests that are in flight at the same time share one response, so the cards of
 * one entity page that read the same section cause one backend call.
 *
 * @public
 */
export class MeshGatewayClient implements MeshGatewayApi {
  private readonly discoveryApi: MeshGatewayClientOptions['discoveryApi'];
  private readonly fetchApi: MeshGatewayClientOptions['fetchApi'];
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(options: MeshGatewayClientOptions) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getOverview(
    entityRef: MeshGatewayEntityRef,
  ): Promise<EntityMeshOverview> {
    return parseOverview(await this.get(entityPath(entityRef)));
  }

  async getSection<S extends MeshGatewaySectionName>(
    entityRef: MeshGatewayEntityRef,
    section: S,
  ): Promise<SectionResult<MeshGatewaySectionData[S]>> {
    const body = await this.get(
      `${entityPath(entityRef)}/${encodeURIComponent(section)}`,
    );
    return parseSectionResult(section, body);
  }

  private get(path: string): Promise<unknown> {
    const running = this.inFlight.get(path);
    if (running) {
      return running;
    }
    const request = this.request(path).finally(() =>
      this.inFlight.delete(path),
    );
    this.inFlight.set(path, request);
    return request;
  }

  private async request(path: string): Promise<unknown> {
    const baseUrl = await this.discoveryApi.getBaseUrl('mesh-gateway');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    try {
      return await response.json();
    } catch {
      throw new MeshGatewayResponseError(
        `The mesh-gateway backend answered ${path} with a body that is not JSON`,
      );
    }
  }
}

function entityPath(entityRef: MeshGatewayEntityRef): string {
  const { kind, namespace, name } =
    typeof entityRef === 'string'
      ? parseEntityRef(entityRef, { defaultNamespace: DEFAULT_NAMESPACE })
      : entityRef;
  return [
    '/v1/entities',
    encodeURIComponent(namespace),
    encodeURIComponent(kind.toLocaleLowerCase('en-US')),
    encodeURIComponent(name),
  ].join('/');
}
