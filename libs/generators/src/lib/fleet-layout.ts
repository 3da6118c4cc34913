import type { Tree } from '@nx/devkit';
import ts from 'typescript';
import { SourceEditor, SourceShapeError } from './source-edit';

/** Where the typed fleet lives (see apps/fleet/README.md and the root README, "Add a cluster"). */
export const FLEET_INDEX = 'apps/fleet/src/index.ts';
export const CLUSTERS_DIR = 'apps/fleet/src/lib/clusters';
export const CLUSTER_CONFIG_TYPES = 'libs/config/src/lib/cluster-config.ts';
/** The fleet's stages in promotion order (`defineStages([...])`) and `FleetEnvironment`. */
export const FLEET_DEFAULTS = 'apps/fleet/src/lib/fleet-defaults.ts';
/** The release pins: per stage, per workload unit, its images by digest (`defineReleases(stages, { … })`). */
export const RELEASES_FILE = 'apps/fleet/src/lib/releases.ts';
/** The platform every cluster runs, one file per area (apps/fleet/src/lib/platform/). */
export const PLATFORM_FILES = {
  settings: 'apps/fleet/src/lib/platform/settings.ts',
  configs: 'apps/fleet/src/lib/platform/configs.ts',
  tenants: 'apps/fleet/src/lib/platform/tenants.ts',
} as const;
/** The only files of a cluster folder: its facts, and the index.ts that chooses its environment's platform. */
export const AREA_FILES = { facts: 'facts.ts', index: 'index.ts' } as const;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Fails unless `value` is a DNS label (what cluster, team and app names must be). */
export function assertDnsLabel(what: string, value: string): void {
  if (!value || value.length > 63 || !DNS_LABEL.test(value)) {
    throw new Error(`${what} '${value}' must be a DNS label: 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit`);
  }
}

/** Reads a file of the tree, failing with the path when it is missing. */
export function readText(tree: Tree, path: string): string {
  const text = tree.read(path, 'utf-8');
  if (text === null) throw new Error(`${path} does not exist; run the generator from the root of a Flotilla workspace`);
  return text;
}

/** The clusters of the fleet: folders under apps/fleet/src/lib/clusters with an index.ts, in `defineFleet` order. */
export function listClusters(tree: Tree): string[] {
  const folders = tree.children(CLUSTERS_DIR).filter((child) => tree.exists(`${CLUSTERS_DIR}/${child}/index.ts`));
  const registered = registeredClusterFolders(tree);
  return [...registered.filter((name) => folders.includes(name)), ...folders.filter((name) => !registered.includes(name)).sort()];
}

/** Cluster folder names in the order `apps/fleet/src/index.ts` imports them. */
function registeredClusterFolders(tree: Tree): string[] {
  if (!tree.exists(FLEET_INDEX)) return [];
  const source = new SourceEditor(FLEET_INDEX, readText(tree, FLEET_INDEX)).source;
  const folders: string[] = [];
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const match = /^\.\/lib\/clusters\/([^/]+)(\/index)?$/.exec(statement.moduleSpecifier.text);
    if (match?.[1]) folders.push(match[1]);
  }
  return folders;
}

/** The typed facts of an existing cluster's facts.ts that generators reuse as defaults. */
export interface ClusterFacts {
  readonly account?: string;
  readonly environment?: string;
  readonly region?: string;
  readonly kubernetesVersion?: string;
}

/** Reads `export const facts = new ClusterFacts({ … })` of a cluster's facts.ts. */
export function readClusterFacts(tree: Tree, cluster: string): ClusterFacts {
  const path = `${CLUSTERS_DIR}/${cluster}/${AREA_FILES.facts}`;
  const editor = new SourceEditor(path, readText(tree, path));
  const calls = editor.callsTo('ClusterFacts');
  const object = calls.length === 1 ? calls[0]!.arguments?.[0] : undefined;
  if (!object || !ts.isObjectLiteralExpression(object)) throw new SourceShapeError(path, "one 'new ClusterFacts({ … })' with an object literal");
  return {
    account: editor.stringProperty(object, 'account'),
    environment: editor.stringProperty(object, 'environment'),
    region: editor.stringProperty(object, 'region'),
    kubernetesVersion: editor.stringProperty(object, 'kubernetesVersion'),
  };
}

/** The members of a string-literal union type (e.g. `export type Environment = 'dev' | 'prod'`). */
export function readStringUnion(tree: Tree, path: string, typeName: string): string[] {
  const editor = new SourceEditor(path, readText(tree, path));
  for (const statement of editor.source.statements) {
    if (!ts.isTypeAliasDeclaration(statement) || statement.name.text !== typeName) continue;
    const members = ts.isUnionTypeNode(statement.type) ? statement.type.types : [statement.type];
    const values = members.map((member) => (ts.isLiteralTypeNode(member) && ts.isStringLiteral(member.literal) ? member.literal.text : undefined));
    if (values.every((value): value is string => value !== undefined)) return values;
  }
  throw new SourceShapeError(path, `'export type ${typeName} = 'a' | 'b' | …' (a union of string literals)`);
}

/**
 * A TypeScript identifier for a DNS-label name: `eu-west` → `euWest`; a reserved word or a name
 * starting with a digit gets `suffix` (`default` → `defaultCluster`).
 */
