import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRepoRoot } from '@flotilla/model';
import { CATALOG_PATH, loadCatalog, parseCatalog, serializeCatalog } from './catalog';

const referencePath = resolve(findRepoRoot(), 'libs/upstream/ec2/instance-types.json');

describe('the project catalog', () => {
  it('holds 1,336 instance types sorted by name, each labelled with its own name', () => {
    const { instanceTypes } = loadCatalog();
    expect(instanceTypes).toHaveLength(1336);
    const names = instanceTypes.map((type) => type.name);
    expect(names).toEqual([...names].sort());
    expect(instanceTypes.every((type) => type.labels['node.kubernetes.io/instance-type'] === type.name)).toBe(true);
  });

  it('names its provenance', () => {
    expect(loadCatalog().source).toMatchObject({ repository: 'aws/karpenter-provider-aws', tag: 'v1.14.1', generatedBy: 'nx run instance-types:import-reference' });
  });

  it('is reproducible byte for byte from its parsed form', () => {
    const text = readFileSync(CATALOG_PATH, 'utf8');
    expect(serializeCatalog(parseCatalog(text))).toBe(text);
  });

  it('is loaded once per process', () => {
    expect(loadCatalog()).toBe(loadCatalog());
  });

  it('has the same entries as the vendored Karpenter reference data it was imported from', () => {
    const reference = parseCatalog(readFileSync(referencePath, 'utf8'));
    expect(loadCatalog().instanceTypes).toEqual(reference.instanceTypes);
  });
});

describe('parseCatalog', () => {
  it('fails if the text is not JSON', () => {
    expect(() => parseCatalog('{', 'catalog.json')).toThrow(/^catalog\.json is not valid JSON: /);
  });

  it('fails if there is no instanceTypes object', () => {
    expect(() => parseCatalog('{"source":{}}', 'catalog.json')).toThrow('catalog.json has no "instanceTypes" object');
  });

  it('fails if an instance type has no labels', () => {
    expect(() => parseCatalog('{"instanceTypes":{"m7i.large":{"allocatable":{}}}}', 'catalog.json')).toThrow('catalog.json: instance type "m7i.large" has no "labels" object');
  });
});
