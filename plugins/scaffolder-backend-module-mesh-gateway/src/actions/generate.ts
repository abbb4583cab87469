import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, posix } from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { parseServiceSpec } from '@internal/plugin-mesh-gateway-common';
import { generateConfiguration } from '../generator';
import { formatProblem, validateConfiguration } from '../validation';
import { examples } from './generate.examples';
import { jsonSchemaToZod, serviceSpecJsonSchema } from './inputSchema';

/**
 * Creates the `mesh-gateway:generate` action: writes the Kong, Istio, observability,
 * certificate, autoscaling, backup and catalog configuration of a new service.
 *
 * @public
 */
export function createMeshGatewayGenerateAction() {
  const inputSchema = serviceSpecJsonSchema();
  return createTemplateAction({
    id: 'mesh-gateway:generate',
    description:
      'Generates the complete Kong + Istio configuration of a service (decK or Kong Ingress Controller, Istio policies, ServiceMonitor/PrometheusRule/dashboard, cert-manager Certificate, HPA, Kong backup CronJob, catalog-info.yaml). Defaults are the architecture baseline; the output is validated before anything is written.',
    examples,
    supportsDryRun: true,
    schema: {
      input: z => jsonSchemaToZod(z, inputSchema),
      output: {
        targetPath: z =>
          z
            .string()
            .describe(
              'Folder the files were written to, relative to the workspace',
            ),
        files: z =>
          z
            .array(z.string())
            .describe('Written files, relative to the workspace'),
        catalogInfoPath: z =>
          z
            .string()
            .describe(
              'Path of catalog-info.yaml for catalog:register, starting with "/"',
            ),
        acceptedFindings: z =>
          z
            .array(z.string())
            .describe(
              'Baseline rule codes the spec departs from on purpose; pass them to mesh-gateway:validate',
            ),
      },
    },
    async handler(ctx) {
      const parsed = parseServiceSpec(ctx.input);
      if (!parsed.success) {
        throw new InputError(
          `Invalid service spec: ${parsed.issues
            .map(issue => `${issue.parameter || '(spec)'}: ${issue.message}`)
            .join('; ')}`,
        );
      }
      const spec = parsed.spec;
      const targetDir = resolveSafeChildPath(
        ctx.workspacePath,
        spec.targetPath,
      );

      // Everything is generated and checked in memory first: on any failure nothing is written.
      const { files, acceptedFindings } = generateConfiguration(spec);
      const report = await validateConfiguration(files, {
        acceptedFindings: acceptedFindings.map(f => f.code),
      });
      if (report.problems.length > 0) {
        throw new Error(
          `The generated configuration does not validate (a generator bug, please report it):\n${report.problems
            .map(formatProblem)
            .join('\n')}`,
        );
      }
      const targets = files.map(file => ({
        file,
        path: resolveSafeChildPath(targetDir, file.path),
        display: posix.join(spec.targetPath, file.path),
      }));

      ctx.logger.info(
        `Generating ${files.length} files for ${spec.name} in namespace ${spec.namespace} (Kong ${spec.kong.mode} mode) into ${spec.targetPath}${ctx.isDryRun ? ' (dry run)' : ''}`,
      );
      for (const finding of acceptedFindings) {
        ctx.logger.info(
          `Departs from the baseline on purpose: ${finding.code} (${finding.reason})`,
        );
      }
      for (const { file, path, display } of targets) {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, file.content, 'utf8');
        ctx.logger.info(`Wrote ${display}`);
      }

      ctx.output('targetPath', spec.targetPath);
      ctx.output(
        'files',
        targets.map(t => t.display),
      );
      ctx.output(
        'catalogInfoPath',
        `/${posix.join(spec.targetPath, 'catalog-info.yaml')}`,
      );
      ctx.output(
        'acceptedFindings',
        acceptedFindings.map(f => f.code),
      );
    },
  });
}
