import { lstat, readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  systemEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import {
  KUBERNETES_ANNOTATIONS,
  MESH_GATEWAY_ANNOTATIONS,
  parseKongServiceRefs,
  parseKongTags,
} from '@internal/plugin-mesh-gateway-common';
import { parseAllDocuments } from 'yaml';
import { checkBaseline } from './baseline';
import { ContractSchemas, SchemaViolation } from './contracts';
import { findDocumentMistakes } from './documentMistakes';
import { validatePluginConfig } from './kongPluginConfig';
import {
  isModelledKind,
  MODELLED_KINDS,
  removedApi,
  validateModelledObject,
} from './kubernetesModels';
import { checkMetadata } from './metadata';
import {
  ConfigurationFile,
  fieldPath,
  objectName,
  ParsedObject,
  Problem,
  ValidationReport,
} from './types';

/** What `mesh-gateway:generate` writes, and so what the validator reads from a folder. */
export const CONFIGURATION_LAYOUT = {
  folders: [
    'kong',
    'istio',
    'observability',
    'certificates',
    'autoscaling',
    'backup',
  ],
  files: ['catalog-info.yaml'],
  extensions: ['.yaml', '.yml', '.json'],
};

const MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface ValidateOptions {
  /** Baseline rule codes the spec departs from on purpose: reported as notes, not problems. */
  acceptedFindings?: string[];
  schemas?: ContractSchemas;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  !!value && typeof value === 'object' && !Array.isArray(value);

const catalogPolicy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);
const catalogKinds = [
  componentEntityV1alpha1Validator,
  apiEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
];

async function checkCatalogEntity(value: Json): Promise<SchemaViolation[]> {
  const violations: SchemaViolation[] = [];
  try {
    const entity =
      (await catalogPolicy.enforce(value as unknown as Entity)) ??
      (value as unknown as Entity);
    let known = false;
    for (const validator of catalogKinds) {
      known = (await validator.check(entity)) || known;
    }
    if (!known) {
      violations.push({
        field: 'kind',
        message: `${String(value.kind)} is not a kind this validator checks (Component, API, System)`,
      });
    }
  } catch (error) {
    violations.push({ field: '', message: (error as Error).message });
    return violations;
  }
  if (value.kind === 'Component') {
    const annotations =
      isObject(value.metadata) && isObject(value.metadata.annotations)
        ? value.metadata.annotations
        : {};
    const services = annotations[MESH_GATEWAY_ANNOTATIONS.kongServices];
    const tags = annotations[MESH_GATEWAY_ANNOTATIONS.kongTags];
    if (services === undefined && tags === undefined) {
      violations.push({
        field: 'metadata.annotations',
        message: `the Mesh tab needs ${MESH_GATEWAY_ANNOTATIONS.kongServices} or ${MESH_GATEWAY_ANNOTATIONS.kongTags}`,
      });
    }
    for (const [name, parse] of [
      [MESH_GATEWAY_ANNOTATIONS.kongServices, parseKongServiceRefs],
      [MESH_GATEWAY_ANNOTATIONS.kongTags, parseKongTags],
    ] as const) {
      const raw = annotations[name];
      if (raw === undefined) continue;
      try {
        parse(String(raw));
      } catch (error) {
        violations.push({
          field: `metadata.annotations.${name}`,
          message: (error as Error).message,
        });
      }
    }
    for (const name of [
      KUBERNETES_ANNOTATIONS.id,
      KUBERNETES_ANNOTATIONS.namespace,
    ]) {
      if (typeof annotations[name] !== 'string') {
        violations.push({
          field: `metadata.annotations.${name}`,
          message: 'is required so the Mesh tab finds the workload',
        });
      }
    }
  }
  return violations;
}

function checkDashboard(value: unknown): SchemaViolation[] {
  if (
    !isObject(value) ||
    typeof value.title !== 'string' ||
    !Array.isArray(value.panels)
  ) {
    return [
      { field: '', message: 'a Grafana dashboard needs a title and panels' },
    ];
  }
  return value.panels.flatMap((panel, i) =>
    isObject(panel) && Array.isArray(panel.targets)
      ? panel.targets.flatMap((target, t) =>
          isObject(target) &&
          typeof target.expr === 'string' &&
          target.expr.trim() !== ''
            ? []
            : [
                {
                  field: `panels[${i}].targets[${t}].expr`,
                  message: 'needs a PromQL expression',
                },
              ],
        )
      : [{ field: `panels[${i}]`, message: 'needs targets' }],
  );
}

/** Schema checks of one object: which schema depends on what it is. */
async function checkObject(
  object: ParsedObject,
  schemas: ContractSchemas,
): Promise<SchemaViolation[]> {
  const { value } = object;
  if ('_format_version' in value) {
    const violations = schemas.deck(value);
    if (value._format_version !== '3.0') {
      violations.push({
        field: '_format_version',
        message: 'must be "3.0" (decK files for Kong 3.x)',
      });
    }
    const plugins = (list: unknown, path: (string | number)[]) =>
      (Array.isArray(list) ? list : []).forEach((plugin, i) => {
        if (isObject(plugin) && typeof plugin.name === 'string') {
          violations.push(
            ...validatePluginConfig(plugin.name, plugin.config, [
              ...path,
              i,
              'config',
            ]),
          );
        }
      });
    plugins(value.plugins, ['plugins']);
    (Array.isArray(value.services) ? value.services : []).forEach(
      (service, s) => {
        if (!isObject(service)) return;
        plugins(service.plugins, ['services', s, 'plugins']);
        (Array.isArray(service.routes) ? service.routes : []).forEach(
          (route, r) => {
            if (isObject(route))
              plugins(route.plugins, ['services', s, 'routes', r, 'plugins']);
          },
        );
      },
    );
    return violations;
  }
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    return [
      {
        field: '',
        message:
          'is neither a Kubernetes object (apiVersion, kind) nor a decK file (_format_version)',
      },
    ];
  }
  if (apiVersion.startsWith('backstage.io/')) {
    return checkCatalogEntity(value);
  }
  const removed = removedApi(apiVersion, kind);
  if (removed) {
    return [
      { field: 'apiVersion', message: `${apiVersion} ${kind} is ${removed}` },
    ];
  }
  const crd = schemas.customResource(apiVersion, kind);
  if (crd) {
    const violations = [...crd(value), ...checkMetadata(kind, value.metadata)];
    if (
      (kind === 'KongPlugin' || kind === 'KongClusterPlugin') &&
      typeof value.plugin === 'string'
    ) {
      violations.push(
        ...validatePluginConfig(value.plugin, value.config, ['config']),
      );
    }
    return violations;
  }
  if (isModelledKind(apiVersion, kind)) {
    return [
      ...(validateModelledObject(value) ?? []),
      ...checkMetadata(kind, value.metadata),
    ];
  }
  if (
    apiVersion === 'configuration.konghq.com/v1' &&
    (kind === 'KongService' || kind === 'KongRoute')
  ) {
    return []; // explained by findDocumentMistakes
  }
  return [
    {
      field: 'apiVersion',
      message: `${apiVersion} ${kind} is not a kind this validator checks (it checks ${checkedKinds(schemas).join(', ')})`,
    },
  ];
}

