import { startTestBackend } from '@backstage/backend-test-utils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleMeshGateway } from './module';

describe('scaffolderModuleMeshGateway', () => {
  it('registers the generate and validate actions with the scaffolder', async () => {
    const addActions = jest.fn();
    await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [scaffolderModuleMeshGateway],
    });
    const actions = addActions.mock.calls.flat();
    expect(actions.map(a => a.id)).toEqual([
      'mesh-gateway:generate',
      'mesh-gateway:validate',
    ]);
    expect(actions.every(a => a.supportsDryRun)).toBe(true);
  });
});
