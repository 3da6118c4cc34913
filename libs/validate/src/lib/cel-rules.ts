import { CelCompileError, CelEvaluationError, compileCel, type CelProgram } from '@flotilla/cel';
import { joinFieldPath } from '@flotilla/model';
import type { SchemaNode } from '@flotilla/schemas';

/** One `x-kubernetes-validations` entry, compiled once. */
export interface CompiledRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly reason?: string;
  readonly fieldPath?: string;
  /** Transition rule: refers to `oldSelf`, so it only runs on updates. */
  readonly transition: boolean;
  readonly program?: CelProgram;
  readonly messageProgram?: CelProgram;
  /** Why the rule (or its messageExpression) does not compile; such rules are not evaluated. */
  readonly compileError?: string;
}

/** The schema nodes that carry rules, and the path down to them; everything else is pruned. */
export interface RuleNode {
  readonly rules: readonly CompiledRule[];
  readonly properties?: ReadonlyMap<string, RuleNode>;
  /** Rules under list items. */
  readonly items?: RuleNode;
  /** Rules under map values (`additionalProperties`). */
  readonly values?: RuleNode;
  /** `x-kubernetes-list-map-keys` of a `map` list: how items of old and new lists correlate. */
  readonly listMapKeys?: readonly string[];
}

const VARIABLES = ['self', 'oldSelf'] as const;
const OLD_SELF = /\boldSelf\b/;

function compileRule(entry: Record<string, unknown>): CompiledRule {
  const rule = String(entry.rule ?? '');
  const base = {
    rule,
    message: typeof entry.message === 'string' ? entry.message : undefined,
    messageExpression: typeof entry.messageExpression === 'string' ? entry.messageExpression : undefined,
    reason: typeof entry.reason === 'string' ? entry.reason : undefined,
    fieldPath: typeof entry.fieldPath === 'string' ? entry.fieldPath : undefined,
    transition: OLD_SELF.test(rule),
  };
  try {
    const program = compileCel(rule, { dialect: 'crd', variables: VARIABLES });
    let messageProgram: CelProgram | undefined;
    if (base.messageExpression) {
      try {
        messageProgram = compileCel(base.messageExpression, { dialect: 'crd', variables: VARIABLES });
      } catch (error) {
        // A broken messageExpression falls back to the static message, as the API server does at runtime.
        if (!(error instanceof CelCompileError)) throw error;
      }
    }
    return { ...base, program, messageProgram };
  } catch (error) {
    if (error instanceof CelCompileError) return { ...base, compileError: error.reason };
    return { ...base, compileError: error instanceof Error ? error.message : String(error) };
  }
}

/** Builds the pruned rule tree of a (compact, CRD) schema; undefined when it has no rules. */
export function buildRuleTree(schema: SchemaNode | undefined, collect?: (rule: CompiledRule) => void): RuleNode | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const rules: CompiledRule[] = [];
  const gather = (node: SchemaNode) => {
    const entries = node['x-kubernetes-validations'];
    for (const entry of Array.isArray(entries) ? (entries as Record<string, unknown>[]) : []) {
      if (!entry || typeof entry !== 'object') continue;
      const compiled = compileRule(entry);
      collect?.(compiled);
      rules.push(compiled);
    }
  };
  gather(schema);
  // Rules may also sit in allOf/anyOf/oneOf branches; they apply to the same value.
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const branches = schema[key];
    for (const branch of Array.isArray(branches) ? (branches as SchemaNode[]) : []) if (branch && typeof branch === 'object') gather(branch);
  }
  let properties: Map<string, RuleNode> | undefined;
  const children = schema.properties && typeof schema.properties === 'object' ? (schema.properties as Record<string, SchemaNode>) : {};
  for (const [name, child] of Object.entries(children)) {
    const node = buildRuleTree(child, collect);
    if (node) (properties ??= new Map()).set(name, node);
  }
  const items = buildRuleTree(schema.items as SchemaNode | undefined, collect);
  const values =
    typeof schema.additionalProperties === 'object' ? buildRuleTree(schema.additionalProperties as SchemaNode, collect) : undefined;
  if (rules.length === 0 && !properties && !items && !values) return undefined;
  const listMapKeys =
    schema['x-kubernetes-list-type'] === 'map' ? (schema['x-kubernetes-list-map-keys'] as string[] | undefined) : undefined;
  return { rules, properties, items, values, listMapKeys };
}

