import { createHash } from 'node:crypto';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import {
  BASELINE_RULES,
  parseServiceSpec,
  SERVICE_SPEC_PATTERNS,
} from '@internal/plugin-mesh-gateway-common';
import fc from 'fast-check';
import { parseAllDocuments, stringify } from 'yaml';
import { generateConfiguration } from '../generator';
import {
  actionFuzzRuns,
  FUZZ_TIMEOUT_MS,
  HOSTILE_TEXT,
} from '../__testUtils__/arbitraries';
import { createMeshGatewayValidateAction } from './validate';

/**
 * mesh-gateway:validate under hostile input: arbitrary `path` values and folders of hostile
 * files. `FUZZ_RUNS=10000 yarn test:fuzz` runs at least 10,000 cases of each property; the
 * default run stays quick.
 */
const RUNS = actionFuzzRuns(60);

const RULE_CODES = Object.keys(BASELINE_RULES);
const SECRET = 'TOP-SECRET-7f3a9c';
const TARGET_PATH = new RegExp(SERVICE_SPEC_PATTERNS.targetPath);

/** Everything under `dir`: files by content hash, links by target, folders as such. */
function tree(dir: string, prefix = ''): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const key = `${prefix}${name}`;
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) {
      entries[key] = `link ${readlinkSync(path)}`;
    } else if (stat.isDirectory()) {
      entries[key] = 'folder';
      Object.assign(entries, tree(path, `${key}/`));
    } else {
      entries[key] = `file ${createHash('sha256')
        .update(readFileSync(path))
        .digest('hex')}`;
    }
  }
  return entries;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  !Buffer.isBuffer(value);

/** The generated configuration of a service, deck and kic mode, as a starting point to break. */
function generatedFiles() {
  return (['deck', 'kic'] as const).flatMap(mode => {
    const result = parseServiceSpec({
      name: 'ai-agent',
      namespace: 'parallel-ai',
      owner: 'group:default/platform',
      hosts: ['api.example.com'],
      auth: { issuer: 'https://auth.example.com' },
      kong: { mode },
    });
    if (!result.success) throw new Error(JSON.stringify(result.issues));
    return generateConfiguration(result.spec).files.map(file => ({
      ...file,
      mode,
    }));
  });
}

const GENERATED = generatedFiles();

/** Dotted paths of every node of a JSON value. */
function nodePaths(value: unknown, path: (string | number)[] = []) {
  const paths: (string | number)[][] = [path];
  if (Array.isArray(value)) {
    value.forEach((item, i) => paths.push(...nodePaths(item, [...path, i])));
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      paths.push(...nodePaths(item, [...path, key]));
    }
  }
  return paths;
}

/** Values a broken file may hold where the generator put something sensible. */
const replacement = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  HOSTILE_TEXT,
  fc.constantFrom(
    null,
    '',
    -1,
    0,
    1e308,
    '__proto__',
    [],
    {},
    { __proto__: { polluted: true } },
    'x'.repeat(5000),
    '99999999999999999999999',
    'ISTIO_MUTUAL',
    'PERMISSIVE',
  ),
  fc.constant(undefined), // the key is removed
);

/** A generated file with one value anywhere replaced (or removed). */
const brokenGeneratedFile = fc
  .record({
    file: fc.nat(),
    document: fc.nat(),
    node: fc.nat(),
    value: replacement,
  })
  .map(({ file, document, node, value }) => {
    const source = GENERATED[file % GENERATED.length];
    if (source.path.endsWith('.md')) {
      return { path: source.path, content: source.content };
    }
    const values: unknown[] = source.path.endsWith('.json')
      ? [JSON.parse(source.content)]
      : parseAllDocuments(source.content).map(d => d.toJS());
    const target = values[document % values.length];
    const paths = nodePaths(target).filter(p => p.length > 0);
    if (paths.length > 0) {
      const path = paths[node % paths.length];
      let parent: any = target;
      for (const segment of path.slice(0, -1)) parent = parent[segment];
      const key = path[path.length - 1];
      if (value === undefined) {
        if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else delete parent[key];
      } else {
        parent[key] = value;
      }
    }
    const content = source.path.endsWith('.json')
      ? JSON.stringify(values[0])
      : values.map(v => stringify(v)).join('---\n');
    return { path: source.path, content };
  });

