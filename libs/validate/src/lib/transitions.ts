import { findingFor, type Finding, type KubeObject } from '@flotilla/model';
import { SchemaCatalog, type SchemaNode } from '@flotilla/schemas';
import { buildRuleTree, evaluateTransitions, type RuleNode } from './cel-rules';
import { applyDefaults, pruneNulls } from './defaults';

const trees = new Map<string, { tree?: RuleNode; schema: SchemaNode } | null>();

function ruleTree(apiVersion: string, kind: string): { tree?: RuleNode; schema: SchemaNode } | undefined {
  const key = `${apiVersion}/${kind}`;
  let entry = trees.get(key);
  if (entry === undefined) {
    const info = SchemaCatalog.load().find(apiVersion, kind);
    entry = info && info.family !== 'kubernetes' ? { tree: buildRuleTree(info.schema), schema: info.schema } : null;
    trees.set(key, entry);
  }
  return entry ?? undefined;
}

/** Rules of the form `self == oldSelf` (possibly guarded): the field may not change at all. */
function isImmutabilityRule(rule: string, message: string): boolean {
  return /\bself\s*==\s*oldSelf\b|\boldSelf\s*==\s*self\b/.test(rule) || /immutable/i.test(message);
}

/**
 * Evaluates the CRD transition rules (those using `oldSelf`) between the live/previous object and
 * the new one, as the API server does on update. Used by the diff guard to flag changes the API
 * server would reject. Built-in kinds and kinds without transition rules yield nothing.
 */
export function evaluateTransitionRules(oldObject: KubeObject, newObject: KubeObject): Finding[] {
  if (typeof newObject?.apiVersion !== 'string' || typeof newObject.kind !== 'string') return [];
  const entry = ruleTree(newObject.apiVersion, newObject.kind);
  if (!entry?.tree) return [];
  const violations = evaluateTransitions(entry.tree, applyDefaults(entry.schema, pruneNulls(oldObject)), applyDefaults(entry.schema, pruneNulls(newObject)));
  return violations.map((violation) => {
    const path = violation.path || '(object)';
    const immutable = isImmutabilityRule(violation.rule.rule, violation.message);
    return findingFor(
      { object: newObject },
      {
        severity: 'error',
        code: violation.evaluationError ? 'cel/transition-evaluation-error' : immutable ? 'cel/immutable-field' : 'cel/transition-rule',
        path: violation.path,
        message: immutable
          ? `field ${path} is immutable, the controller will reject this change: ${violation.message}`
          : `${violation.message}, the controller will reject this change`,
        fix: immutable
          ? `keep the old value, or replace the object (new name, or delete and recreate) to change ${path}`
          : `change the object so that the CRD rule holds: ${violation.rule.rule}`,
      },
    );
  });
}