/** A rule that did not hold. */
export interface RuleViolation {
  readonly rule: CompiledRule;
  /** Field path of the node plus the rule's `fieldPath`, e.g. `spec.limits`. */
  readonly path: string;
  readonly message: string;
  /** The rule could not be evaluated (runtime error) rather than evaluating to false. */
  readonly evaluationError?: string;
}

function pathWithFieldPath(segments: readonly (string | number)[], fieldPath: string | undefined): string {
  const base = joinFieldPath(segments);
  if (!fieldPath) return base;
  const suffix = fieldPath.startsWith('.') || fieldPath.startsWith('[') ? fieldPath : `.${fieldPath}`;
  return base ? `${base}${suffix}` : suffix.replace(/^\./, '');
}

function messageFor(rule: CompiledRule, activation: Record<string, unknown>): string {
  if (rule.messageProgram) {
    try {
      const text = rule.messageProgram.evaluate(activation);
      if (typeof text === 'string' && text.trim() !== '') return text;
    } catch {
      // fall back to the static message
    }
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}

function evaluateAt(
  node: RuleNode,
  value: unknown,
  old: unknown,
  hasOld: boolean,
  segments: (string | number)[],
  mode: 'create' | 'transition',
  out: RuleViolation[],
): void {
  if (value === undefined) return;
  for (const rule of node.rules) {
    if (!rule.program) continue;
    if (mode === 'create' && rule.transition) continue;
    if (mode === 'transition' && (!rule.transition || !hasOld)) continue;
    const activation = { self: value, oldSelf: hasOld ? old : undefined };
    try {
      if (rule.program.evaluate(activation) !== true) {
        out.push({ rule, path: pathWithFieldPath(segments, rule.fieldPath), message: messageFor(rule, activation) });
      }
    } catch (error) {
      out.push({
        rule,
        path: pathWithFieldPath(segments, rule.fieldPath),
        message: messageFor(rule, activation),
        evaluationError: error instanceof CelEvaluationError ? error.reason : error instanceof Error ? error.message : String(error),
      });
    }
  }
  if (value === null || typeof value !== 'object') return;
  if (node.properties && !Array.isArray(value)) {
    for (const [name, child] of node.properties) {
      const oldChild = hasOld && old && typeof old === 'object' ? (old as Record<string, unknown>)[name] : undefined;
      segments.push(name);
      evaluateAt(child, (value as Record<string, unknown>)[name], oldChild, oldChild !== undefined, segments, mode, out);
      segments.pop();
    }
  }
  if (node.items && Array.isArray(value)) {
    const oldItems = hasOld && Array.isArray(old) && node.listMapKeys ? old : undefined;
    value.forEach((item, index) => {
      // Only `map` lists correlate old and new items (by their keys), as in the API server.
      const oldItem = oldItems?.find((candidate) => node.listMapKeys!.every((key) => sameKey(candidate, item, key)));
      segments.push(index);
      evaluateAt(node.items!, item, oldItem, oldItem !== undefined, segments, mode, out);
      segments.pop();
    });
  }
  if (node.values && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const oldItem = hasOld && old && typeof old === 'object' ? (old as Record<string, unknown>)[key] : undefined;
      segments.push(key);
      evaluateAt(node.values, item, oldItem, oldItem !== undefined, segments, mode, out);
      segments.pop();
    }
  }
}

function sameKey(a: unknown, b: unknown, key: string): boolean {
  const left = a && typeof a === 'object' ? (a as Record<string, unknown>)[key] : undefined;
  const right = b && typeof b === 'object' ? (b as Record<string, unknown>)[key] : undefined;
  return left === right;
}

/** Rules that apply when the object is created (every rule without `oldSelf`). */
export function evaluateCreateRules(tree: RuleNode, object: unknown): RuleViolation[] {
  const out: RuleViolation[] = [];
  evaluateAt(tree, object, undefined, false, [], 'create', out);
  return out;
}

/** Transition rules (with `oldSelf`) between the old and new object, where both values exist. */
export function evaluateTransitions(tree: RuleNode, oldObject: unknown, newObject: unknown): RuleViolation[] {
  const out: RuleViolation[] = [];
  evaluateAt(tree, newObject, oldObject, oldObject !== undefined, [], 'transition', out);
  return out;
}
