import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import fc from 'fast-check';
import { parse } from 'yaml';
import {
  actionFuzzRuns,
  FUZZ_TIMEOUT_MS,
  HOSTILE_TEXT,
  STRING_PARAMETERS,
  withValue,
} from '../__testUtils__/arbitraries';
import { createMeshGatewayGenerateAction } from './generate';

const RUNS = actionFuzzRuns(50);

const input = {
  name: 'ai-agent',
  namespace: 'parallel-ai',
  owner: 'group:default/platform',
  auth: { issuer: 'https://auth.example.com' },
};

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry =>
    entry.isDirectory()
      ? listFiles(join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

describe('mesh-gateway:generate', () => {
  const action = createMeshGatewayGenerateAction();
  const workspace = createMockDirectory();

  beforeEach(() => workspace.clear());

  function context(actionInput: unknown, extra: { isDryRun?: boolean } = {}) {
    const logger = mockServices.logger.mock();
    const ctx = {
      ...createMockActionContext({
        input: actionInput as never,
        workspacePath: workspace.path,
        logger,
      }),
      ...extra,
    };
    return { ctx, logger };
  }

  it('writes the configuration, logs each file and outputs the file list', async () => {
    const { ctx, logger } = context(input);
    await action.handler(ctx);

    const written = listFiles(workspace.path).sort();
    expect(written).toEqual(
      expect.arrayContaining([
        'kong/kong.yaml',
        'istio/authorization-policy.yaml',
        'istio/destination-rule.yaml',
        'istio/virtual-service.yaml',
        'observability/prometheus-rule.yaml',
        'observability/dashboard.json',
        'certificates/certificate.yaml',
        'autoscaling/hpa.yaml',
        'backup/cronjob.yaml',
        'backup/serviceaccount.yaml',
        'backup/RESTORE.md',
        'catalog-info.yaml',
      ]),
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'files',
      expect.arrayContaining(written),
    );
    expect(
      (ctx.output as jest.Mock).mock.calls.find(
        ([name]) => name === 'files',
      )[1],
    ).toHaveLength(written.length);
    expect(ctx.output).toHaveBeenCalledWith('targetPath', '.');
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoPath',
      '/catalog-info.yaml',
    );
    expect(ctx.output).toHaveBeenCalledWith('acceptedFindings', []);
    for (const file of written) {
      expect(logger.info).toHaveBeenCalledWith(`Wrote ${file}`);
    }
    const [component] = readFileSync(
      join(workspace.path, 'catalog-info.yaml'),
      'utf8',
    )
      .split('\n---\n')
      .map(doc => parse(doc));
    expect(
      component.metadata.annotations['mesh-gateway.io/kong-services'],
    ).toBe('ai-agent');
  });

  it('writes into targetPath and in a dry run too (the dry-run workspace is a temporary folder)', async () => {
    const { ctx, logger } = context(
      { ...input, targetPath: 'deploy/mesh' },
      { isDryRun: true },
    );
    await action.handler(ctx);
    expect(
      listFiles(workspace.path).every(f => f.startsWith('deploy/mesh/')),
    ).toBe(true);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('(dry run)'),
    );
    expect(logger.info).toHaveBeenCalledWith(
      'Wrote deploy/mesh/kong/kong.yaml',
    );
    expect(ctx.output).toHaveBeenCalledWith(
      'catalogInfoPath',
      '/deploy/mesh/catalog-info.yaml',
    );
  });

  it('outputs the baseline departures the spec chose', async () => {
    const { ctx } = context({
      ...input,
      auth: { type: 'none' },
      resilience: { timeoutSeconds: 10 },
    });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('acceptedFindings', [
      'MG-KONG-001',
      'MG-ISTIO-005',
      'MG-KONG-008',
    ]);
  });

  it(
    'rejects hostile input naming the parameter, and writes nothing',
    async () => {
      let cases = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...STRING_PARAMETERS),
          HOSTILE_TEXT,
          async ([path, valid], payload) => {
            cases++;
            workspace.clear();
            const { ctx } = context(withValue(path, `${valid}${payload}`));
            await expect(action.handler(ctx)).rejects.toThrow(
              expect.objectContaining({
                name: 'InputError',
                message: expect.stringContaining(`${path}: `),
              }),
            );
            expect(listFiles(workspace.path)).toEqual([]);
          },
        ),
        // 10,000 cases in the fuzz suite (`yarn test:fuzz`), 50 in the default run.
        { numRuns: RUNS },
      );
      expect(cases).toBeGreaterThanOrEqual(RUNS);
      if (process.env.FUZZ_RUNS) {
        // eslint-disable-next-line no-console
        console.log(`generate hostile input fuzz: ${cases} cases`);
      }
    },
    FUZZ_TIMEOUT_MS,
  );

  it.each([
    ['targetPath', { ...input, targetPath: '../outside' }],
    ['targetPath', { ...input, targetPath: '/tmp/outside' }],
    ['name', { ...input, name: 'x'.repeat(64) }],
    [
      'routes.0.methods.0',
      { ...input, routes: [{ path: '/a', methods: ['TRACE'] }] },
    ],
    ['port', { ...input, port: -8080 }],
  ])('rejects a bad %s and writes nothing', async (parameter, bad) => {
    const { ctx } = context(bad);
    await expect(action.handler(ctx)).rejects.toThrow(`${parameter}: `);
    expect(listFiles(workspace.path)).toEqual([]);
  });

  it('does not follow a symbolic link out of the workspace', async () => {
    const outside = createMockDirectory();
    mkdirSync(workspace.path, { recursive: true });
    symlinkSync(outside.path, join(workspace.path, 'deploy'));
    const { ctx } = context({ ...input, targetPath: 'deploy' });
    await expect(action.handler(ctx)).rejects.toThrow(/outside/i);
    expect(listFiles(outside.path)).toEqual([]);
  });
});
