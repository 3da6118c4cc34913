import type { Tree } from '@nx/devkit';
import ts from 'typescript';
import { readCatalog, type CatalogEntry } from './catalog-file';
import { PLATFORM_FILES, readText } from './fleet-layout';
import { SourceEditor, SourceShapeError } from './source-edit';

/** How the platform files import the catalog. */
const CATALOG_IMPORT = '../teams';

/**
 * The fleet's tenants, `apps/fleet/src/lib/platform/tenants.ts`: one function of a cluster's facts
 * (and its platform) that lists the teams every cluster runs (from the catalog,
 * `apps/fleet/src/lib/teams`) and their apps:
 *
 * ```ts
 * import { teamA } from '../teams';
 * export const tenants = (c: FleetCluster, p: ClusterPlatform): Unit[] => [teams({ teams: [teamA.on(c)] }), teamAWeb({ team: teamA.on(c), … })];
 * ```
 */
export class TenantsFile {
  static readonly path: string = PLATFORM_FILES.tenants;

  static read(tree: Tree): TenantsFile {
    return new TenantsFile(tree);
  }

  readonly path: string;
  private readonly editor: SourceEditor;
  private readonly catalogIds: Map<string, string>;
  /** The name the edits use for the cluster parameter (`_c` is renamed to `c` once it is used). */
  private parameterName: string | undefined;

  private constructor(private readonly tree: Tree) {
    this.path = TenantsFile.path;
    this.editor = new SourceEditor(this.path, readText(tree, this.path));
    this.tenants(); // fail early on an unknown shape
    this.catalogIds = new Map([...readCatalog(tree).values()].map((entry) => [entry.id, entry.name]));
  }

  /** `export const tenants = (c: FleetCluster, p: ClusterPlatform): Unit[] => [ … ]`: the function and its array. */
  private tenants(): { fn: ts.ArrowFunction; array: ts.ArrayLiteralExpression } {
    const fn = this.editor.exportedConst('tenants');
    let body: ts.Node | undefined = ts.isArrowFunction(fn) && fn.parameters.length >= 1 ? fn.body : undefined;
    while (body && ts.isParenthesizedExpression(body)) body = body.expression;
    if (!body || !ts.isArrayLiteralExpression(body)) {
      throw new SourceShapeError(this.path, "'export const tenants = (c: FleetCluster, p: ClusterPlatform): Unit[] => [ … ]' (the cluster first, an array literal body)");
    }
    return { fn: fn as ts.ArrowFunction, array: body };
  }

  /** The cluster parameter's name for new code, renaming an unused `_c` to `c`. */
  private clusterParameter(): string {
    if (this.parameterName) return this.parameterName;
    const parameter = this.tenants().fn.parameters[0]!.name;
    const name = parameter.getText(this.editor.source);
    this.parameterName = name.startsWith('_') && name.length > 1 ? name.slice(1) : name;
    if (this.parameterName !== name) this.editor.replace(parameter.getStart(), parameter.getEnd(), this.parameterName);
    return this.parameterName;
  }

  /** The `teams({ teams: [ … ] })` call of the tenants array, if any. */
  private teamsCall(): ts.CallExpression | undefined {
    const calls = this.tenants().array.elements.filter(
      (element): element is ts.CallExpression => ts.isCallExpression(element) && ts.isIdentifier(element.expression) && element.expression.text === 'teams',
    );
    if (calls.length > 1) throw new SourceShapeError(this.path, "at most one 'teams({ teams: [ … ] })' unit in the tenants array");
    return calls[0];
  }

  /** Team name → catalog identifier, for every `<id>.on(c)` listed in the `teams(…)` unit. */
  teams(): Map<string, string> {
    const found = new Map<string, string>();
    const argument = this.teamsCall()?.arguments[0];
    const list = argument && ts.isObjectLiteralExpression(argument) ? this.editor.property(argument, 'teams')?.initializer : undefined;
    if (!list || !ts.isArrayLiteralExpression(list)) return found;
    for (const element of list.elements) {
      const callee = ts.isCallExpression(element) && ts.isPropertyAccessExpression(element.expression) ? element.expression : undefined;
      if (!callee || callee.name.text !== 'on' || !ts.isIdentifier(callee.expression)) continue;
      const name = this.catalogIds.get(callee.expression.text);
      if (name) found.set(name, callee.expression.text);
    }
    return found;
  }

  /** Names of the factories called in the `tenants` array (`teams`, `teamAWeb`, …). */
  unitFactories(): string[] {
    return this.tenants()
      .array.elements.map((element) => (ts.isCallExpression(element) && ts.isIdentifier(element.expression) ? element.expression.text : undefined))
      .filter((name): name is string => name !== undefined);
  }

  /** Lists a catalog team in the `teams(…)` unit (adding that unit when the cluster has no teams yet). */
  addTeam(team: CatalogEntry): void {
    if (this.teams().has(team.name)) throw new Error(`team '${team.name}' is already declared in ${this.path}`);
    const c = this.clusterParameter();
    this.editor.ensureNamedImport(team.id, CATALOG_IMPORT);
    const call = this.teamsCall();
    if (!call) {
      this.editor.ensureNamedImport('teams', '@flotilla/charts/platform/teams');
      this.editor.prependToArray(this.tenants().array, `teams({ teams: [${team.id}.on(${c})] })`);
      return;
    }
    const argument = call.arguments[0];
    const list = argument && ts.isObjectLiteralExpression(argument) ? this.editor.property(argument, 'teams')?.initializer : undefined;
    if (!list || !ts.isArrayLiteralExpression(list)) throw new SourceShapeError(this.path, "the teams unit to read 'teams({ teams: [ … ] })'");
    this.editor.appendToArray(list, `${team.id}.on(${c})`);
  }

  /** Lists an app's unit, `<factory>({ team: <team>.on(c), …settings(c) })`, in the tenants array. */
  addApp(app: { project: string; factory: string; team: string; settings?: (c: string) => string[] }): void {
    const teamId = this.teams().get(app.team);
    if (!teamId) {
      const known = [...this.teams().keys()];
      throw new Error(
        `team '${app.team}' is not declared in ${this.path} (teams there: ${known.join(', ') || 'none'}); ` +
          `add it first with 'nx g ./libs/generators:team ${app.team} --costCenter <cc>'`,
      );
    }
    if (this.unitFactories().includes(app.factory)) throw new Error(`${this.path} already lists '${app.factory}(…)'; edit its settings there`);
    if (this.editor.topLevelNames().has(app.factory)) throw new SourceShapeError(this.path, `no top-level name '${app.factory}' yet`, `rename the existing '${app.factory}'`);
    this.editor.ensureNamedImport(app.factory, `@flotilla/charts/workloads/${app.project}`);
    this.editor.appendToArray(this.tenants().array, `${app.factory}({ ${[`team: ${teamId}.on(${this.clusterParameter()})`, ...(app.settings?.(this.clusterParameter()) ?? [])].join(', ')} })`);
  }

  /** Makes sure a value import of `name` from `module` exists (for settings that construct values). */
  ensureImport(name: string, module: string): void {
    this.editor.ensureNamedImport(name, module);
  }

  /** Writes the edited file back to the tree. */
  save(): void {
    this.tree.write(this.path, this.editor.apply());
  }
}
