import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createMeshGatewayGenerateAction } from './generate';
import { createMeshGatewayValidateAction } from './validate';

describe('mesh-gateway:validate', () => {
  const generate = createMeshGatewayGenerateAction();
  const action = createMeshGatewayValidateAction();
  const workspace = createMockDirectory();

  beforeEach(() => workspace.clear());

  function context(input: unknown) {
    const logger = mockServices.logger.mock();
    const ctx = createMockActionContext({
      input: input as never,
      workspacePath: workspace.path,
      logger,
    });
    return { ctx, logger };
  }

  async function generateInto(input: Record<string, unknown> = {}) {
    await generate.handler(
      context({
        name: 'ai-agent',
        namespace: 'parallel-ai',
        owner: 'group:default/platform',
        auth: { issuer: 'https://auth.example.com' },
        ...input,
      }).ctx,
    );
  }

  function edit(path: string, from: string, to: string) {
    const file = join(workspace.path, path);
    const content = readFileSync(file, 'utf8');
    expect(content).toContain(from);
    writeFileSync(file, content.replace(from, to));
  }

  it('passes generated configuration and lists what it checked', async () => {
    await generateInto();
    const { ctx, logger } = context({});
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'checkedFiles',
      expect.arrayContaining(['kong/kong.yaml', 'istio/telemetry.yaml']),
    );
    expect(ctx.output).toHaveBeenCalledWith('notes', []);
    expect(logger.info).toHaveBeenCalledWith(
      'Checked istio/destination-rule.yaml',
    );
  });

  it('fails with every problem: file, object, field and why', async () => {
    await generateInto({ targetPath: 'deploy' });
    edit(
      'deploy/istio/destination-rule.yaml',
      '      tcp:\n',
      '      tcp:\n        keepAlive: {}\n',
    );
    edit(
      'deploy/istio/peer-authentication.yaml',
      'mode: STRICT',
      'mode: PERMISSIVE',
    );
    edit('deploy/kong/kong.yaml', '- nbf', '- aud');
    edit('deploy/backup/cronjob.yaml', '                - gateway\n', '');
    const { ctx } = context({ path: 'deploy' });
    const error = await action.handler(ctx).catch(e => e);
    expect(error).toBeInstanceOf(Error);
    const lines = String(error.message).split('\n');
    expect(lines[0]).toBe('4 problems in deploy:');
    expect(lines.slice(1).sort()).toEqual([
      expect.stringMatching(
        /^- backup\/cronjob\.yaml: CronJob\/ai-agent-kong-backup spec\.jobTemplate\.spec\.template\.spec\.initContainers\[0\]\.args\[0\]: `deck dump` is deprecated/,
      ),
      expect.stringMatching(
        /^- istio\/destination-rule\.yaml: DestinationRule\/ai-agent spec\.trafficPolicy\.connectionPool\.tcp\.keepAlive: the TCP keepalive field is tcpKeepalive.*\[MG-ISTIO-014\]$/,
      ),
      expect.stringMatching(
        /^- istio\/peer-authentication\.yaml: PeerAuthentication\/ai-agent spec\.mtls\.mode: mTLS is not STRICT.*\[MG-ISTIO-001\]$/,
      ),
      expect.stringMatching(
        /^- kong\/kong\.yaml: decK state services\[0\]\.plugins\[1\]\.config\.claims_to_verify\[1\]: Kong's jwt plugin accepts only exp and nbf.*\[MG-KONG-003\]$/,
      ),
    ]);
  });

  it('reports accepted departures as notes', async () => {
    await generateInto({ auth: { type: 'key-auth' } });
    const failing = context({});
    await expect(action.handler(failing.ctx)).rejects.toThrow(/MG-KONG-001/);
    const { ctx, logger } = context({
      acceptedFindings: ['MG-KONG-001', 'MG-ISTIO-005'],
    });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('notes', [
      expect.stringContaining('[MG-KONG-001]'),
      expect.stringContaining('[MG-ISTIO-005]'),
    ]);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringMatching(/^Note: .*\[MG-KONG-001\]$/),
    );
  });

  it('fails on a folder without configuration', async () => {
    workspace.setContent({ 'README.md': '# nothing here' });
    await expect(action.handler(context({}).ctx)).rejects.toThrow(
      /holds no configuration/,
    );
  });

  it('rejects a path that leads out of the workspace through a symbolic link', async () => {
    const outside = createMockDirectory();
    outside.setContent({ 'catalog-info.yaml': 'a: 1\n' });
    mkdirSync(workspace.path, { recursive: true });
    symlinkSync(outside.path, join(workspace.path, 'deploy'));
    await expect(
      action.handler(context({ path: 'deploy' }).ctx),
    ).rejects.toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: 'path: deploy leads outside the workspace',
      }),
    );
  });

  it('rejects a file over the size limit as an input error naming it', async () => {
    workspace.setContent({
      'kong/kong.yaml': `a: "${'x'.repeat(2 * 1024 * 1024)}"`,
    });
    await expect(action.handler(context({}).ctx)).rejects.toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringMatching(
          /^path: \. cannot be read: kong\/kong\.yaml is larger than/,
        ),
      }),
    );
  });

  it.each([
    ['path', { path: '../elsewhere' }],
    ['path', { path: '/etc' }],
    ['acceptedFindings.0', { acceptedFindings: ['MG-NOPE-001'] }],
    ['unexpected', { unexpected: true }],
  ])('rejects a bad %s', async (parameter, input) => {
    await expect(action.handler(context(input).ctx)).rejects.toThrow(
      `${parameter}: `,
    );
  });
});
