import type { Tree } from '@nx/devkit';
import ts from 'typescript';
import { readStages, readText, RELEASES_FILE } from './fleet-layout';
import { quote, SourceEditor, SourceShapeError } from './source-edit';

const SHAPE = "'export const releases = defineReleases(stages, { <stage>: { <unit>: { <pin>: '<image>' } }, … })' with an object literal per stage";

/**
 * The fleet's release pins file, `apps/fleet/src/lib/releases.ts`, as `flotilla set-image` and
 * `flotilla promote` edit it: one object literal per stage, unit → pin name → image by digest.
 */
export class ReleasesFile {
  static readonly path: string = RELEASES_FILE;

  static read(tree: Tree): ReleasesFile {
    return new ReleasesFile(tree);
  }

  private readonly editor: SourceEditor;
  private readonly stages: string[];

  private constructor(private readonly tree: Tree) {
    this.editor = new SourceEditor(RELEASES_FILE, readText(tree, RELEASES_FILE));
    this.stages = readStages(tree);
    for (const stage of this.stages) this.stageObject(stage); // fail early on an unknown shape
  }

  private stageObject(stage: string): ts.ObjectLiteralExpression {
    const calls = this.editor.callsTo('defineReleases');
    const table = calls.length === 1 ? calls[0]!.arguments?.[1] : undefined;
    if (!table || !ts.isObjectLiteralExpression(table)) throw new SourceShapeError(RELEASES_FILE, SHAPE);
    const pins = this.editor.property(table, stage)?.initializer;
    if (!pins || !ts.isObjectLiteralExpression(pins)) throw new SourceShapeError(RELEASES_FILE, `${SHAPE}, including '${stage}'`);
    return pins;
  }

  /** The units pinned on the first stage (every stage pins the same ones). */
  units(): string[] {
    return this.stageObject(this.stages[0]!).properties.map((property) => (property.name && (ts.isIdentifier(property.name) || ts.isStringLiteralLike(property.name)) ? property.name.text : '')).filter(Boolean);
  }

  /** Pins `unit`'s images on every stage, the same on each (promotion moves later releases stage by stage). */
  addUnit(unit: string, pins: Readonly<Record<string, string>>): void {
    if (this.units().includes(unit)) throw new Error(`${RELEASES_FILE} already pins unit '${unit}'; change its pins with 'flotilla set-image ${unit} --stage <stage> --image <ref@sha256:…>'`);
    const value = `{ ${Object.entries(pins).map(([pin, image]) => `${/^[A-Za-z_$][\w$]*$/.test(pin) ? pin : quote(pin)}: ${quote(image)}`).join(', ')} }`;
    for (const stage of this.stages) this.editor.appendProperty(this.stageObject(stage), quote(unit), value);
  }

  save(): void {
    this.tree.write(RELEASES_FILE, this.editor.apply());
  }
}
