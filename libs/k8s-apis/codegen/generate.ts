/**
 * Generates the typed L1 constructs in `libs/k8s-apis/src/<family>/` from upstream CRDs.
 *
 *   nx run k8s-apis:generate                       # reads libs/upstream/crds and libs/upstream/kubernetes
 *   nx run k8s-apis:generate --args="--crds <dir>" # reads newer upstream files
 *   tsx libs/k8s-apis/codegen/generate.ts [--crds <dir>] [--kubernetes <dir>] [--out <dir>]
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { TypeGenerator } from 'json2jsii';
import type { JSONSchema4 } from 'json-schema';
import { cmp, findRepoRoot, readChartValues, readCrdSources, type CrdSource, type HelmValuesEntry, type SchemaNode } from '@flotilla/schemas';
import { emitConstruct } from './emit-construct';
import { helmValuesModules } from './helm-values';
import { generateKubernetesModule, KUBERNETES_TYPES_VERSION } from './kubernetes';

export const REGENERATE_COMMAND = 'nx run k8s-apis:generate';

export interface GeneratedFile {
  /** Path relative to the output folder, e.g. `karpenter/karpenter.sh_nodepools.ts`. */
  readonly path: string;
  readonly content: string;
}

export interface GeneratedClass {
  readonly family: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly className: string;
  readonly storage: boolean;
}

/** Version suffix for non-storage versions: `v1beta1` → `V1Beta1`. */
export function versionSuffix(version: string): string {
  return version.replace(/^v/, 'V').replace(/[a-z]+/g, (word) => word[0]!.toUpperCase() + word.slice(1));
}