function checkedKinds(schemas: ContractSchemas): string[] {
  return [
    ...schemas.customResourceKinds,
    ...MODELLED_KINDS,
    'backstage.io/v1alpha1 catalog entities',
  ];
}

/** The field path of the first own `__proto__` key in a parsed document, if any. */
function protoKeyPath(root: unknown): string | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [
    { value: root, path: [] },
  ];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (Array.isArray(value)) {
      value.forEach((item, i) =>
        stack.push({ value: item, path: [...path, i] }),
      );
    } else if (isObject(value)) {
      for (const key of Object.keys(value)) {
        if (key === '__proto__') {
          return fieldPath([...path, key]);
        }
        stack.push({ value: value[key], path: [...path, key] });
      }
    }
  }
  return undefined;
}

/**
 * Why a YAML document cannot be read: aliases are refused (configuration never needs them and
 * they can expand without bound), and a document nested deeper than the parser's stack is too.
 */
function unreadableYaml(error: unknown): string {
  if (error instanceof RangeError) {
    return 'is nested too deeply to read';
  }
  if (error instanceof ReferenceError) {
    return `uses a YAML alias (*name), which configuration must not: ${error.message}`;
  }
  return `is not valid YAML: ${String((error as Error)?.message ?? error).split('\n')[0]}`;
}

function parseFile(file: ConfigurationFile): {
  objects: ParsedObject[];
  problems: Problem[];
} {
  const problems: Problem[] = [];
  const objects: ParsedObject[] = [];
  const fail = (object: string, message: string) =>
    problems.push({
      file: file.path,
      object,
      field: '',
      message,
      severity: 'critical',
    });
  if (file.path.endsWith('.json')) {
    let value: unknown;
    try {
      value = JSON.parse(file.content);
    } catch (error) {
      fail('', `is not valid JSON: ${(error as Error).message}`);
      return { objects, problems };
    }
    for (const violation of checkDashboard(value)) {
      problems.push({
        file: file.path,
        object: 'dashboard',
        ...violation,
        severity: 'critical',
      });
    }
    return { objects, problems };
  }
  let documents: ReturnType<typeof parseAllDocuments>;
  try {
    documents = parseAllDocuments(file.content, {
      uniqueKeys: true,
      // Warnings (e.g. collection keys) are not problems; keep them off the console.
      logLevel: 'error',
    });
  } catch (error) {
    fail('', unreadableYaml(error));
    return { objects, problems };
  }
  documents.forEach((document, index) => {
    if ('errors' in document && document.errors.length > 0) {
      for (const error of document.errors) {
        fail(
          `document ${index + 1}`,
          `is not valid YAML: ${error.message.split('\n')[0]}`,
        );
      }
      return;
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount: 0 });
    } catch (error) {
      fail(`document ${index + 1}`, unreadableYaml(error));
      return;
    }
    if (value === null || value === undefined) {
      return;
    }
    if (!isObject(value)) {
      fail(`document ${index + 1}`, 'must be a mapping');
      return;
    }
    const protoKey = protoKeyPath(value);
    if (protoKey !== undefined) {
      // Copied into an object, such a key replaces its prototype: the object is not checked.
      fail(
        `document ${index + 1}`,
        `has a "__proto__" key at ${protoKey}, which is no field of any configuration`,
      );
      return;
    }
    objects.push({ file: file.path, index, value });
  });
  return { objects, problems };
}

