import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadPolicyLibrary } from './library';
import { celTemplate, workspacePoliciesDir } from '../testing';
import { stringify } from 'yaml';


const policiesDir = workspacePoliciesDir;
const policyDirs = readdirSync(policiesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .flatMap((category) => readdirSync(join(policiesDir, category.name), { withFileTypes: true }).filter((e) => e.isDirectory()).map((p) => `${category.name}/${p.name}`));

describe('policies/ layout (gatekeeper-library conventions)', () => {
  it('loads every template', () => {
    expect(loadPolicyLibrary(policiesDir).templates.map((t) => t.metadata.name)).toHaveLength(policyDirs.length);
    expect(policyDirs.length).toBe(16);
  });

  it.each(policyDirs)('%s has a template with title, version and description, a kustomization, a non-empty suite and samples', (policy) => {
    const dir = join(policiesDir, policy);
    const template = parse(readFileSync(join(dir, 'template.yaml'), 'utf8'));
    expect(template.apiVersion).toBe('templates.gatekeeper.sh/v1');
    expect(template.metadata.annotations['metadata.gatekeeper.sh/title']).toMatch(/\S/);
    expect(template.metadata.annotations['metadata.gatekeeper.sh/version']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(template.metadata.annotations.description).toMatch(/\S/);
    expect(template.spec.crd.spec.names.kind).toMatch(/^Flotilla[A-Z]/);
    expect(template.spec.crd.spec.validation.openAPIV3Schema.type).toBe('object');
    expect(parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'))).toEqual({ resources: ['template.yaml'] });
    const suite = parse(readFileSync(join(dir, 'suite.yaml'), 'utf8'));
    expect(suite.kind).toBe('Suite');
    expect(suite.tests.length).toBeGreaterThan(0);
    expect(suite.tests.every((t: { template: string }) => t.template === 'template.yaml')).toBe(true);
    const cases = suite.tests.flatMap((t: { cases?: { object: string }[] }) => t.cases ?? []);
    expect(cases.some((c: { object: string }) => /example_allowed/.test(c.object))).toBe(true);
    expect(cases.some((c: { object: string }) => /example_disallowed/.test(c.object))).toBe(true);
    expect(existsSync(join(dir, 'samples'))).toBe(true);
  });

  it('fails if two templates define the same kind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flotilla-library-'));
    try {
      for (const name of ['a', 'b']) {
        mkdirSync(join(dir, 'general', name), { recursive: true });
        writeFileSync(join(dir, 'general', name, 'template.yaml'), stringify(celTemplate('TestDup', { validations: [{ expression: 'true' }] })));
      }
      expect(() => loadPolicyLibrary(dir)).toThrow(/kind TestDup is already defined by/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
