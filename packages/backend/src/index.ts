/*
 * The local developer portal's backend, wired the way a Backstage adopter wires the mesh-gateway
 * plugin into their own backend (new backend system).
 */

import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

// Serves the built frontend (packages/app) and injects its runtime configuration.
backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: the guest provider only. See https://backstage.io/docs/auth/guest/provider
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// Catalog, with the Template kind so scaffolder templates can be registered.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

backend.add(import('@backstage/plugin-scaffolder-backend'));
// publish:github, used by the "New API behind Kong + Istio" template.
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
// mesh-gateway:generate and mesh-gateway:validate.
backend.add(import('@internal/plugin-scaffolder-backend-module-mesh-gateway'));

backend.add(import('@backstage/plugin-kubernetes-backend'));

// Permissions are enabled; this policy allows everything. Replace it with your own policy.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

// What Kong and Istio do for each catalog entity: /api/mesh-gateway
backend.add(import('@internal/plugin-mesh-gateway-backend'));

backend.start();
