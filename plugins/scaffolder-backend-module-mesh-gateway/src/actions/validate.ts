import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError, isError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  BASELINE_RULES,
  SERVICE_SPEC_PATTERNS,
} from '@internal/plugin-mesh-gateway-common';
import { z } from 'zod';
import {
  CONFIGURATION_LAYOUT,
  formatProblem,
  readConfigurationFolder,
  validateConfiguration,
} from '../validation';
import { examples } from './validate.examples';

const RULE_CODES = Object.keys(BASELINE_RULES) as [string, ...string[]];

const inputSchema = z.strictObject({
  path: z
    .string()
    .max(255)
    .regex(
      new RegExp(SERVICE_SPEC_PATTERNS.targetPath),
      'must be a relative path inside the workspace (no "..", not absolute)',
    )
    .default('.'),
  acceptedFindings: z
    .array(
      z.enum(RULE_CODES, {
        error: issue =>
          `${JSON.stringify(issue.input)} is not a baseline rule code`,
      }),
    )
    .max(RULE_CODES.length)
    .default([]),
});

const errorMessage = (error: unknown) =>
  isError(error) ? error.message : String(error);

/**
 * The configuration files of `path` in the workspace. A path that leads out of the workspace
 * (through a symbolic link) or cannot be read is the input's fault: an InputError naming it.
 */
async function readFolder(workspacePath: string, path: string) {
  let root: string;
  try {
    root = resolveSafeChildPath(workspacePath, path);
  } catch (error) {
    throw new InputError(
      isError(error) && error.name === 'NotAllowedError'
        ? `path: ${path} leads outside the workspace`
        : `path: ${path} cannot be resolved: ${errorMessage(error)}`,
    );
  }
  try {
    return await readConfigurationFolder(root);
  } catch (error) {
    throw new InputError(
      `path: ${path} cannot be read: ${errorMessage(error)}`,
    );
  }
}

/**
 * Creates the `mesh-gateway:validate` action: checks a folder of configuration against the
 * upstream schemas (Istio, cert-manager and Kong CRDs, decK, Kubernetes), the documents' known
 * mistakes and the baseline, and fails with every problem listed.
 *
 * @public
 */
export function createMeshGatewayValidateAction() {
  return createTemplateAction({
    id: 'mesh-gateway:validate',
    description: `Validates the configuration in a folder (${[...CONFIGURATION_LAYOUT.files, ...CONFIGURATION_LAYOUT.folders.map(f => `${f}/`)].join(', ')}) against the official Istio, cert-manager, Kong and Kubernetes schemas and the mesh-gateway baseline. Fails with every problem: file, object, field and why.`,
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        path: zv3 =>
          zv3
            .string()
            .regex(new RegExp(SERVICE_SPEC_PATTERNS.targetPath))
            .default('.')
            .describe('Folder to validate, relative to the workspace'),
        acceptedFindings: zv3 =>
          zv3
            .array(zv3.enum(RULE_CODES))
            .default([])
            .describe(
              'Baseline rule codes to report as notes instead of problems (mesh-gateway:generate outputs them)',
            ),
      },
      output: {
        checkedFiles: zv3 =>
          zv3.array(zv3.string()).describe('Files that were validated'),
        notes: zv3 =>
          zv3
            .array(zv3.string())
            .describe('Accepted and informational baseline findings'),
      },
    },
    async handler(ctx) {
      const parsed = inputSchema.safeParse(ctx.input);
      if (!parsed.success) {
        const issues = parsed.error.issues.flatMap(issue =>
          issue.code === 'unrecognized_keys'
            ? issue.keys.map(
                key =>
                  `${[...issue.path, key].join('.')}: is not a parameter of this action`,
              )
            : [`${issue.path.join('.') || '(input)'}: ${issue.message}`],
        );
        throw new InputError(`Invalid input: ${issues.join('; ')}`);
      }
      const { path, acceptedFindings } = parsed.data;
      const files = await readFolder(ctx.workspacePath, path);
      if (files.length === 0) {
        throw new InputError(
          `${path} holds no configuration to validate (expected ${CONFIGURATION_LAYOUT.files.join(', ')} or the folders ${CONFIGURATION_LAYOUT.folders.join(', ')})`,
        );
      }
      const report = await validateConfiguration(files, { acceptedFindings });
      for (const file of report.checkedFiles) {
        ctx.logger.info(`Checked ${file}`);
      }
      for (const note of report.notes) {
        ctx.logger.info(`Note: ${formatProblem(note)}`);
      }
      ctx.output('checkedFiles', report.checkedFiles);
      ctx.output('notes', report.notes.map(formatProblem));
      if (report.problems.length > 0) {
        const lines = report.problems.map(
          problem => `- ${formatProblem(problem)}`,
        );
        throw new InputError(
          `${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} in ${path}:\n${lines.join('\n')}`,
        );
      }
      ctx.logger.info(
        `${report.checkedFiles.length} files are valid against the schemas and the baseline`,
      );
    },
  });
}
