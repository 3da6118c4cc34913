import type { Tree } from '@nx/devkit';
import * as ts from 'typescript';
import { readText } from './fleet-layout';
import { SourceEditor, SourceShapeError, quote } from './source-edit';

/** The fleet's code owners (`export const codeowners = { platform, teams: { … } }`), rendered into .github/CODEOWNERS. */
export const CODEOWNERS_SOURCE = 'apps/fleet/src/lib/codeowners.ts';

/**
 * Registers a team's GitHub owner in the fleet's code owners, so synth can render CODEOWNERS for the
 * team's units (it refuses to render a tenant unit whose namespace has no owner).
 *
 * @param owner `@org/team`; @default - the team name in the platform group's organisation
 */
export function addCodeOwner(tree: Tree, namespace: string, owner?: string): void {
  if (!tree.exists(CODEOWNERS_SOURCE)) return; // a fleet without CODEOWNERS rendering
  const editor = new SourceEditor(CODEOWNERS_SOURCE, readText(tree, CODEOWNERS_SOURCE));
  const codeowners = editor.exportedObject('codeowners');
  const teams = editor.property(codeowners, 'teams')?.initializer;
  if (!teams || !ts.isObjectLiteralExpression(teams)) {
    throw new SourceShapeError(CODEOWNERS_SOURCE, "an object literal 'teams: { <namespace>: '@org/team' }' in 'export const codeowners'");
  }
  const existing = teams.properties.some((property) => property.name !== undefined && ts.isPropertyName(property.name) && propertyName(property.name) === namespace);
  if (existing) return;
  const platform = editor.stringProperty(codeowners, 'platform') ?? '';
  const org = /^(@[^/]+)\//.exec(platform)?.[1];
  const resolved = owner ?? (org ? `${org}/${namespace}` : undefined);
  if (!resolved || !/^@[A-Za-z0-9][-A-Za-z0-9]*\/[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(resolved)) {
    throw new Error(`--codeOwner must be a GitHub team '@org/team' for namespace '${namespace}', got '${resolved ?? ''}'`);
  }
  editor.appendProperty(teams, /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(namespace) ? namespace : quote(namespace), quote(resolved));
  tree.write(CODEOWNERS_SOURCE, editor.apply());
}

function propertyName(name: ts.PropertyName): string {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : name.getText();
}