const BILLION_LAUGHS = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
  'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
  'apiVersion: v1\nkind: Service\nmetadata: {name: *i}',
].join('\n');

/** YAML and JSON written to hurt a parser or a validator. */
const HOSTILE_DOCUMENTS: string[] = [
  BILLION_LAUGHS,
  'apiVersion: v1\nkind: Service\nmetadata: &m {name: a}\nspec: {selector: *m}',
  'apiVersion: v1\nkind: Service\nmetadata: {name: *nowhere}',
  'base: &b {kind: Service}\n<<: *b\napiVersion: v1',
  'apiVersion: v1\nkind: Service\nkind: Secret\nmetadata: {name: a}',
  'apiVersion: v1\napiVersion: v1\n',
  '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]',
  '['.repeat(60_000),
  '{a: '.repeat(20_000),
  `${'- '.repeat(30_000)}x`,
  `${'  '.repeat(5_000)}a: b`,
  '%YAML 1.1\n---\napiVersion: v1\nkind: Service\nmetadata: {name: yes}',
  '%TAG ! tag:evil.example.com,2000:\n--- !x\napiVersion: v1',
  '!!js/function "function(){ return process.exit(1) }"',
  'apiVersion: !!js/undefined ""\nkind: !!python/object/apply:os.system ["id"]',
  'apiVersion: v1\nkind: Service\nmetadata: {name: !!binary aGVsbG8=}',
  '? [complex, key]\n: value\n? {a: b}\n: c',
  '__proto__: {polluted: true}\napiVersion: v1\nkind: Service\nmetadata: {name: a, __proto__: {polluted: true}}',
  'constructor: {prototype: {polluted: true}}',
  '---\n'.repeat(5_000),
  '...\n---\n...\n',
  '\uFEFFapiVersion: v1\r\nkind: Service\r\nmetadata:\r\n\tname: a',
  'apiVersion: v1\nkind: Service\nmetadata: {name: "\u0000\u0007\u001b[31m"}',
  'apiVersion: 1\nkind: 2\nmetadata: 3\nspec: 4',
  'apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: a}\nspec: {http: 5, hosts: {a: b}}',
  'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: a}\nspec: {trafficPolicy: [1, 2]}',
  'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: a}\nspec: {rules: [null, 1, {from: 5, to: "x"}]}',
  'apiVersion: configuration.konghq.com/v1\nkind: KongPlugin\nmetadata: {name: a}\nplugin: jwt\nconfig: [1]',
  '_format_version: "3.0"\nservices: [null, 5, {routes: 7, plugins: {a: 1}}]',
  '_format_version: 3.0\nservices: {a: {routes: [{plugins: [{name: jwt, config: null}]}]}}',
  'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: a, annotations: {mesh-gateway.io/kong-services: [1], mesh-gateway.io/kong-tags: "a/b"}}\nspec: 5',
  'apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata: null',
  'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: a}\nspec: {metrics: "x"}',
  'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: a}\nspec: {jobTemplate: {spec: {template: {spec: {containers: 5}}}}}',
  'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: a}\nspec: {groups: [{rules: [{expr: {a: b}}]}]}',
  '{"panels": [{"targets": [null, {"expr": 5}]}]}',
  '{"title": "t", "panels": {"length": 5}}',
  '{"__proto__": {"polluted": true}, "title": "t", "panels": []}',
  '[1, 2, 3]',
  'null',
  '',
  'plain scalar',
  '- a\n- b',
  'a: b: c',
  '"unterminated',
  '\u0000\u0001\u0002',
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  annotations:\n    huge: "${'x'.repeat(1_500_000)}"`,
];

/** Hostile documents, broken generated files and garbage. */
const hostileContent = fc.oneof(
  { weight: 6, arbitrary: brokenGeneratedFile.map(f => f.content) },
  {
    weight: 6,
    arbitrary: fc.constantFrom(...HOSTILE_DOCUMENTS),
  },
  { weight: 2, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200, unit: 'binary' }) },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ maxLength: 300 })
      .map(bytes => Buffer.from(bytes)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('a', '[1]', '{}', '&x y'), fc.nat({ max: 3000 }))
      .map(([item, n]) => `list:\n${`  - ${item}\n`.repeat(n)}`),
  },
);

/** Where a file lands: in the layout the validator reads, or beside it. */
const location = fc.constantFrom(
  'catalog-info.yaml',
  'kong/kong.yaml',
  'kong/kic/ingress.yml',
  'istio/virtual-service.yaml',
  'istio/deeply/nested/folder/policy.yaml',
  'observability/dashboard.json',
  'observability/rule.yaml',
  'certificates/certificate.yaml',
  'autoscaling/hpa.yaml',
  'backup/cronjob.yaml',
  'backup/RESTORE.md',
  'other/ignored.yaml',
  'README.md',
  'kong/.hidden.yaml',
  'istio/a b.yaml',
  'istio/ünïcode.yaml',
  'istio/evil\n- catalog-info.yaml',
);

/** A folder of hostile files, symbolic links out of the workspace among them. */
const hostileFolder = fc.record({
  files: fc.uniqueArray(fc.tuple(location, hostileContent), {
    selector: ([path]) => path,
    minLength: 0,
    maxLength: 4,
  }),
  links: fc.uniqueArray(
    fc.tuple(
      fc.constantFrom(
        'catalog-info.yaml',
        'kong',
        'istio/link.yaml',
        'backup/link',
      ),
      fc.constantFrom(
        '../outside',
        '../../outside/catalog-info.yaml',
        '/etc/passwd',
        '.',
        'missing',
      ),
    ),
    { selector: ([path]) => path.split('/')[0], maxLength: 2 },
  ),
  // Extra large: over the validator's 2 MiB limit per file.
  oversized: fc.option(fc.constantFrom('kong/kong.yaml', 'istio/big.yaml'), {
    freq: 40,
    nil: undefined,
  }),
});

type HostileFolder =
  typeof hostileFolder extends fc.Arbitrary<infer T> ? T : never;

/** Paths a confused or hostile template may pass. */
const hostilePath = fc.oneof(
  fc.constantFrom(
    '.',
    'deploy',
    'deploy/',
    './deploy',
    'deploy//kong',
    'deploy/kong',
    'deploy/catalog-info.yaml',
    'broken',
    'empty',
    'missing',
    'missing/deeper',
    'file.txt',
    'file.txt/x',
    'link-out',
    'link-out/kong',
    'link-in',
    'loop',
    'loop/x',
    '..',
    '../',
    '../outside',
    '../../../etc',
    './..',
    'deploy/../..',
    'deploy/..',
    '/',
    '/etc',
    '/etc/passwd',
    '/tmp',
    'C:\\Windows',
    '\\\\server\\share',
    '%2e%2e',
    '%2e%2e/outside',
    'a\u0000b',
    'deploy\u0000/../..',
    '\u0000',
    '',
    ' ',
    '~',
    '~/x',
    '$HOME',
    '${{ parameters.path }}',
    '-rf',
    '.git',
    'x'.repeat(255),
    'x'.repeat(256),
    'a/'.repeat(120),
    '__proto__',
    'constructor',
    'deploy\n',
    'deploy\r\nkong',
    'deploy\u2028',
    'dеploy', // Cyrillic е
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ maxLength: 20, unit: 'binary' }),
  fc.stringMatching(/^[A-Za-z0-9._/-]{0,40}$/),
  fc
    .array(
      fc.constantFrom(
        '..',
        '.',
        '',
        'deploy',
        'kong',
        'link-out',
        'link-in',
        'loop',
        'file.txt',
        'missing',
      ),
      { maxLength: 5 },
    )
    .map(segments => segments.join('/')),
);

const notAString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
  fc.constant(Buffer.from('../outside')),
  fc.constant(new URL('file:///etc/passwd')),
  fc.constant({ toString: () => '../outside' }),
);

const acceptedFindings = fc.oneof(
  fc.subarray(RULE_CODES, { maxLength: 3 }),
  fc.array(
    fc.oneof(fc.constantFrom(...RULE_CODES), fc.string(), fc.integer()),
    {
      maxLength: 4,
    },
  ),
  fc.array(fc.constantFrom(...RULE_CODES), {
    minLength: RULE_CODES.length + 1,
    maxLength: RULE_CODES.length + 2,
  }),
  notAString,
);

const actionInput = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      {
        path: fc.oneof(
          { weight: 5, arbitrary: hostilePath },
          { weight: 1, arbitrary: notAString },
        ),
        acceptedFindings,
      },
      { requiredKeys: [] },
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.record({ path: hostilePath }),
        fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue(), {
          minKeys: 1,
          maxKeys: 2,
        }),
      )
      .map(([known, extra]) => ({ ...extra, ...known })),
  },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) },
);

describe('mesh-gateway:validate under hostile input (fast-check)', () => {
  const action = createMeshGatewayValidateAction();
  let sandbox: string;
  let workspace: string;

  beforeAll(() => {
    sandbox = mkdtempSync(join(tmpdir(), 'mesh-gateway-validate-fuzz-'));
    workspace = join(sandbox, 'workspace');
    const write = (path: string, content: string | Buffer) => {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    };
    // Outside the workspace: configuration that must never be read, a secret never to be shown.
    write(join(sandbox, 'outside', 'secret.txt'), SECRET);
    for (const file of GENERATED.filter(f => f.mode === 'deck')) {
      write(join(sandbox, 'outside', file.path), file.content);
      write(join(workspace, 'deploy', file.path), file.content);
    }
    write(join(workspace, 'broken', 'kong', 'kong.yaml'), BILLION_LAUGHS);
    write(join(workspace, 'broken', 'catalog-info.yaml'), 'a: 1\na: 2\n');
    mkdirSync(join(workspace, 'empty'));
    write(join(workspace, 'file.txt'), 'not a folder');
    symlinkSync(join(sandbox, 'outside'), join(workspace, 'link-out'));
    symlinkSync('deploy', join(workspace, 'link-in'));
    symlinkSync('loop', join(workspace, 'loop'));
    symlinkSync(
      join(sandbox, 'outside', 'secret.txt'),
      join(workspace, 'deploy', 'kong', 'secret.yaml'),
    );
  });

  afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

  function context(input: unknown) {
    // The mock context replaces a falsy input with {}: the handler gets the input as it is.
    return {
      ...createMockActionContext({
        workspacePath: workspace,
        logger: mockServices.logger.mock(),
      }),
      input: input as never,
    };
  }

  /** Runs the action; asserts it wrote nothing anywhere and failed, if at all, with an InputError. */
  async function run(input: unknown): Promise<Error | undefined> {
    const before = tree(sandbox);
    const error = await action.handler(context(input)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(tree(sandbox)).toEqual(before);
    expect(({} as any).polluted).toBeUndefined();
    if (error !== undefined) {
      expect(error).toBeInstanceOf(Error);
      expect({
        name: (error as Error).name,
        message: (error as Error).message,
      }).toMatchObject({ name: 'InputError', message: expect.any(String) });
    }
    return error as Error | undefined;
  }

  /** What is wrong with a report of problems: each line names file, object and why. */
  function problemLineComplaints(message: string, files: string[]): string[] {
    const [, ...lines] = message.split('\n');
    const names = files.map(f => f.replace(/\n/g, '\\n'));
    return [
      ...(lines.length === 0 ? ['the report lists no problem'] : []),
      ...lines.flatMap(line => {
        const match = /^- ([^:]+): (.*): (.+)$/.exec(line);
        if (!match) return [`not "- file: object field: why": ${line}`];
        // A finding about the service as a whole (no DestinationRule at all...) is on ".".
        const serviceWide = match[1] === '.' && match[2].startsWith('service ');
        return serviceWide || names.includes(match[1])
          ? []
          : [`names a file that was not validated: ${line}`];
      }),
    ];
  }

  /** What is wrong with the rejection of an input the action must refuse. */
  function invalidInputComplaints(
    message: string,
    record: Record<string, unknown> | undefined,
    wrong: { path: boolean; acceptedFindings: boolean; keys: string[] },
  ): string[] {
    const expected = [
      /^Invalid input: /.source,
      ...(record ? [] : ['(input): ']),
      ...(wrong.path ? ['path: '] : []),
      ...(wrong.acceptedFindings ? ['acceptedFindings'] : []),
      ...wrong.keys.map(key => `${key}: is not a parameter of this action`),
    ];
    return expected.flatMap((part, i) =>
      (i === 0 ? new RegExp(part).test(message) : message.includes(part))
        ? []
        : [`does not name ${JSON.stringify(part)}`],
    );
  }

  /**
   * What is wrong with the rejection of a valid input naming `path`. `folder` is what the test
   * knows of the folder: the files the validator reads, and the one over the size limit.
   */
  function folderComplaints(
    message: string,
    path: string,
    folder: { validated: string[]; oversized?: string; known: boolean },
  ): string[] {
    const header = message.split('\n')[0];
    if (header.startsWith(`path: ${path} `)) {
      // Leads outside the workspace, or cannot be read: says which, and which file.
      if (!/leads outside the workspace|cannot be/.test(header)) {
        return ['does not say what is wrong with the path'];
      }
      if (!folder.known) return [];
      return folder.oversized !== undefined &&
        header.includes(`${folder.oversized} is larger than`)
        ? []
        : ['a folder that can be read is reported as unreadable'];
    }
    if (header.startsWith(`${path} holds no configuration`)) {
      return folder.known && folder.validated.length > 0
        ? [`ignored configuration files: ${folder.validated.join(', ')}`]
        : [];
    }
    if (!/^[0-9]+ problems? in /.test(header)) {
      return ['is none of the rejections the action makes'];
    }
    return header.endsWith(` in ${path}:`)
      ? problemLineComplaints(message, folder.validated)
      : ['does not name the folder'];
  }

  it(
    'rejects every bad path or input with an InputError naming the parameter, reads nothing outside the workspace',
    async () => {
      let cases = 0;
      const outcomes = { invalid: 0, valid: 0, rejected: 0 };
      await fc.assert(
        fc.asyncProperty(actionInput, async input => {
          cases++;
          const error = await run(input);
          const record = isPlainObject(input) ? input : undefined;
          // zod applies the defaults to absent (undefined) values only.
          const path = record?.path === undefined ? '.' : record.path;
          const findings =
            record?.acceptedFindings === undefined
              ? []
              : record.acceptedFindings;
          const unknownKeys = record
            ? Object.keys(record).filter(
                k => k !== 'path' && k !== 'acceptedFindings',
              )
            : [];
          const pathValid =
            typeof path === 'string' &&
            path.length <= 255 &&
            TARGET_PATH.test(path);
          const findingsValid =
            Array.isArray(findings) &&
            findings.length <= RULE_CODES.length &&
            findings.every(f => RULE_CODES.includes(f));

          const invalid =
            !record || !pathValid || !findingsValid || unknownKeys.length > 0;
          const p = String(path);
          let complaints: string[];
          if (invalid) {
            outcomes.invalid++;
            complaints = invalidInputComplaints(error?.message ?? '', record, {
              path: !!record && !pathValid,
              acceptedFindings: !!record && !findingsValid,
              keys: unknownKeys,
            });
          } else if (error === undefined) {
            outcomes.valid++;
            // Only the generated configuration inside the workspace passes.
            complaints = ['deploy', 'link-in'].includes(p)
              ? []
              : [`passed ${p}`];
          } else {
            outcomes.rejected++;
            complaints = folderComplaints(error.message, p, {
              validated: ['kong/kong.yaml', 'catalog-info.yaml'],
              known: false,
            });
          }
          expect({
            input,
            message: error?.message,
            complaints,
            secretShown: !!error?.message.includes(SECRET),
          }).toMatchObject({ complaints: [], secretShown: false });
        }),
        { numRuns: RUNS },
      );
      expect(cases).toBeGreaterThanOrEqual(RUNS);
      if (process.env.FUZZ_RUNS) {
        // eslint-disable-next-line no-console
        console.log(
          `validate path fuzz: ${cases} cases ${JSON.stringify(outcomes)}`,
        );
      }
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'reports every problem of a folder of hostile files by file and object, and never throws anything else',
    async () => {
      let cases = 0;
      let problems = 0;
      const target = join(workspace, 'case');
      await fc.assert(
        fc.asyncProperty(hostileFolder, async ({ files, links, oversized }) => {
          cases++;
          rmSync(target, { recursive: true, force: true });
          mkdirSync(target);
          for (const [path, content] of files) {
            mkdirSync(dirname(join(target, path)), { recursive: true });
            writeFileSync(join(target, path), content);
          }
          const occupied = [...files.map(([path]) => path), oversized ?? ''];
          for (const [path, to] of links) {
            if (occupied.some(f => f === path || f.startsWith(`${path}/`))) {
              continue;
            }
            mkdirSync(dirname(join(target, path)), { recursive: true });
            symlinkSync(to, join(target, path));
          }
          if (oversized) {
            mkdirSync(dirname(join(target, oversized)), { recursive: true });
            writeFileSync(
              join(target, oversized),
              `a: "${'x'.repeat(2 * 1024 * 1024)}"`,
            );
          }
          const written = [
            ...files.map(([path]) => path),
            ...(oversized ? [oversized] : []),
          ];
          const layout = written.filter(
            path =>
              /\.(ya?ml|json)$/.test(path) &&
              /^(catalog-info\.yaml$|(kong|istio|observability|certificates|autoscaling|backup)\/)/.test(
                path,
              ),
          );
          const error = await run({ path: 'case' });
          if (error !== undefined) problems++;
          // Passing is fine (a file may hold nothing, or nothing wrong); a rejection says why.
          const complaints =
            error === undefined
              ? []
              : folderComplaints(error.message, 'case', {
                  validated: layout,
                  oversized,
                  known: true,
                });
          expect({
            message: error?.message.slice(0, 2000),
            complaints,
            secretShown: !!error?.message.includes(SECRET),
          }).toMatchObject({ complaints: [], secretShown: false });
        }),
        {
          numRuns: RUNS,
          // Every hostile document in every run, besides the random folders.
          examples: HOSTILE_DOCUMENTS.flatMap(document =>
            (['kong/kong.yaml', 'observability/dashboard.json'] as const).map(
              (path): [HostileFolder] => [
                { files: [[path, document]], links: [], oversized: undefined },
              ],
            ),
          ),
        },
      );
      expect(cases).toBeGreaterThanOrEqual(RUNS);
      expect(problems).toBeGreaterThan(0);
      if (process.env.FUZZ_RUNS) {
        // eslint-disable-next-line no-console
        console.log(
          `validate folder fuzz: ${cases} cases, ${problems} rejected`,
        );
      }
    },
    FUZZ_TIMEOUT_MS,
  );
});
