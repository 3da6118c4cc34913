import Ajv from 'ajv';
import {
  APPCONFIG_SCHEMA_ANNOTATION,
  APPCONFIG_SCHEMA_PREFIX,
  appconfigSchemaSecretName,
  canonicalSchemaJson,
  findingFor,
  type Finding,
  type RenderedObject,
} from '@flotilla/model';

const APPCONFIG_GROUP = 'appconfig.aws.upbound.io';
const ESO_GROUP = 'external-secrets.io';
const FEATURE_FLAGS = 'AWS.AppConfig.FeatureFlags';
/** `flotilla/appconfig/<application>/<profile>/schema-<16 hex>`. */
const SCHEMA_KEY = new RegExp(`^${APPCONFIG_SCHEMA_PREFIX.replace(/\//g, '\\/')}([A-Za-z0-9._-]{1,64})\\/([A-Za-z0-9._-]{1,64})\\/schema-[0-9a-f]{16}$`);

interface Validator {
  readonly type?: unknown;
  readonly contentSecretRef?: { readonly name?: unknown; readonly namespace?: unknown; readonly key?: unknown };
}
interface EsoData {
  readonly secretKey?: unknown;
  readonly remoteRef?: { readonly key?: unknown };
}

/**
 * AppConfig profile validators as code:
 * - every schema ExternalSecret (annotated `flotilla.dev/appconfig-schema`) pulls the content-addressed secret of
 *   exactly the schema it carries: its remote key is the name derived from the annotation's canonical JSON, so a
 *   schema edited without re-rendering, or a key edited by hand, is an error; the annotation compiles with ajv;
 * - every Crossplane ConfigurationProfile of type `AWS.Freeform` (the default) has a `JSON_SCHEMA` validator whose
 *   `contentSecretRef` is the Secret of such an ExternalSecret in its cluster (name, namespace and key);
 * - a feature-flag profile has none: AppConfig validates flags against its own schema and takes JSON Schema
 *   validators on freeform profiles only.
 */
export function checkAppConfigSchemas(objects: readonly RenderedObject[]): Finding[] {
  const findings: Finding[] = [];
  // `<cluster>/<namespace>/<target Secret>/<key>` of every schema ExternalSecret whose key matches its schema.
  const provided = new Set<string>();
  const ajv = new Ajv({ strict: true, allErrors: true });
  for (const rendered of objects) {
    const { object } = rendered;
    if (object.kind !== 'ExternalSecret' || object.apiVersion.split('/')[0] !== ESO_GROUP) continue;
    const annotation = object.metadata.annotations?.[APPCONFIG_SCHEMA_ANNOTATION];
    if (annotation === undefined) continue;
    const path = `metadata.annotations.${APPCONFIG_SCHEMA_ANNOTATION}`;
    const rerender = `re-render with 'npm run synth' (the schema is the app's typed constant in its AppConfigBindingSpec) and commit clusters/`;
    let schema: unknown;
    try {
      schema = JSON.parse(annotation);
      ajv.compile(schema as object);
    } catch (error) {
      findings.push(findingFor(rendered, { severity: 'error', code: 'appconfig/invalid-schema', path, message: `the profile schema is not a JSON Schema ajv compiles: ${(error as Error).message}`, fix: rerender }));
      continue;
    }
    const spec = object.spec as { data?: readonly EsoData[]; target?: { name?: unknown } } | undefined;
    const data = spec?.data ?? [];
    const entry = data.length === 1 ? data[0] : undefined;
    const key = entry?.remoteRef?.key;
    const match = typeof key === 'string' ? SCHEMA_KEY.exec(key) : null;
    if (!entry || !match) {
      findings.push(
        findingFor(rendered, {
          severity: 'error',
          code: 'appconfig/stale-schema',
          path: 'spec.data',
          message: `a schema ExternalSecret reads exactly one remote key of the form '${APPCONFIG_SCHEMA_PREFIX}<application>/<profile>/schema-<16 hex>', got ${JSON.stringify(data.map((d) => d.remoteRef?.key))}`,
          fix: rerender,
        }),
      );
      continue;
    }
    const expected = appconfigSchemaSecretName(match[1]!, match[2]!, canonicalSchemaJson(schema));
    if (key !== expected || annotation !== canonicalSchemaJson(schema)) {
      findings.push(
        findingFor(rendered, {
          severity: 'error',
          code: 'appconfig/stale-schema',
          path: 'spec.data[0].remoteRef.key',
          message: `remote key '${String(key)}' is not the content-addressed name of the schema this object carries ('${expected}'), so AppConfig would validate with another schema than the committed one`,
          fix: `${rerender}; the artifacts workflow creates '${expected}' before the pull request merges (flotilla ci-settings appconfig-schemas)`,
        }),
      );
      continue;
    }
    const target = typeof spec?.target?.name === 'string' ? spec.target.name : object.metadata.name;
    provided.add(`${rendered.cluster}/${object.metadata.namespace ?? 'default'}/${target}/${String(entry.secretKey)}`);
  }
  for (const rendered of objects) {
    const { object } = rendered;
    if (object.kind !== 'ConfigurationProfile' || object.apiVersion.split('/')[0] !== APPCONFIG_GROUP) continue;
    const forProvider = (object.spec as { forProvider?: { type?: unknown; validator?: readonly Validator[] } } | undefined)?.forProvider;
    const validators = (forProvider?.validator ?? []).filter((v) => v.type === 'JSON_SCHEMA');
    if (forProvider?.type === FEATURE_FLAGS) {
      if (validators.length > 0) {
        findings.push(
          findingFor(rendered, {
            severity: 'error',
            code: 'appconfig/feature-flag-schema',
            path: 'spec.forProvider.validator',
            message: `a feature-flag profile has a JSON_SCHEMA validator; AppConfig validates flags against its own schema and takes JSON Schema validators on freeform profiles only`,
            fix: `remove 'schema' from the binding`,
          }),
        );
      }
      continue;
    }
    const ok = validators.some((v) => {
      const ref = v.contentSecretRef;
      return provided.has(`${rendered.cluster}/${String(ref?.namespace)}/${String(ref?.name)}/${String(ref?.key)}`);
    });
    if (!ok) {
      findings.push(
        findingFor(rendered, {
          severity: 'error',
          code: 'appconfig/missing-validator',
          path: 'spec.forProvider.validator',
          message:
            validators.length === 0
              ? `freeform profile '${String((forProvider as { name?: unknown } | undefined)?.name)}' has no JSON_SCHEMA validator, so AppConfig deploys any configuration an editor writes`
              : `the JSON_SCHEMA validator's contentSecretRef is not the Secret of a schema ExternalSecret (annotated ${APPCONFIG_SCHEMA_ANNOTATION}) of this cluster`,
          fix: `give the binding its app's typed 'schema' (AppConfigBindingSpec.schema), re-render with 'npm run synth' and commit clusters/`,
        }),
      );
    }
  }
  return findings;
}
