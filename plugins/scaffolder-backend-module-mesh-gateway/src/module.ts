import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createMeshGatewayGenerateAction,
  createMeshGatewayValidateAction,
} from './actions';

/**
 * The mesh-gateway module for the scaffolder backend: the actions `mesh-gateway:generate` and
 * `mesh-gateway:validate`.
 *
 * @public
 */
export const scaffolderModuleMeshGateway = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'mesh-gateway',
  register({ registerInit }) {
    registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint },
      async init({ scaffolder }) {
        scaffolder.addActions(
          createMeshGatewayGenerateAction(),
          createMeshGatewayValidateAction(),
        );
      },
    });
  },
});