export function identifierFor(name: string, suffix: string): string {
  const camel = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, camel);
  const token = scanner.scan();
  const reserved = token >= ts.SyntaxKind.FirstKeyword && token <= ts.SyntaxKind.LastKeyword;
  if (/^[0-9]/.test(camel)) return `${suffix.charAt(0).toLowerCase()}${suffix.slice(1)}${camel}`;
  return reserved ? `${camel}${suffix}` : camel;
}

/** What a cluster's Gatekeeper constraints demand, as far as generated teams and apps are concerned. */
export interface ClusterConstraints {
  /** `requireImageDigests: true`. */
  readonly requireDigests: boolean;
  /** `allowedRepositories: [ … ]` prefixes, when the cluster restricts repositories. */
  readonly allowedRepositories?: readonly string[];
  /** `costCenterPattern: '…'`, the regular expression `cost-center` labels must match. */
  readonly costCenterPattern?: string;
}

/**
 * What `cluster`'s Gatekeeper constraints demand: `requireImageDigests` and `allowedPublicRepositories`
 * of its environment in platform/settings.ts (`platformSettings.<environment>.constraints`), the
 * cluster's own registry first, as platform/configs.ts builds `allowedRepositories`; and
 * `costCenterPattern` from configs.ts. Values that are not literals are not guessed (they read as
 * unrestricted); synth's policy check remains the authority.
 */
export function readClusterConstraints(tree: Tree, cluster: string): ClusterConstraints {
  const { environment } = readClusterFacts(tree, cluster);
  const costCenterPattern = readCostCenterPattern(tree);
  const path = PLATFORM_FILES.settings;
  if (!tree.exists(path) || !environment) return { requireDigests: false, costCenterPattern };
  const editor = new SourceEditor(path, readText(tree, path));
  const table = editor.exportedConst('platformSettings');
  const entry = ts.isObjectLiteralExpression(table) ? editor.property(table, environment)?.initializer : undefined;
  if (!entry || !ts.isObjectLiteralExpression(entry)) throw new SourceShapeError(path, `'export const platformSettings = { ${environment}: { … }, … }' with an entry for environment '${environment}' (cluster '${cluster}')`);
  const constraints = editor.property(entry, 'constraints')?.initializer;
  if (!constraints || !ts.isObjectLiteralExpression(constraints)) return { requireDigests: false, costCenterPattern };
  const requireDigests = editor.property(constraints, 'requireImageDigests')?.initializer.kind === ts.SyntaxKind.TrueKeyword;
  const list = editor.property(constraints, 'allowedPublicRepositories')?.initializer;
  const registry = registryOf(tree, cluster);
  let allowedRepositories: string[] | undefined;
  if (list && ts.isArrayLiteralExpression(list) && registry) {
    const prefixes = list.elements.map((element) => stringValue(element, () => registry));
    if (prefixes.every((prefix): prefix is string => prefix !== undefined)) allowedRepositories = [`${registry}/`, ...prefixes];
  }
  return { requireDigests, allowedRepositories, costCenterPattern };
}

/** `costCenterPattern: '…'` of platform/configs.ts (the same for every cluster), if it is a literal. */
function readCostCenterPattern(tree: Tree): string | undefined {
  const path = PLATFORM_FILES.configs;
  if (!tree.exists(path)) return undefined;
  let pattern: string | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === 'costCenterPattern' && ts.isStringLiteralLike(node.initializer)) pattern = node.initializer.text;
    ts.forEachChild(node, visit);
  };
  visit(new SourceEditor(path, readText(tree, path)).source);
  return pattern;
}

/** The fleet's stages in promotion order: the array of `defineStages<…>([ … ])` in fleet-defaults.ts. */
export function readStages(tree: Tree): string[] {
  const editor = new SourceEditor(FLEET_DEFAULTS, readText(tree, FLEET_DEFAULTS));
  const calls = editor.callsTo('defineStages');
  const list = calls.length === 1 ? calls[0]!.arguments?.[0] : undefined;
  const stages = list && ts.isArrayLiteralExpression(list) ? list.elements.map((element) => (ts.isStringLiteralLike(element) ? element.text : undefined)) : [];
  if (stages.length === 0 || !stages.every((stage): stage is string => stage !== undefined)) {
    throw new SourceShapeError(FLEET_DEFAULTS, "one 'defineStages([ 'dev', … ])' call with an array of string literals");
  }
  return stages;
}

/** The cluster's ECR registry host, as `c.registry` derives it from its facts. */
export function registryOf(tree: Tree, cluster: string): string | undefined {
  const { account, region } = readClusterFacts(tree, cluster);
  if (!account || !region) return undefined;
  return `${account}.dkr.ecr.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
}

/** A string literal, or a template whose only substitutions are `<c>.registry` (the cluster's facts); else undefined. */
function stringValue(node: ts.Expression, registry: () => string | undefined): string | undefined {
  if (ts.isStringLiteralLike(node)) return node.text;
  if (!ts.isTemplateExpression(node)) return undefined;
  let text = node.head.text;
  for (const span of node.templateSpans) {
    const expression = span.expression;
    if (!ts.isPropertyAccessExpression(expression) || expression.name.text !== 'registry' || !ts.isIdentifier(expression.expression)) return undefined;
    const host = registry();
    if (host === undefined) return undefined;
    text += host + span.literal.text;
  }
  return text;
}