/**
 * Validates configuration files against the upstream schemas, the documents' known mistakes and
 * the baseline. Every problem is reported, none stops the others.
 */
export async function validateConfiguration(
  files: ConfigurationFile[],
  options: ValidateOptions = {},
): Promise<ValidationReport> {
  const schemas = options.schemas ?? ContractSchemas.load();
  const accepted = new Set(options.acceptedFindings ?? []);
  const all: Problem[] = [];
  const objects: ParsedObject[] = [];
  const checked = files.filter(f =>
    CONFIGURATION_LAYOUT.extensions.some(ext => f.path.endsWith(ext)),
  );
  for (const file of checked) {
    const parsed = parseFile(file);
    all.push(...parsed.problems);
    objects.push(...parsed.objects);
  }
  for (const object of objects) {
    const name =
      '_format_version' in object.value
        ? 'decK state'
        : objectName(object.value);
    for (const violation of await checkObject(object, schemas)) {
      all.push({
        file: object.file,
        object: name,
        ...violation,
        severity: 'critical',
      });
    }
  }
  const explained = objects.flatMap(findDocumentMistakes);
  const explainedFields = new Set(
    explained.map(p => `${p.file}\u0000${p.object}\u0000${p.field}`),
  );
  const problems = [
    // A schema violation the mistakes explain better is reported once, with the explanation.
    ...all.filter(
      p => !explainedFields.has(`${p.file}\u0000${p.object}\u0000${p.field}`),
    ),
    ...explained,
    ...checkBaseline(objects),
  ];
  const isNote = (p: Problem) =>
    p.severity === 'info' || (p.code !== undefined && accepted.has(p.code));
  return {
    checkedFiles: checked.map(f => f.path),
    problems: problems.filter(p => !isNote(p)),
    notes: problems.filter(isNote),
  };
}

/**
 * Reads the configuration layout of a folder (catalog-info.yaml and the kong, istio,
 * observability, certificates, autoscaling and backup folders). Symbolic links are not followed.
 */
export async function readConfigurationFolder(
  root: string,
): Promise<ConfigurationFile[]> {
  const files: ConfigurationFile[] = [];
  const visit = async (path: string): Promise<void> => {
    const stat = await lstat(path).catch(() => undefined);
    if (!stat || stat.isSymbolicLink()) {
      return;
    }
    if (stat.isDirectory()) {
      for (const entry of (await readdir(path)).sort()) {
        await visit(join(path, entry));
      }
      return;
    }
    if (
      stat.isFile() &&
      CONFIGURATION_LAYOUT.extensions.some(ext => path.endsWith(ext))
    ) {
      const relativePath = relative(root, path).split(sep).join('/');
      if (stat.size > MAX_FILE_BYTES) {
        throw new Error(
          `${relativePath} is larger than ${MAX_FILE_BYTES} bytes`,
        );
      }
      files.push({ path: relativePath, content: await readFile(path, 'utf8') });
    }
  };
  for (const entry of [
    ...CONFIGURATION_LAYOUT.files,
    ...CONFIGURATION_LAYOUT.folders,
  ]) {
    await visit(join(root, entry));
  }
  return files;
}

/**
 * Control characters and line breaks, escaped: a problem is one line whatever a file name, a
 * value or a parser's message holds, so no file can add lines to the report.
 */
function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, c => {
    const named: Record<string, string> = {
      '\n': '\\n',
      '\r': '\\r',
      '\t': '\\t',
    };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** One line per problem: `file: object field: message [code]`. */
export function formatProblem(problem: Problem): string {
  const field = problem.field ? ` ${problem.field}` : '';
  const code = problem.code ? ` [${problem.code}]` : '';
  return oneLine(
    `${problem.file}: ${problem.object}${field}: ${problem.message}${code}`,
  );
}
