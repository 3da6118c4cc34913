import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { DataValidateFunction, DataValidationCxt } from 'ajv/dist/types';
import type { SchemaNode } from '@flotilla/schemas';

export const LAZY_KEYWORD = 'x-flotilla-lazy';

/** Nodes beyond this many schema objects are compiled on first use instead of with their parent. */
const BIG = 24;

function isBig(schema: unknown, budget = { left: BIG }): boolean {
  if (!schema || typeof schema !== 'object') return false;
  if (--budget.left <= 0) return true;
  for (const value of Object.values(schema)) if (value && typeof value === 'object' && isBig(value, budget)) return true;
  return false;
}

/**
 * Subschemas compiled on first use. Big CRD schemas (ESO's ClusterSecretStore has ~30 providers,
 * Crossplane's DeploymentRuntimeConfig a whole pod template) and the Kubernetes definitions behind
 * `$ref`s are replaced by `{ "x-flotilla-lazy": id }`, so a run compiles only what its objects use.
 *
 * A lazy node always passes in ajv's eyes; its errors go to the collector of the running
 * {@link LazySchemas.run} with their own instance path, data and schema path intact (ajv would
 * overwrite those for keyword errors).
 */
export class LazySchemas {
  private readonly schemas: SchemaNode[] = [];
  private readonly validators: (ValidateFunction | undefined)[] = [];
  private readonly refIds = new Map<string, number>();
  private collector: ErrorObject[] | undefined;

  constructor(private readonly ajv: Ajv) {
    ajv.addKeyword({
      keyword: LAZY_KEYWORD,
      schemaType: 'number',
      compile: (id: number): DataValidateFunction => {
        // ajv passes the data context (instance path, parent, root) on, so nested errors get full paths.
        return (data: unknown, context?: DataValidationCxt) => {
          const validate = this.validator(id);
          if (!validate(data, context)) {
            this.collector?.push(...(validate.errors ?? []).map((error) => ({ ...error, schemaPath: `lazy${id}${error.schemaPath.slice(1)}` })));
          }
          return true;
        };
      },
    });
  }

  /** The schema itself when small, else a lazy node standing for it. */
  wrap(schema: SchemaNode): SchemaNode {
    return isBig(schema) ? this.node(schema) : schema;
  }

  /** A lazy node for a `$ref` (compiled when first reached, once per target). */
  ref(target: string): SchemaNode {
    let id = this.refIds.get(target);
    if (id === undefined) {
      id = this.schemas.push({ $ref: target }) - 1;
      this.refIds.set(target, id);
    }
    return { [LAZY_KEYWORD]: id };
  }

  /** Runs a compiled validator; returns every error, lazy subschemas' included, or null when valid. */
  run(validate: ValidateFunction, data: unknown): ErrorObject[] | null {
    const outer = this.collector;
    const collected: ErrorObject[] = [];
    this.collector = collected;
    try {
      const valid = validate(data);
      const errors = [...(valid ? [] : (validate.errors ?? [])), ...collected];
      return errors.length > 0 ? errors : null;
    } finally {
      this.collector = outer;
    }
  }

  private node(schema: SchemaNode): SchemaNode {
    return { [LAZY_KEYWORD]: this.schemas.push(schema) - 1 };
  }

  private validator(id: number): ValidateFunction {
    let validate = this.validators[id];
    if (!validate) {
      validate = this.ajv.compile(this.schemas[id]!);
      this.validators[id] = validate;
    }
    return validate;
  }
}
