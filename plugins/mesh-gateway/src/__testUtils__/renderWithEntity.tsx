import { ReactElement } from 'react';
import type { Entity } from '@backstage/catalog-model';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { MeshGatewayApi, meshGatewayApiRef } from '../api';
import { entity as defaultEntity } from './kongSection';

type RenderOptions = Parameters<typeof renderInTestApp>[1];

/** Renders `element` on an entity page whose mesh-gateway API is `api`. */
export function renderWithEntity(
  element: ReactElement,
  api: Partial<MeshGatewayApi>,
  options: { entity?: Entity } & RenderOptions = {},
) {
  const { entity = defaultEntity, ...renderOptions } = options;
  return renderInTestApp(
    <TestApiProvider apis={[[meshGatewayApiRef, api]]}>
      <EntityProvider entity={entity}>{element}</EntityProvider>
    </TestApiProvider>,
    renderOptions,
  );
}

/** A promise that never settles: the request is still running. */
export const pending = <T,>() => new Promise<T>(() => {});
