import type { Tree } from '@nx/devkit';
import ts from 'typescript';
import { AREA_FILES, CLUSTERS_DIR, identifierFor, readText } from './fleet-layout';
import { quote, SourceEditor, SourceShapeError } from './source-edit';

/**
 * A cluster's `tenants.ts`, in the shape the example clusters use:
 *
 * ```ts
 * const teamA: TeamConfig = { name: 'team-a', costCenter: 'cc-1001', group: 'team-a-developers' };
 * export const tenants: Unit[] = [teams({ teams: [teamA] }), teamAWeb({ team: teamA, … })];
 * ```
 *
 * Teams are top-level `TeamConfig` constants listed in the `teams(…)` unit; apps are factory calls
 * in the `tenants` array that get their team as `team: <constant>`.
 */
export class TenantsFile {
  static path(cluster: string): string {
    return `${CLUSTERS_DIR}/${cluster}/${AREA_FILES.tenants}`;
  }

  static read(tree: Tree, cluster: string): TenantsFile {
    return new TenantsFile(tree, cluster);
  }

  readonly path: string;
  private readonly editor: SourceEditor;

  private constructor(
    private readonly tree: Tree,
    readonly cluster: string,
  ) {
    this.path = TenantsFile.path(cluster);
    this.editor = new SourceEditor(this.path, readText(tree, this.path));
    this.editor.exportedArray('tenants'); // fail early on an unknown shape
  }

  /** Team name → the identifier of its `const <id>: TeamConfig = { name: '<team>', … }`. */
  teams(): Map<string, string> {
    const found = new Map<string, string>();
    for (const statement of this.editor.source.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
        // `const x: TeamConfig = { … }` or `const x = { … } satisfies TeamConfig`
        let initializer: ts.Expression = declaration.initializer;
        const satisfied = ts.isSatisfiesExpression(initializer) && initializer.type.getText(this.editor.source) === 'TeamConfig';
        if (ts.isSatisfiesExpression(initializer)) initializer = initializer.expression;
        if (declaration.type?.getText(this.editor.source) !== 'TeamConfig' && !satisfied) continue;
        const name = initializer && ts.isObjectLiteralExpression(initializer) ? this.editor.stringProperty(initializer, 'name') : undefined;
        if (name) found.set(name, declaration.name.text);
      }
    }
    return found;
  }

  /** Names of the factories called in the `tenants` array (`teams`, `teamAWeb`, …). */
  unitFactories(): string[] {
    return this.editor
      .exportedArray('tenants')
      .elements.map((element) => (ts.isCallExpression(element) && ts.isIdentifier(element.expression) ? element.expression.text : undefined))
      .filter((name): name is string => name !== undefined);
  }

  /** Declares a team and lists it in the `teams(…)` unit (adding that unit when the cluster has no teams yet). */
  addTeam(team: { name: string; costCenter: string; group: string; namespace?: string }): string {
    if (this.teams().has(team.name)) throw new Error(`team '${team.name}' is already declared in ${this.path}`);
    const taken = this.editor.topLevelNames();
    let id = identifierFor(team.name, 'Team');
    if (taken.has(id)) id = `${id}Team`;
    if (taken.has(id)) throw new SourceShapeError(this.path, `no top-level name '${id}' yet`, `rename the existing '${id}'`);
    const fields = [`name: ${quote(team.name)}`, ...(team.namespace ? [`namespace: ${quote(team.namespace)}`] : []), `costCenter: ${quote(team.costCenter)}`, `group: ${quote(team.group)}`];
    const declaration = `/** ${team.name}: added by 'nx g ./libs/generators:team'. */\nconst ${id}: TeamConfig = {\n${fields.map((field) => `  ${field},`).join('\n')}\n};`;
    this.insertBeforeTenants(declaration);
    this.editor.ensureTypeImport('TeamConfig', '@flotilla/workloads');

    const tenants = this.editor.exportedArray('tenants');
    const calls = tenants.elements.filter((element): element is ts.CallExpression => ts.isCallExpression(element) && ts.isIdentifier(element.expression) && element.expression.text === 'teams');
    if (calls.length > 1) throw new SourceShapeError(this.path, "at most one 'teams({ teams: [ … ] })' unit in the tenants array");
    const call = calls[0];
    if (!call) {
      this.editor.ensureNamedImport('teams', '@flotilla/charts/platform/teams');
      this.editor.prependToArray(tenants, `teams({ teams: [${id}] })`);
      return id;
    }
    const argument = call.arguments[0];
    const list = argument && ts.isObjectLiteralExpression(argument) ? this.editor.property(argument, 'teams')?.initializer : undefined;
    if (!list || !ts.isArrayLiteralExpression(list)) throw new SourceShapeError(this.path, "the teams unit to read 'teams({ teams: [ … ] })'");
    this.editor.appendToArray(list, id);
    return id;
  }

  /** Lists an app's unit, `<factory>({ team: <team constant>, …settings })`, in the tenants array. */
  addApp(app: { project: string; factory: string; team: string; settings?: string[] }): void {
    const teamId = this.teams().get(app.team);
    if (!teamId) {
      const known = [...this.teams().keys()];
      throw new Error(
        `team '${app.team}' is not declared in ${this.path} (teams there: ${known.join(', ') || 'none'}); ` +
          `add it first with 'nx g ./libs/generators:team ${app.team} --costCenter <cc> --clusters ${this.cluster}', or pick another --clusters`,
      );
    }
    if (this.unitFactories().includes(app.factory)) throw new Error(`${this.path} already lists '${app.factory}(…)'; edit its settings there`);
    if (this.editor.topLevelNames().has(app.factory)) throw new SourceShapeError(this.path, `no top-level name '${app.factory}' yet`, `rename the existing '${app.factory}'`);
    this.editor.ensureNamedImport(app.factory, `@flotilla/charts/workloads/${app.project}`);
    this.editor.appendToArray(this.editor.exportedArray('tenants'), `${app.factory}({ ${[`team: ${teamId}`, ...(app.settings ?? [])].join(', ')} })`);
  }

  /** Makes sure a value import of `name` from `module` exists (for settings that construct values). */
  ensureImport(name: string, module: string): void {
    this.editor.ensureNamedImport(name, module);
  }

  /** Writes the edited file back to the tree. */
  save(): void {
    this.tree.write(this.path, this.editor.apply());
  }

  /** Inserts a top-level statement after the last TeamConfig constant, else right before `export const tenants` and its comment. */
  private insertBeforeTenants(statementText: string): void {
    const source = this.editor.source;
    const statements = source.statements;
    const teamIds = new Set(this.teams().values());
    const lastTeam = [...statements]
      .reverse()
      .find((s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && teamIds.has(d.name.text)));
    if (lastTeam) {
      this.editor.insert(lastTeam.getEnd(), `\n\n${statementText}`);
      return;
    }
    const tenants = statements.find((s) => ts.isVariableStatement(s) && s.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === 'tenants'))!;
    const comments = ts.getLeadingCommentRanges(source.text, tenants.getFullStart()) ?? [];
    const start = comments[0]?.pos ?? tenants.getStart();
    this.editor.insert(start, `${statementText}\n\n`);
  }
}

/** The tenants.ts of a new cluster: the example clusters' shape, with no teams and no apps yet (the team and app generators add them). */
export function emptyTenantsFile(): string {
  return `import type { Unit } from '@flotilla/config';\n\n/** Teams and their apps on this cluster. */\nexport const tenants: Unit[] = [];\n`;
}
