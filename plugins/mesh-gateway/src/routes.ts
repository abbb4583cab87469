import { createRouteRef } from '@backstage/core-plugin-api';

/** The Mesh tab of the entity page. */
export const rootRouteRef = createRouteRef({
  id: 'mesh-gateway',
});
