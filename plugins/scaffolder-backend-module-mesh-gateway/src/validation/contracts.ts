import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { parseAllDocuments } from 'yaml';
import { evaluateCelRule, toDraft04 } from './openapi';
import { jsonPointerToField } from './types';

/** A schema violation: the field and why. */
export interface SchemaViolation {
  field: string;
  message: string;
}

export type SchemaCheck = (value: unknown) => SchemaViolation[];

/** The upstream schema files shipped in ../../contracts (see its README.md). */
export const CONTRACT_FILES = {
  crds: [
    'istio/crds.yaml',
    'cert-manager/cert-manager.io_certificates.yaml',
    'kong-k8s-crds/configuration.konghq.com_kongplugins.yaml',
    'kong-k8s-crds/configuration.konghq.com_kongclusterplugins.yaml',
  ],
  deck: 'deck/kong_json_schema.json',
} as const;

export function defaultContractsDir(): string {
  return resolvePackagePath(
    '@internal/plugin-scaffolder-backend-module-mesh-gateway',
    'contracts',
  );
}

interface CrdVersion {
  name: string;
  served: boolean;
  schema?: { openAPIV3Schema?: Record<string, unknown> };
}

interface Crd {
  kind: string;
  spec: { group: string; names: { kind: string }; versions: CrdVersion[] };
}

const UNKNOWN_FIELD = {
  kubernetes:
    'unknown field: the CRD has no such field, the API server would drop it silently',
  deck: 'unknown field: decK rejects the file',
};

function describe(
  error: ErrorObject,
  flavour: keyof typeof UNKNOWN_FIELD,
): SchemaViolation {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return {
        field: jsonPointerToField(
          error.instancePath,
          String(params.additionalProperty),
        ),
        message: UNKNOWN_FIELD[flavour],
      };
    case 'required':
      return {
        field: jsonPointerToField(
          error.instancePath,
          String(params.missingProperty),
        ),
        message: 'is required',
      };
    case 'enum':
      return {
        field: jsonPointerToField(error.instancePath),
        message: `must be one of ${(params.allowedValues as unknown[]).map(v => JSON.stringify(v)).join(', ')}`,
      };
    default:
      return {
        field: jsonPointerToField(error.instancePath),
        message: error.message ?? error.keyword,
      };
  }
}

function stripNestedSchemaKeywords(value: unknown, root = true): unknown {
  if (Array.isArray(value)) {
    return value.map(v => stripNestedSchemaKeywords(v, false));
  }
  if (!value || typeof value !== 'object') {
    return value;
  }
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => root || key !== '$schema')
      .map(([key, v]) => [key, stripNestedSchemaKeywords(v, false)]),
  );
}

/**
 * Compiled validators for the upstream schemas: every served version of every CRD in the
 * contract files, and the decK state file schema. Validators compile on first use.
 */
export class ContractSchemas {
  private static readonly cache = new Map<string, ContractSchemas>();

  /**
   * Loads the schemas of `dir`; `files` names other files than the copies this module ships
   * (e.g. the full `istio/crd-all.gen.yaml` of the upstream contracts).
   */
  static load(
    dir: string = defaultContractsDir(),
    files: { crds: readonly string[]; deck: string } = CONTRACT_FILES,
  ): ContractSchemas {
    const key = `${dir}:${files.crds.join(',')}`;
    let schemas = ContractSchemas.cache.get(key);
    if (!schemas) {
      schemas = new ContractSchemas(dir, files);
      ContractSchemas.cache.set(key, schemas);
    }
    return schemas;
  }

  private readonly ajv: Ajv;
  private readonly crdSchemas = new Map<string, Record<string, unknown>>();
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly deckSchema: Record<string, unknown>;

  private constructor(
    dir: string,
    files: { crds: readonly string[]; deck: string },
  ) {
    this.ajv = new Ajv({
      allErrors: true,
      strict: false,
      unicodeRegExp: false,
    });
    addFormats(this.ajv);
    this.ajv.addKeyword({
      keyword: 'x-cel',
      errors: true,
      validate: function validateCel(
        rules: { rule: string; message?: string }[],
        data: unknown,
      ): boolean {
        const failures = rules
          .map(rule => evaluateCelRule(rule, data))
          .filter((reason): reason is string => reason !== undefined);
        (validateCel as unknown as { errors: Partial<ErrorObject>[] }).errors =
          failures.map(message => ({ keyword: 'x-cel', message, params: {} }));
        return failures.length === 0;
      },
    });
    for (const file of files.crds) {
      for (const document of parseAllDocuments(
        readFileSync(join(dir, file), 'utf8'),
      )) {
        const crd = document.toJS() as Crd | null;
        if (crd?.kind !== 'CustomResourceDefinition') {
          continue;
        }
        for (const version of crd.spec.versions) {
          const schema = version.schema?.openAPIV3Schema;
          if (version.served && schema) {
            const apiVersion = `${crd.spec.group}/${version.name}`;
            this.crdSchemas.set(`${apiVersion}/${crd.spec.names.kind}`, schema);
          }
        }
      }
    }
    this.deckSchema = stripNestedSchemaKeywords(
      JSON.parse(readFileSync(join(dir, files.deck), 'utf8')),
    ) as Record<string, unknown>;
  }

  /** `group/version/Kind` of every custom resource with a schema. */
  get customResourceKinds(): string[] {
    return [...this.crdSchemas.keys()];
  }

  /** The check of a custom resource, or undefined when no contract defines it. */
  customResource(apiVersion: string, kind: string): SchemaCheck | undefined {
    const key = `${apiVersion}/${kind}`;
    const schema = this.crdSchemas.get(key);
    if (!schema) {
      return undefined;
    }
    return this.check(key, 'kubernetes', () => {
      const converted = toDraft04(schema) as Record<string, unknown>;
      return {
        ...converted,
        type: 'object',
        required: [
          ...new Set([
            ...((converted.required as string[]) ?? []),
            'apiVersion',
            'kind',
            'metadata',
          ]),
        ],
        properties: {
          ...(converted.properties as object),
          apiVersion: { type: 'string', enum: [apiVersion] },
          kind: { type: 'string', enum: [kind] },
          // Metadata is checked by the validator itself: Istio's CRDs define no schema for it.
          metadata: { type: 'object' },
        },
        additionalProperties: false,
      };
    });
  }

  /** The check of a decK state file. */
  get deck(): SchemaCheck {
    return this.check('deck', 'deck', () => this.deckSchema);
  }

  private check(
    key: string,
    flavour: keyof typeof UNKNOWN_FIELD,
    schema: () => Record<string, unknown>,
  ): SchemaCheck {
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(schema());
      this.compiled.set(key, validate);
    }
    const compiledValidate = validate;
    return value => {
      if (compiledValidate(value)) {
        return [];
      }
      const seen = new Set<string>();
      return (compiledValidate.errors ?? [])
        .map(error => describe(error, flavour))
        .filter(violation => {
          const id = `${violation.field}\u0000${violation.message}`;
          if (seen.has(id)) {
            return false;
          }
          seen.add(id);
          return true;
        });
    };
  }
}
