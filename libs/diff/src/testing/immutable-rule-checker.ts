// TEST-LOCAL STAND-IN for `evaluateTransitionRules` of @flotilla/validate (which was not available when these
// tests were written). It reads a real upstream CRD and understands exactly one kind of transition rule, the
// `self == oldSelf` immutability rule ACK generates; every other rule is ignored. Do not use outside tests.
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { describeObject, joinFieldPath, type Finding, type KubeObject } from '@flotilla/model';
import { sameValue } from '../lib/field-diff';

interface Schema {
  properties?: Record<string, Schema>;
  'x-kubernetes-validations'?: { rule: string; message?: string }[];
}

/** Repository root (the folder holding nx.json), found by walking up from here. */
export function repoRoot(start = import.meta.dirname): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no nx.json above ${start}`);
  }
}

/** A checker over the given upstream CRD files (paths relative to `../shared/crds`). */
export function immutableRuleChecker(crdFiles: readonly string[]): (oldObject: KubeObject, newObject: KubeObject) => Finding[] {
  const crdsDir = path.resolve(repoRoot(), '../shared/crds');
  const rules = new Map<string, { path: string[]; message: string }[]>();
  for (const file of crdFiles) {
    const crd = parse(readFileSync(path.join(crdsDir, file), 'utf8')) as {
      spec: { group: string; names: { kind: string }; versions: { name: string; schema: { openAPIV3Schema: Schema } }[] };
    };
    for (const version of crd.spec.versions) {
      const found: { path: string[]; message: string }[] = [];
      collect(version.schema.openAPIV3Schema, [], found);
      rules.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, found);
    }
  }
  return (oldObject, newObject) => {
    const found = rules.get(`${newObject.apiVersion}/${newObject.kind}`) ?? [];
    const findings: Finding[] = [];
    for (const rule of found) {
      const before = valueAt(oldObject, rule.path);
      const after = valueAt(newObject, rule.path);
      // Transition rules only run when the field exists in both versions.
      if (before === undefined || after === undefined || sameValue(before, after)) continue;
      findings.push({
        severity: 'error',
        code: 'cel/transition-rule',
        object: describeObject(newObject),
        path: joinFieldPath(rule.path),
        message: rule.message,
      });
    }
    return findings;
  };
}

function collect(schema: Schema, at: string[], out: { path: string[]; message: string }[]): void {
  for (const validation of schema['x-kubernetes-validations'] ?? []) {
    if (validation.rule.replace(/\s+/g, '') === 'self==oldSelf') out.push({ path: at, message: validation.message ?? 'immutable' });
  }
  for (const [name, child] of Object.entries(schema.properties ?? {})) collect(child, [...at, name], out);
}

function valueAt(object: unknown, at: readonly string[]): unknown {
  let value = object;
  for (const segment of at) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
