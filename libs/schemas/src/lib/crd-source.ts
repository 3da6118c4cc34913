import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** JSON Schema node as found in a CRD (OpenAPI v3 subset with `x-kubernetes-*` extensions). */
export type SchemaNode = { [keyword: string]: unknown };

export interface CrdVersionSource {
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  readonly deprecated: boolean;
  readonly schema: SchemaNode;
}

/** One `CustomResourceDefinition` read from a folder of upstream CRD files. */
export interface CrdSource {
  /** Path of the file relative to the CRD folder, with `/` separators. */
  readonly file: string;
  /** API family, see {@link familyOfGroup}. */
  readonly family: string;
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly versions: readonly CrdVersionSource[];
}

/** API group → family (the folder name under `libs/k8s-apis/src/` and the schema bundle name). */
const FAMILY_RULES: readonly [RegExp, string][] = [
  [/\.toolkit\.fluxcd\.io$/, 'flux'],
  [/(^|\.)external-secrets\.io$/, 'external-secrets'],
  [/^karpenter\.(sh|k8s\.aws)$/, 'karpenter'],
  [/\.gatekeeper\.sh$/, 'gatekeeper'],
  [/^services\.k8s\.aws$/, 'ack-common'],
  [/^([a-z0-9-]+)\.services\.k8s\.aws$/, 'ack-$1'],
  [/\.crossplane\.io$/, 'crossplane'],
  [/(^|\.)aws\.upbound\.io$/, 'crossplane-aws'],
  [/^secrets-store\.csi\.x-k8s\.io$/, 'secrets-store-csi'],
  [/\.konghq\.com$/, 'kong'],
  [/^gateway\.networking\.k8s\.io$/, 'gateway-api'],
  [/^config\.ratify\.deislabs\.io$/, 'ratify'],
];

/**
 * The family an API group belongs to, e.g. `karpenter.sh` → `karpenter`, `iam.services.k8s.aws` → `ack-iam`.
 * Groups outside the known families fall back to the group's first label (`cert-manager.io` → `cert-manager`).
 */
export function familyOfGroup(group: string): string {
  for (const [pattern, family] of FAMILY_RULES) {
    const match = pattern.exec(group);
    if (match) return family.replace('$1', match[1] ?? '');
  }
  return group.split('.')[0]!;
}

/** The parts of a CRD's spec the generators read. */
interface CrdSpec {
  group: string;
  scope?: string;
  names: { kind: string; plural: string };
  versions?: { name: unknown; served?: boolean; storage?: boolean; deprecated?: boolean; schema?: { openAPIV3Schema?: SchemaNode } }[];
}

function listYamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...listYamlFiles(full));
    else if (/\.ya?ml$/.test(entry)) out.push(full);
  }
  return out;
}

/**
 * Reads every `CustomResourceDefinition` in the YAML files under `dir` (recursively), sorted by
 * family, group and kind so generators produce the same output on every run.
 */
export function readCrdSources(dir: string): CrdSource[] {
  const sources: CrdSource[] = [];
  for (const path of listYamlFiles(dir)) {
    const file = relative(dir, path).split(sep).join('/');
    for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
      const crd = doc.toJSON() as { kind?: string; spec?: CrdSpec } | null;
      if (!crd || crd.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
      const spec = crd.spec;
      const versions: CrdVersionSource[] = (spec.versions ?? []).map((v) => ({
        name: String(v.name),
        served: v.served !== false,
        storage: v.storage === true,
        deprecated: v.deprecated === true,
        schema: (v.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as SchemaNode,
      }));
      sources.push({
        file,
        family: familyOfGroup(spec.group),
        group: spec.group,
        kind: spec.names.kind,
        plural: spec.names.plural,
        scope: spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced',
        versions,
      });
    }
  }
  return sources.sort(
    (a, b) => cmp(a.family, b.family) || cmp(a.group, b.group) || cmp(a.kind, b.kind) || cmp(a.file, b.file),
  );
}

/** Byte-wise string comparison (locale independent, so output does not depend on the machine). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Walks up from `start` to the folder holding `nx.json` (kept here for this library's callers). */
export { findRepoRoot } from '@flotilla/model';
