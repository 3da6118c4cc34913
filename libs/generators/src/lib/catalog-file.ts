import type { Tree } from '@nx/devkit';
import ts from 'typescript';
import { FLEET_DEFAULTS, identifierFor, readText } from './fleet-layout';
import { quote, SourceEditor, SourceShapeError } from './source-edit';

/** The fleet's team catalog: one file per team, each `export const <id> = defineTeam<…>({ name, …, environments: { … } })`. */
export const TEAMS_DIR = 'apps/fleet/src/lib/teams';
export const TEAMS_INDEX = `${TEAMS_DIR}/index.ts`;
export const FLEET_ENVIRONMENT_TYPE = 'FleetEnvironment';

/** A team declared in the catalog. */
export interface CatalogEntry {
  readonly name: string;
  /** The exported identifier (`teamA`). */
  readonly id: string;
  readonly file: string;
}

/** The `defineTeam(…)` calls of a catalog file with their exported identifiers. */
function teamDeclarations(editor: SourceEditor): { id: string; object: ts.ObjectLiteralExpression }[] {
  const found: { id: string; object: ts.ObjectLiteralExpression }[] = [];
  for (const statement of editor.source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const call = declaration.initializer;
      if (!ts.isIdentifier(declaration.name) || !call || !ts.isCallExpression(call) || !ts.isIdentifier(call.expression) || call.expression.text !== 'defineTeam') continue;
      const argument = call.arguments[0];
      if (argument && ts.isObjectLiteralExpression(argument)) found.push({ id: declaration.name.text, object: argument });
    }
  }
  return found;
}

function catalogFiles(tree: Tree): string[] {
  if (!tree.exists(TEAMS_DIR)) return [];
  return tree
    .children(TEAMS_DIR)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && file !== 'index.ts' && file !== 'catalog.ts')
    .sort()
    .map((file) => `${TEAMS_DIR}/${file}`);
}

/** Every team of the catalog, by team name. */
export function readCatalog(tree: Tree): Map<string, CatalogEntry> {
  const teams = new Map<string, CatalogEntry>();
  for (const file of catalogFiles(tree)) {
    const editor = new SourceEditor(file, readText(tree, file));
    for (const { id, object } of teamDeclarations(editor)) {
      const name = editor.stringProperty(object, 'name');
      if (name) teams.set(name, { name, id, file });
    }
  }
  return teams;
}

/** The fleet's environments, the members of `FleetEnvironment`. */
export function readFleetEnvironments(tree: Tree): string[] {
  const editor = new SourceEditor(FLEET_DEFAULTS, readText(tree, FLEET_DEFAULTS));
  for (const statement of editor.source.statements) {
    if (!ts.isTypeAliasDeclaration(statement) || statement.name.text !== FLEET_ENVIRONMENT_TYPE) continue;
    const members = ts.isUnionTypeNode(statement.type) ? statement.type.types : [statement.type];
    const values = members.map((member) => (ts.isLiteralTypeNode(member) && ts.isStringLiteral(member.literal) ? member.literal.text : undefined));
    if (values.every((value): value is string => value !== undefined)) return values;
  }
  throw new SourceShapeError(FLEET_DEFAULTS, `'export type ${FLEET_ENVIRONMENT_TYPE} = 'dev' | 'prod'' (a union of string literals)`);
}

/** Where a new team goes in the catalog (`<TEAMS_DIR>/<name>.ts`, exported as `<id>`), failing on a clash; writes nothing. */
export function planCatalogTeam(tree: Tree, name: string): CatalogEntry {
  const id = identifierFor(name, 'Team');
  const file = `${TEAMS_DIR}/${name}.ts`;
  const clash = [...readCatalog(tree).values()].some((entry) => entry.id === id);
  if (clash || tree.exists(file)) throw new SourceShapeError(file, `no catalog file '${name}.ts' and no team exported as '${id}' yet`, `rename the existing '${id}'`);
  return { name, id, file };
}

/** Writes a planned team into the catalog with empty settings for every environment of the fleet, exported from the catalog's index. */
export function writeCatalogTeam(tree: Tree, entry: CatalogEntry, team: { costCenter: string; group: string; namespace?: string }): void {
  const environments = readFleetEnvironments(tree);
  const fields = [`name: ${quote(entry.name)}`, ...(team.namespace ? [`namespace: ${quote(team.namespace)}`] : []), `costCenter: ${quote(team.costCenter)}`, `group: ${quote(team.group)}`];
  tree.write(
    entry.file,
    [
      "import { defineTeam } from './catalog';",
      '',
      `/** ${entry.name}: added by 'nx g ./libs/generators:team'. Its settings per environment go in \`environments\` (typed by the type argument). */`,
      `export const ${entry.id} = defineTeam<Record<string, never>>({`,
      ...fields.map((field) => `  ${field},`),
      `  environments: { ${environments.map((environment) => `${propertyKey(environment)}: {}`).join(', ')} },`,
      '});',
      '',
    ].join('\n'),
  );
  const index = readText(tree, TEAMS_INDEX);
  tree.write(TEAMS_INDEX, `${index.replace(/\n*$/, '\n')}export * from './${entry.name}';\n`);
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : quote(name);
}
