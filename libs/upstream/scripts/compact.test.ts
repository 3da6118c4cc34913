import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { findRepoRoot } from '@flotilla/model';
import { compactCrd, compactDefinitions, compactValuesDefaults, compactValuesSchema, stripDescriptions } from './compact';

const upstreamDir = join(findRepoRoot(__dirname), 'libs/upstream');

describe('stripDescriptions', () => {
  it('removes schema descriptions at every depth and keeps data that happens to say "description"', () => {
    // GIVEN a schema with descriptions on nodes, a property named description and a default holding one
    const schema = {
      description: 'root',
      type: 'object',
      properties: {
        description: { type: 'string', description: 'the field called description' },
        list: { type: 'array', items: { description: 'item', type: 'string' } },
        either: { anyOf: [{ description: 'a', type: 'integer' }, { type: 'string' }] },
        settings: { type: 'object', default: { description: 'kept: a default value' }, additionalProperties: { description: 'x', type: 'string' } },
      },
      'x-kubernetes-validations': [{ rule: 'self.list.size() < 3', message: 'too many' }],
    };
    // THEN only the documentation is gone
    expect(stripDescriptions(schema)).toEqual({
      type: 'object',
      properties: {
        description: { type: 'string' },
        list: { type: 'array', items: { type: 'string' } },
        either: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
        settings: { type: 'object', default: { description: 'kept: a default value' }, additionalProperties: { type: 'string' } },
      },
      'x-kubernetes-validations': [{ rule: 'self.list.size() < 3', message: 'too many' }],
    });
  });
});

describe('compactCrd', () => {
  const nodePools = readFileSync(join(upstreamDir, 'crds/karpenter/karpenter.sh_nodepools.yaml'), 'utf8');

  it('is a fixed point on the vendored copies: compacting a compact CRD changes no byte', () => {
    expect(compactCrd(nodePools, 'karpenter.sh_nodepools.yaml')).toBe(nodePools);
  });

  it('keeps CEL rules, patterns and defaults, and drops every description', () => {
    const crd = parse(nodePools);
    const schema = crd.spec.versions[0].schema.openAPIV3Schema;
    expect(JSON.stringify(schema)).not.toContain('"description"');
    expect(JSON.stringify(schema)).toContain('x-kubernetes-validations');
    const withDocs = { ...crd, spec: { ...crd.spec, versions: [{ ...crd.spec.versions[0], schema: { openAPIV3Schema: { ...schema, description: 'NodePool is…' } } }] } };
    expect(parse(compactCrd(JSON.stringify(withDocs), 'x.yaml'))).toEqual(crd);
  });

  it('refuses a file that is not exactly one CustomResourceDefinition', () => {
    expect(() => compactCrd(`${nodePools}---\n${nodePools}`, 'two.yaml')).toThrow('two.yaml: expected exactly one YAML document (one CustomResourceDefinition), found 2');
    expect(() => compactCrd('apiVersion: v1\nkind: ConfigMap\n', 'cm.yaml')).toThrow('cm.yaml: expected an apiextensions.k8s.io/v1 CustomResourceDefinition, found v1 ConfigMap');
  });
});

describe('compactDefinitions', () => {
  it('is a fixed point on the vendored Kubernetes 1.34 definitions', () => {
    const text = readFileSync(join(upstreamDir, 'kubernetes/v1.34.0/_definitions.json'), 'utf8');
    expect(compactDefinitions(text, '_definitions.json')).toBe(text);
    expect(Object.keys(JSON.parse(text).definitions).length).toBeGreaterThan(700);
  });

  it('refuses JSON without a definitions map', () => {
    expect(() => compactDefinitions('{"paths":{}}', 'swagger.json')).toThrow('swagger.json: expected an object with a "definitions" map');
    expect(() => compactDefinitions('{', 'broken.json')).toThrow(/^broken\.json is not valid JSON/);
  });
});

describe('chart values compaction', () => {
  it('strips descriptions from a values schema, also under if/then and $defs, and keeps everything else', () => {
    // GIVEN a draft-07 chart schema with descriptions in conditional and definition branches
    const upstream = JSON.stringify({
      $schema: 'https://json-schema.org/draft-07/schema#',
      description: 'Values',
      properties: {
        mode: { type: 'string', enum: ['a', 'b'], description: 'the mode' },
        nested: { allOf: [{ if: { properties: { mode: { const: 'a', description: 'x' } } }, then: { required: ['extra'], description: 'y' } }] },
      },
      $defs: { port: { type: 'integer', description: 'a port' } },
    });
    // WHEN compacting THEN only the descriptions are gone, as two-space JSON
    expect(JSON.parse(compactValuesSchema(upstream, 'values.schema.json'))).toEqual({
      $schema: 'https://json-schema.org/draft-07/schema#',
      properties: {
        mode: { type: 'string', enum: ['a', 'b'] },
        nested: { allOf: [{ if: { properties: { mode: { const: 'a' } } }, then: { required: ['extra'] } }] },
      },
      $defs: { port: { type: 'integer' } },
    });
    expect(() => compactValuesSchema('[]', 'values.schema.json')).toThrow('values.schema.json: expected a JSON Schema object');
  });

  it('turns values.yaml into the same data as JSON, without the comments', () => {
    const text = '# -- replicas of the controller\nreplicaCount: 1\nimage:\n  # the tag\n  tag: ""\nextraArgs: {}\n';
    expect(compactValuesDefaults(text, 'values.yaml')).toBe('{\n  "replicaCount": 1,\n  "image": {\n    "tag": ""\n  },\n  "extraArgs": {}\n}\n');
    expect(() => compactValuesDefaults('- a\n', 'values.yaml')).toThrow('values.yaml: expected a map of values at the top level');
  });
});