function pascal(word: string): string {
  return word
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** Versions that get a class: the storage version, plus every served, non-deprecated one. */
export function generatedVersions(crd: CrdSource) {
  return crd.versions
    .filter((v) => v.storage || (v.served && !v.deprecated))
    .sort((a, b) => (a.storage === b.storage ? cmp(a.name, b.name) : a.storage ? -1 : 1));
}

const KEPT_KEYWORDS = new Set([
  'type',
  'format',
  'enum',
  'required',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
]);

/**
 * Reduces a CRD schema node to what the type generator needs: types, properties, required,
 * items, maps and enums. Descriptions and validation-only keywords are dropped.
 */
export function cleanForTypes(node: SchemaNode): JSONSchema4 {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(node).sort()) {
    const value = node[key];
    if (KEPT_KEYWORDS.has(key)) out[key] = value;
  }
  if (Array.isArray(out.enum)) {
    const values = (out.enum as unknown[]).filter((v) => typeof v === 'string' || typeof v === 'number');
    // json2jsii only emits string/number enums; anything else stays a plain type.
    if (values.length === 0 || values.length !== (out.enum as unknown[]).length || (out.type && out.type !== 'string' && out.type !== 'number' && out.type !== 'integer')) delete out.enum;
    else out.enum = values;
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (node.properties && typeof node.properties === 'object') {
    const properties: Record<string, JSONSchema4> = {};
    for (const name of Object.keys(node.properties).sort()) {
      properties[name] = cleanForTypes((node.properties as Record<string, SchemaNode>)[name]!);
    }
    out.properties = properties;
  }
  if (node.items && typeof node.items === 'object' && !Array.isArray(node.items)) {
    out.items = cleanForTypes(node.items as SchemaNode);
  }
  if (node.additionalProperties !== undefined) {
    out.additionalProperties =
      typeof node.additionalProperties === 'object' ? cleanForTypes(node.additionalProperties as SchemaNode) : node.additionalProperties;
  }
  if (Array.isArray(out.required)) {
    const props = (out.properties ?? {}) as Record<string, unknown>;
    out.required = [...new Set((out.required as string[]).filter((name) => name in props))].sort();
    if ((out.required as string[]).length === 0) delete out.required;
  }
  return out as JSONSchema4;
}

function isCurrent(crd: CrdSource): boolean {
  return crd.versions.some((v) => v.storage && !v.deprecated);
}

/**
 * A kind declared by several groups of one family keeps its plain name only in the one group whose
 * storage version is not deprecated (crossplane `protection.crossplane.io` Usage); the others are prefixed.
 */
function needsGroupPrefix(crd: CrdSource, crds: readonly CrdSource[], groups: Map<string, Set<string>>): boolean {
  if (groups.get(`${crd.family}/${crd.kind}`)!.size < 2) return false;
  const current = crds.filter((c) => c.family === crd.family && c.kind === crd.kind && isCurrent(c));
  return !(current.length === 1 && current[0] === crd);
}

/** Plans class names: storage version unsuffixed, kinds shared by two groups of a family prefixed by group. */
export function planClasses(crds: readonly CrdSource[]): Map<CrdSource, GeneratedClass[]> {
  const groupsByFamilyKind = new Map<string, Set<string>>();
  for (const crd of crds) {
    const key = `${crd.family}/${crd.kind}`;
    if (!groupsByFamilyKind.has(key)) groupsByFamilyKind.set(key, new Set());
    groupsByFamilyKind.get(key)!.add(crd.group);
  }
  const plan = new Map<CrdSource, GeneratedClass[]>();
  for (const crd of crds) {
    const prefix = needsGroupPrefix(crd, crds, groupsByFamilyKind) ? pascal(crd.group.split('.')[0]!) : '';
    plan.set(
      crd,
      generatedVersions(crd).map((v) => ({
        family: crd.family,
        group: crd.group,
        version: v.name,
        kind: crd.kind,
        className: TypeGenerator.normalizeTypeName(`${prefix}${crd.kind}${v.storage ? '' : versionSuffix(v.name)}`),
        storage: v.storage,
      })),
    );
  }
  return plan;
}

function header(family: string, what: string): string {
  return [
    `// Generated by \`${REGENERATE_COMMAND}\` from the ${family} CRDs (${what}). Do not edit.`,
    '/* eslint-disable */',
    '',
  ].join('\n');
}

/** Reads the Kubernetes definitions the `k8s` family is generated from, when the CRD folder has them. */
export function readKubernetesDefinitions(kubernetesDir: string): Record<string, SchemaNode> | undefined {
  const path = join(kubernetesDir, `v${KUBERNETES_TYPES_VERSION}.0`, '_definitions.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { definitions: Record<string, SchemaNode> }).definitions : undefined;
}

/**
 * Renders all files for all families (plus `k8s` when the Kubernetes definitions are given); a pure
 * function of its input, so output is reproducible.
 */
export function generate(
  crds: readonly CrdSource[],
  kubernetes?: Record<string, SchemaNode>,
  charts: readonly HelmValuesEntry[] = [],
): { files: GeneratedFile[]; classes: GeneratedClass[] } {
  const plan = planClasses(crds);
  const files: GeneratedFile[] = [];
  const classes: GeneratedClass[] = [];
  const families = [...new Set(crds.map((crd) => crd.family))].sort(cmp);
  for (const family of families) {
    const modules: { module: string; exported: string[] }[] = [];
    const exportedBy = new Map<string, string>();
    for (const crd of crds.filter((c) => c.family === family)) {
      const module = `${crd.group}_${crd.plural}`;
      const parts: string[] = [];
      for (const cls of plan.get(crd)!) {
        const version = crd.versions.find((v) => v.name === cls.version)!;
        const types = new TypeGenerator({});
        emitConstruct(types, {
          group: crd.group,
          version: cls.version,
          kind: crd.kind,
          className: cls.className,
          schema: cleanForTypes(version.schema),
        });
        parts.push(types.render());
        classes.push(cls);
      }
      const content = [
        header(family, `${crd.group} ${crd.kind}`),
        "import { ApiObject, ApiObjectMetadata, GroupVersionKind } from 'cdk8s';",
        "import { Construct } from 'constructs';",
        '',
        parts.join('\n').trim(),
        '',
      ].join('\n');
      const exported = [...content.matchAll(/^export (?:class|interface|enum|function|const|type) (\w+)/gm)].map((m) => m[1]!);
      for (const name of exported) {
        const previous = exportedBy.get(name);
        if (previous) throw new Error(`${family}: ${name} is generated by both ${previous} and ${module}; rename one kind`);
        exportedBy.set(name, module);
      }
      modules.push({ module, exported });
      files.push({ path: `${family}/${module}.ts`, content });
    }
    const index = [header(family, 'index'), ...modules.map((m) => `export * from './${m.module}';`), ''].join('\n');
    files.push({ path: `${family}/index.ts`, content: index });
  }
  if (kubernetes) {
    const module = generateKubernetesModule(kubernetes);
    const content = [
      header('k8s', `Kubernetes ${KUBERNETES_TYPES_VERSION} built-in kinds`),
      "import { ApiObject, ApiObjectMetadata, GroupVersionKind } from 'cdk8s';",
      "import { Construct } from 'constructs';",
      '',
      module.content,
      '',
    ].join('\n');
    files.push({ path: 'k8s/k8s.ts', content }, { path: 'k8s/index.ts', content: [header('k8s', 'index'), "export * from './k8s';", ''].join('\n') });
    for (const cls of module.classes) {
      const slash = cls.apiVersion.lastIndexOf('/');
      classes.push({ family: 'k8s', group: slash < 0 ? '' : cls.apiVersion.slice(0, slash), version: cls.apiVersion.slice(slash + 1), kind: cls.kind, className: cls.className, storage: true });
    }
  }
  // Typed Helm values of the vendored charts (libs/upstream/charts) in the `helm-values` folder.
  files.push(...helmValuesModules(charts, REGENERATE_COMMAND));
  files.sort((a, b) => cmp(a.path, b.path));
  return { files, classes };
}

/**
 * Writes the generated tree into `outDir`, replacing each generated family folder completely and
 * leaving other families alone (so `--crds <dir>` with a few families' newer CRDs updates just those).
 */
export function writeGenerated(outDir: string, files: readonly GeneratedFile[]): void {
  const families = new Set(files.map((f) => f.path.split('/')[0]!));
  for (const family of families) rmSync(join(outDir, family), { recursive: true, force: true });
  for (const file of files) {
    const target = join(outDir, file.path);
    mkdirSync(join(target, '..'), { recursive: true });
    writeFileSync(target, file.content);
  }
}

/** Lists the generated tree under `dir` (relative paths, sorted). */
export function listTree(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listTree(dir, rel));
    else out.push(rel);
  }
  return out.sort(cmp);
}

