import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { parse } from 'yaml';
import { createMeshGatewayGenerateAction } from './generate';
import { createMeshGatewayValidateAction } from './validate';
import { examples } from './validate.examples';

const service = {
  name: 'orders',
  owner: 'group:default/shop',
  auth: { issuer: 'https://auth.example.com' },
};

/** Renders `${{ steps.<id>.output.<name> }}` the way the scaffolder does for a whole value. */
function render(
  input: Record<string, unknown>,
  outputs: Record<string, Record<string, unknown>>,
) {
  return Object.fromEntries(
    Object.entries(input).map(([key, value]) => {
      const match =
        typeof value === 'string' &&
        /^\$\{\{ steps\.([\w-]+)\.output\.(\w+) \}\}$/.exec(value);
      return [key, match ? outputs[match[1]][match[2]] : value];
    }),
  );
}

describe('mesh-gateway:validate examples', () => {
  const actions = {
    'mesh-gateway:generate': createMeshGatewayGenerateAction(),
    'mesh-gateway:validate': createMeshGatewayValidateAction(),
  };
  const workspace = createMockDirectory();

  beforeEach(() => workspace.clear());

  async function runSteps(
    steps: {
      id: string;
      action: keyof typeof actions;
      input?: Record<string, unknown>;
    }[],
  ) {
    const outputs: Record<string, Record<string, unknown>> = {};
    for (const step of steps) {
      const ctx = createMockActionContext({
        input: render(step.input ?? {}, outputs) as never,
        workspacePath: workspace.path,
      });
      await actions[step.action].handler(ctx);
      outputs[step.id] = Object.fromEntries(
        (ctx.output as jest.Mock).mock.calls,
      );
    }
    return outputs;
  }

  it('validates the workspace root', async () => {
    const steps = parse(examples[0].example).steps;
    const outputs = await runSteps([
      { id: 'generate', action: 'mesh-gateway:generate', input: service },
      ...steps,
    ]);
    expect(outputs.validate.checkedFiles).toContain('kong/kong.yaml');
    expect(outputs.validate.notes).toEqual([]);
  });

  it('validates what generate wrote, with its accepted findings', async () => {
    const outputs = await runSteps(parse(examples[1].example).steps);
    expect(outputs.generate.acceptedFindings).toEqual([
      'MG-KONG-001',
      'MG-ISTIO-005',
    ]);
    expect(outputs.validate.notes).toHaveLength(2);
  });

  it('validates a folder with other timeouts accepted', async () => {
    const steps = parse(examples[2].example).steps;
    const outputs = await runSteps([
      {
        id: 'generate',
        action: 'mesh-gateway:generate',
        input: {
          ...service,
          resilience: { timeoutSeconds: 10 },
          targetPath: 'deploy',
        },
      },
      ...steps,
    ]);
    expect(outputs.validate.notes).toEqual([
      expect.stringContaining('[MG-KONG-008]'),
    ]);
  });
});
