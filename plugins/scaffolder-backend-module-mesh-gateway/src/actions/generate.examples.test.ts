import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { parse } from 'yaml';
import { readConfigurationFolder, validateConfiguration } from '../validation';
import { createMeshGatewayGenerateAction } from './generate';
import { examples } from './generate.examples';

describe('mesh-gateway:generate examples', () => {
  const action = createMeshGatewayGenerateAction();
  const workspace = createMockDirectory();

  beforeEach(() => workspace.clear());

  it.each(examples.map(example => [example.description, example]))(
    '%s',
    async (_, example) => {
      const step = parse(example.example).steps[0];
      expect(step.action).toBe('mesh-gateway:generate');
      const ctx = createMockActionContext({
        input: step.input,
        workspacePath: workspace.path,
      });
      await action.handler(ctx);

      const outputs = Object.fromEntries((ctx.output as jest.Mock).mock.calls);
      const targetPath = step.input.targetPath ?? '.';
      expect(outputs.targetPath).toBe(targetPath);
      expect(outputs.files.length).toBeGreaterThanOrEqual(15);
      const files = await readConfigurationFolder(
        workspace.resolve(targetPath),
      );
      const report = await validateConfiguration(files, {
        acceptedFindings: outputs.acceptedFindings,
      });
      expect(report.problems).toEqual([]);
    },
  );
});
