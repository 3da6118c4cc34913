import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { renderUnit } from '@flotilla/core';
import { findObject, fixtureCluster } from '@flotilla/core/testing';
import { APPCONFIG_SCHEMA_ANNOTATION, canonicalSchemaJson, type KubeObject, type RenderedObject } from '@flotilla/model';
import { checkAppConfigSchemas } from '@flotilla/validate';
import type { JSONSchemaType } from 'ajv';
import { bindingSchema, type AppConfigBindingSpec } from './binding-spec';
import { APPCONFIG_SYNC_UNIT, appconfigSync } from './platform-unit';
import { compileProfileSchema } from './profile-schema';

interface Settings {
  readonly message: string;
  readonly pageSize: number;
}
const SCHEMA: JSONSchemaType<Settings> = {
  type: 'object',
  properties: { message: { type: 'string', minLength: 1 }, pageSize: { type: 'integer', minimum: 1 } },
  required: ['message', 'pageSize'],
  additionalProperties: true,
};

const spec: AppConfigBindingSpec = {
  name: 'shop',
  team: { name: 'team-a', namespace: 'team-a', costCenter: 'cc-1001' },
  application: 'shop',
  environment: 'prod',
  profile: 'settings',
  schema: SCHEMA,
  ids: { applicationId: 'ba8toh7', environmentId: 'pgil2o7', configurationProfileId: 'ga3tqep' },
};
const prod = fixtureCluster('prod', [], { environment: 'prod', artifacts: { bucket: 'flotilla-artifacts' } });
const render = (bindings: AppConfigBindingSpec[] = [spec]) => renderUnit(appconfigSync({ bindings }).find((u) => u.name === APPCONFIG_SYNC_UNIT)!, prod);
const specOf = (o: KubeObject): any => (o as { spec?: unknown }).spec;

