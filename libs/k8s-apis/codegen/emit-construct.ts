import { TypeGenerator } from 'json2jsii';
import type { JSONSchema4 } from 'json-schema';

/** One served version of one CRD, as it becomes one L1 construct class. */
export interface ConstructDefinition {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Class name, already normalized (`NodePool`, `ConstraintTemplateV1Beta1`). */
  readonly className: string;
  /** Cleaned schema of the whole object (apiVersion/kind/metadata/spec...). */
  readonly schema: JSONSchema4;
}

/**
 * Emits an `ApiObject` subclass plus its props struct, in the shape `cdk8s import` produces
 * (GVK static, `manifest()`, `(scope, id, props)` constructor, `toJson()` through `toJson_XxxProps`).
 * Ported from cdk8s-cli `lib/import/codegen.ts` (Apache-2.0) so that we control naming and
 * leave descriptions out.
 */
export function emitConstruct(typegen: TypeGenerator, def: ConstructDefinition): void {
  const { className } = def;
  typegen.emitCustomType('ApiObjectMetadata', () => {});
  typegen.emitCustomType(className, (code) => {
    const propsSchema = propsStructSchema(def.schema);
    const propsTypeName = typegen.emitType(TypeGenerator.normalizeTypeName(`${className}Props`), propsSchema, className);
    const hasRequired = Array.isArray(propsSchema.required) && propsSchema.required.length > 0;
    const defaultProps = hasRequired ? '' : ' = {}';
    const apiVersion = def.group ? `${def.group}/${def.version}` : def.version;

    code.line('/**');
    code.line(` * ${def.kind} (${apiVersion})`);
    code.line(' *');
    code.line(` * @schema ${className}`);
    code.line(' */');
    code.openBlock(`export class ${className} extends ApiObject`);
    code.line('/**');
    code.line(` * Returns the apiVersion and kind for "${className}"`);
    code.line(' */');
    code.openBlock('public static readonly GVK: GroupVersionKind =');
    code.line(`apiVersion: '${apiVersion}',`);
    code.line(`kind: '${def.kind}',`);
    code.closeBlock();
    code.line('');
    code.line('/**');
    code.line(` * Renders a Kubernetes manifest for "${className}".`);
    code.line(' *');
    code.line(' * This can be used to inline resource manifests inside other objects (e.g. as templates).');
    code.line(' *');
    code.line(' * @param props initialization props');
    code.line(' */');
    code.openBlock(`public static manifest(props: ${propsTypeName}${defaultProps}): any`);
    code.open('return {');
    code.line(`...${className}.GVK,`);
    code.line(`...toJson_${propsTypeName}(props),`);
    code.close('};');
    code.closeBlock();
    code.line('');
    code.line('/**');
    code.line(` * Defines a "${className}" API object`);
    code.line(' * @param scope the scope in which to define this object');
    code.line(' * @param id a scope-local name for the object');
    code.line(' * @param props initialization props');
    code.line(' */');
    code.openBlock(`public constructor(scope: Construct, id: string, props: ${propsTypeName}${defaultProps})`);
    code.open('super(scope, id, {');
    code.line(`...${className}.GVK,`);
    code.line('...props,');
    code.close('});');
    code.closeBlock();
    code.line('');
    code.line('/**');
    code.line(' * Renders the object to Kubernetes JSON.');
    code.line(' */');
    code.openBlock('public override toJson(): any');
    code.line('const resolved = super.toJson();');
    code.line();
    code.open('return {');
    code.line(`...${className}.GVK,`);
    code.line(`...toJson_${propsTypeName}(resolved),`);
    code.close('};');
    code.closeBlock();
    code.closeBlock();
  });
}

/** The props struct: the object schema without apiVersion/kind/status, metadata typed as cdk8s `ApiObjectMetadata`. */
function propsStructSchema(schema: JSONSchema4): JSONSchema4 {
  const properties: Record<string, JSONSchema4> = { metadata: { $ref: '#/definitions/ApiObjectMetadata' } };
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    if (name === 'apiVersion' || name === 'kind' || name === 'status' || name === 'metadata') continue;
    properties[name] = prop;
  }
  const required = Array.isArray(schema.required)
    ? schema.required.filter((name) => name !== 'apiVersion' && name !== 'kind' && name !== 'status')
    : [];
  return { type: 'object', properties, required };
}