function main(): void {
  const repoRoot = findRepoRoot(process.cwd());
  const { values } = parseArgs({
    options: { crds: { type: 'string' }, kubernetes: { type: 'string' }, out: { type: 'string' } },
    allowPositionals: false,
  });
  const crdDir = resolve(process.cwd(), values.crds ?? resolve(repoRoot, 'libs/upstream/crds'));
  // `--crds <dir>` alone keeps the old layout: Kubernetes definitions (if any) under <dir>/kubernetes.
  const kubernetesDir = resolve(process.cwd(), values.kubernetes ?? (values.crds ? join(crdDir, 'kubernetes') : resolve(repoRoot, 'libs/upstream/kubernetes')));
  const outDir = resolve(process.cwd(), values.out ?? resolve(repoRoot, 'libs/k8s-apis/src'));
  const crds = readCrdSources(crdDir);
  // Chart values come from the upstream folder the CRDs are in (none for a folder without sources.json).
  const { files, classes } = generate(crds, readKubernetesDefinitions(kubernetesDir), readChartValues(dirname(crdDir)));
  writeGenerated(outDir, files);
  const families = new Set(classes.map((c) => c.family));
  console.log(`k8s-apis: ${classes.length} classes for ${crds.length} CRDs in ${families.size} families → ${outDir}`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) main();
