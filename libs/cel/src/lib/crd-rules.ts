import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';

/** One `x-kubernetes-validations` entry of a CRD schema. */
export interface CrdRule {
  /** File relative to the CRD directory. */
  readonly file: string;
  /** `Kind` of the CRD. */
  readonly kind: string;
  /** Served version the rule belongs to. */
  readonly version: string;
  /** Schema path of the node carrying the rule, e.g. `spec.template.spec` (`[*]` for list items). */
  readonly path: string;
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(entry.name)) out.push(path);
  }
  return out.sort();
}

/**
 * Every `x-kubernetes-validations` rule of every CRD (single-document YAML files) under `crdDir`,
 * in file order. Cheap enough to call from tests and tools: one YAML parse per file.
 */
export function listCrdRules(crdDir: string): CrdRule[] {
  const rules: CrdRule[] = [];
  for (const file of yamlFiles(crdDir)) {
    const crd = parse(readFileSync(file, 'utf8')) as { kind?: string; spec?: { names?: { kind?: string }; versions?: { name: string; schema?: { openAPIV3Schema?: unknown } }[] } } | null;
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    for (const version of crd.spec?.versions ?? []) {
      collect(version.schema?.openAPIV3Schema, '', (path, entry) =>
        rules.push({ file: relative(crdDir, file), kind: crd.spec?.names?.kind ?? '', version: version.name, path, ...entry }),
      );
    }
  }
  return rules;
}

type RuleEntry = { rule: string; message?: string; messageExpression?: string };

function collect(schema: unknown, path: string, emit: (path: string, entry: RuleEntry) => void): void {
  if (!schema || typeof schema !== 'object') return;
  const node = schema as Record<string, unknown>;
  for (const entry of (node['x-kubernetes-validations'] as RuleEntry[] | undefined) ?? []) {
    emit(path, { rule: entry.rule, ...(entry.message ? { message: entry.message } : {}), ...(entry.messageExpression ? { messageExpression: entry.messageExpression } : {}) });
  }
  for (const [name, child] of Object.entries((node.properties as Record<string, unknown>) ?? {})) collect(child, path ? `${path}.${name}` : name, emit);
  if (node.items) collect(node.items, `${path}[*]`, emit);
  if (node.additionalProperties && typeof node.additionalProperties === 'object') collect(node.additionalProperties, `${path}[*]`, emit);
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) for (const child of (node[key] as unknown[]) ?? []) collect(child, path, emit);
  if (node.not) collect(node.not, path, emit);
}