describe('profile JSON Schemas', () => {
  it('names the secret by the SHA-256 of the canonical JSON, whatever the key order', () => {
    const compiled = compileProfileSchema('here', 'shop', 'settings', SCHEMA);
    const reordered = compileProfileSchema('here', 'shop', 'settings', { required: SCHEMA.required, additionalProperties: true, properties: SCHEMA.properties, type: 'object' });
    expect(reordered).toEqual(compiled);
    const hex = createHash('sha256').update(compiled.canonicalJson).digest('hex');
    expect(compiled.secretName).toBe(`flotilla/appconfig/shop/settings/schema-${hex.slice(0, 16)}`);
    expect(JSON.parse(compiled.canonicalJson)).toEqual(SCHEMA);
    expect(compileProfileSchema('here', 'shop', 'settings', { ...SCHEMA, required: ['message'] }).secretName).not.toBe(compiled.secretName);
  });

  it('rejects what ajv cannot compile, unknown keywords (strict) and $schema, naming the binding', () => {
    expect(() => bindingSchema({ ...spec, schema: { type: 'objekt' } })).toThrow(/appconfig binding 'team-a\/shop': 'schema' is not a valid JSON Schema: .*type/);
    expect(() => bindingSchema({ ...spec, schema: { type: 'object', propertees: {} } })).toThrow(/'schema' is not a valid JSON Schema: strict mode: unknown keyword: "propertees"/);
    expect(() => bindingSchema({ ...spec, schema: { $schema: 'http://json-schema.org/draft-04/schema#', type: 'object' } })).toThrow(/sets '\$schema'/);
    expect(() => bindingSchema({ ...spec, schema: { type: 'string', enum: ['x'.repeat(40000)] } })).toThrow(/AppConfig allows 32768 per validator/);
  });

  it('requires a schema on freeform profiles and refuses one on feature-flag profiles', () => {
    expect(() => render([{ ...spec, schema: undefined }])).toThrow(/'schema' is missing; a freeform profile needs the JSON Schema/);
    expect(() => render([{ ...spec, profileType: 'AWS.AppConfig.FeatureFlags' }])).toThrow(/a feature-flag profile takes no 'schema'/);
    const flags = render([{ ...spec, schema: undefined, profileType: 'AWS.AppConfig.FeatureFlags' }]);
    expect(specOf(findObject(flags, 'ConfigurationProfile', 'team-a-shop')).forProvider).not.toHaveProperty('validator');
    expect(flags.filter((o) => o.kind === 'ExternalSecret')).toEqual([]);
  });

  it('renders the validator from a Secret that External Secrets fills from the content-addressed secret, with no Secret data', () => {
    const objects = render();
    const compiled = bindingSchema(spec)!;
    const externalSecret = findObject(objects, 'ExternalSecret', 'team-a-shop-appconfig-schema');
    expect(externalSecret.metadata?.namespace).toBe('crossplane-system');
    expect(externalSecret.metadata?.annotations).toEqual({ [APPCONFIG_SCHEMA_ANNOTATION]: canonicalSchemaJson(SCHEMA) });
    expect(specOf(externalSecret)).toEqual({
      data: [{ secretKey: 'schema.json', remoteRef: { key: compiled.secretName } }],
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: 'platform-secrets' },
      target: { name: 'team-a-shop-appconfig-schema', creationPolicy: 'Owner' },
    });
    expect(specOf(findObject(objects, 'ConfigurationProfile', 'team-a-shop')).forProvider.validator).toEqual([
      { type: 'JSON_SCHEMA', contentSecretRef: { name: 'team-a-shop-appconfig-schema', namespace: 'crossplane-system', key: 'schema.json' } },
    ]);
    expect(objects.filter((o) => o.kind === 'Secret' && o.apiVersion === 'v1')).toEqual([]);
  });

  describe('flotilla validate (checkAppConfigSchemas) on the real render', () => {
    const asRendered = (objects: KubeObject[], cluster = 'prod'): RenderedObject[] => objects.map((object, index) => ({ file: `appconfig-sync-platform/${index}`, index, object, cluster }));
    const edit = (objects: KubeObject[], kind: string, change: (o: any) => void): KubeObject[] =>
      objects.map((o) => {
        if (o.kind !== kind) return o;
        const copy = structuredClone(o);
        change(copy);
        return copy;
      });

    it('passes the render, and a feature-flag profile without validator', () => {
      expect(checkAppConfigSchemas(asRendered(render()))).toEqual([]);
      expect(checkAppConfigSchemas(asRendered(render([{ ...spec, schema: undefined, profileType: 'AWS.AppConfig.FeatureFlags' }])))).toEqual([]);
    });

    it('fails a remote key that is not the name of the carried schema (stale), with the fix', () => {
      const stale = edit(render(), 'ExternalSecret', (o) => (o.metadata.annotations[APPCONFIG_SCHEMA_ANNOTATION] = canonicalSchemaJson({ ...SCHEMA, required: ['message'] })));
      const findings = checkAppConfigSchemas(asRendered(stale));
      expect(findings.map((f) => [f.code, f.object])).toEqual([
        ['appconfig/stale-schema', 'ExternalSecret crossplane-system/team-a-shop-appconfig-schema'],
        // the profile's Secret is then not a verified schema either
        ['appconfig/missing-validator', 'ConfigurationProfile team-a-shop'],
      ]);
      expect(findings[0]!.message).toMatch(/is not the content-addressed name of the schema this object carries \('flotilla\/appconfig\/shop\/settings\/schema-[0-9a-f]{16}'\)/);
      expect(findings[0]!.fix).toMatch(/npm run synth.*flotilla ci-settings appconfig-schemas/);
    });

    it('fails a freeform profile without a JSON_SCHEMA validator, or one pointing elsewhere, and a feature-flag profile with one', () => {
      const missing = edit(render(), 'ConfigurationProfile', (o) => delete o.spec.forProvider.validator);
      expect(checkAppConfigSchemas(asRendered(missing))).toMatchObject([{ code: 'appconfig/missing-validator', path: 'spec.forProvider.validator', message: expect.stringMatching(/freeform profile 'settings' has no JSON_SCHEMA validator/) }]);
      const elsewhere = edit(render(), 'ConfigurationProfile', (o) => (o.spec.forProvider.validator[0].contentSecretRef.namespace = 'team-a'));
      expect(checkAppConfigSchemas(asRendered(elsewhere))).toMatchObject([{ code: 'appconfig/missing-validator', message: expect.stringMatching(/contentSecretRef is not the Secret of a schema ExternalSecret/) }]);
      // the ExternalSecret of another cluster does not count
      const profile = render().filter((o) => o.kind === 'ConfigurationProfile');
      const schemaOnly = render().filter((o) => o.kind === 'ExternalSecret');
      expect(checkAppConfigSchemas([...asRendered(profile, 'prod'), ...asRendered(schemaOnly, 'dev')]).map((f) => f.code)).toEqual(['appconfig/missing-validator']);
      const flags = edit(render(), 'ConfigurationProfile', (o) => (o.spec.forProvider.type = 'AWS.AppConfig.FeatureFlags'));
      expect(checkAppConfigSchemas(asRendered(flags)).map((f) => f.code)).toEqual(['appconfig/feature-flag-schema']);
    });

    it('fails a schema annotation ajv cannot compile', () => {
      const broken = edit(render(), 'ExternalSecret', (o) => (o.metadata.annotations[APPCONFIG_SCHEMA_ANNOTATION] = '{"type":"objekt"}'));
      expect(checkAppConfigSchemas(asRendered(broken)).map((f) => f.code)).toEqual(['appconfig/invalid-schema', 'appconfig/missing-validator']);
    });
  });
});
