import { TypeGenerator } from 'json2jsii';
import type { JSONSchema4 } from 'json-schema';
import { cmp, type SchemaNode } from '@flotilla/schemas';
import { emitConstruct } from './emit-construct';

/** The Kubernetes version the `k8s` family is generated from. */
export const KUBERNETES_TYPES_VERSION = '1.35';

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** `io.k8s.api.apps.v1.DeploymentSpec` → namespace `io.k8s.api.apps`, version `v1`, basename `DeploymentSpec`. */
function parseTypeName(fullname: string): { namespace: string; version?: string; basename: string } {
  const parts = fullname.split('.');
  const basename = parts[parts.length - 1]!;
  const prebase = parts[parts.length - 2]!;
  const versioned = /^v\d+([a-z]+\d+)?$/.test(prebase);
  return { namespace: parts.slice(0, versioned ? -2 : -1).join('.'), version: versioned ? prebase : undefined, basename };
}

function pascal(word: string): string {
  return word
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

function versionSuffix(version: string | undefined): string {
  if (!version || version === 'v1') return '';
  return version.replace(/^v/, 'V').replace(/[a-z]+/g, (word) => word[0]!.toUpperCase() + word.slice(1));
}

/** Drops documentation (string `description`s) and patch hints; keeps everything json2jsii reads. */
function stripDocs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(stripDocs);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'description' && typeof value === 'string') continue;
    if (key.startsWith('x-kubernetes-patch') || key === 'x-kubernetes-list-map-keys' || key === 'x-kubernetes-list-type') continue;
    out[key] = stripDocs(value);
  }
  return out;
}

/**
 * Type names for every definition, as `cdk8s import k8s` names them (basename plus a version suffix
 * except for v1), made unique: when two API groups define the same name (core/v1 and
 * events.k8s.io/v1 `Event`), the API kind keeps it (else the core type) and the others get their group
 * as prefix (`EventsEvent`).
 */
export function kubernetesTypeNames(definitionNames: readonly string[], kinds: ReadonlySet<string> = new Set()): Map<string, string> {
  const candidates = new Map<string, string[]>();
  for (const name of definitionNames) {
    const parsed = parseTypeName(name);
    const base = TypeGenerator.normalizeTypeName(`${parsed.basename}${versionSuffix(parsed.version)}`);
    candidates.set(base, [...(candidates.get(base) ?? []), name]);
  }
  const names = new Map<string, string>();
  for (const [base, owners] of candidates) {
    const sorted = [...owners].sort(cmp);
    // The plain name goes to the one API kind among them, else to the core type, else the first.
    const kindOwners = sorted.filter((name) => kinds.has(name));
    const core = kindOwners.length === 1 ? kindOwners[0]! : (sorted.find((name) => name.startsWith('io.k8s.api.core.')) ?? sorted[0]!);
    for (const name of sorted) {
      const group = parseTypeName(name).namespace.split('.').pop()!;
      names.set(name, name === core || owners.length === 1 ? base : TypeGenerator.normalizeTypeName(`${pascal(group)}${base}`));
    }
  }
  return names;
}

/** One class per built-in kind (`KubeDeployment`, `KubeHorizontalPodAutoscalerV2`…), list kinds left out. */
export function generateKubernetesModule(definitions: Record<string, SchemaNode>): { content: string; classes: { className: string; apiVersion: string; kind: string }[] } {
  const cleaned = stripDocs(definitions) as Record<string, JSONSchema4>;
  const names = [...Object.keys(cleaned)].sort(cmp);
  const kinds = new Map<string, GroupVersionKind>();
  for (const fqn of names) {
    const def = cleaned[fqn]!;
    const gvk = (def['x-kubernetes-group-version-kind'] as GroupVersionKind[] | undefined)?.[0];
    // Manifest kinds only: API meta types (Status, DeleteOptions…) and lists are left out.
    if (!gvk || !def.properties?.metadata || gvk.kind.endsWith('List') || fqn.startsWith('io.k8s.apimachinery.')) continue;
    kinds.set(fqn, gvk);
  }
  const typeNames = kubernetesTypeNames(names, new Set(kinds.keys()));
  const objects = [...kinds].map(([fqn, gvk]) => ({ fqn, gvk, className: TypeGenerator.normalizeTypeName(`Kube${typeNames.get(fqn)!}`) }));
  const typegen = new TypeGenerator({ definitions: cleaned, renderTypeName: (def) => typeNames.get(def) ?? parseTypeName(def).basename });
  // References to a kind's definition (e.g. StatefulSet volumeClaimTemplates → PersistentVolumeClaim) use its props type.
  for (const o of objects) typegen.addDefinition(o.fqn, { $ref: `#/definitions/${TypeGenerator.normalizeTypeName(`${o.className}Props`)}` });
  for (const o of objects) {
    emitConstruct(typegen, { group: o.gvk.group, version: o.gvk.version, kind: o.gvk.kind, className: o.className, schema: cleaned[o.fqn]! });
  }
  return {
    content: typegen.render().trim(),
    classes: objects.map((o) => ({ className: o.className, apiVersion: o.gvk.group ? `${o.gvk.group}/${o.gvk.version}` : o.gvk.version, kind: o.gvk.kind })),
  };
}
