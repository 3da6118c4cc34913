import type ts from 'typescript';
import { UsageError } from './command';

/** What a pin pins: a workload image (`defineReleases`) or a platform chart version (`defineChartReleases`). */
export type PinKind = 'image' | 'chart';

/** One pin as written in the pins file: its value and where its string literal is. */
export interface PinSite {
  readonly kind: PinKind;
  readonly stage: string;
  readonly unit: string;
  readonly pin: string;
  readonly value: string;
  /** Character range of the string literal, quotes included. */
  readonly start: number;
  readonly end: number;
  /** 1-based line of the literal. */
  readonly line: number;
}

/** The release pins of a pins file (`defineReleases(stages, { <stage>: { <unit>: { <pin>: '<ref>' } } })`). */
export class PinsFile {
  private constructor(
    readonly file: string,
    readonly text: string,
    readonly sites: readonly PinSite[],
  ) {}

  /**
   * Parses `text` with the TypeScript compiler API: the image pins of `defineReleases(stages, {…})`
   * and, when the file declares them, the chart pins of `defineChartReleases(stages, {…})`, both
   * `{ <stage>: { <unit>: { <name>: '<pin>' } } }`. Anything but plain string literals is a usage
   * error naming the line.
   */
  static async parse(file: string, text: string): Promise<PinsFile> {
    const { default: typescript } = await import('typescript');
    const source = typescript.createSourceFile(file, text, typescript.ScriptTarget.Latest, true, typescript.ScriptKind.TS);
    const imagesArg = findCall(typescript, source, 'defineReleases')?.arguments[1];
    if (!imagesArg || !typescript.isObjectLiteralExpression(imagesArg)) {
      throw new UsageError(`${file}: expected 'defineReleases(stages, { <stage>: { <unit>: { <pin>: '<image>@sha256:…' } } })'; set-image and promote edit only that shape`);
    }
    const sites = readSites(typescript, source, file, imagesArg, 'image');
    const chartsCall = findCall(typescript, source, 'defineChartReleases');
    if (chartsCall) {
      const chartsArg = chartsCall.arguments[1];
      if (!chartsArg || !typescript.isObjectLiteralExpression(chartsArg)) {
        const { line } = source.getLineAndCharacterOfPosition(chartsCall.getStart());
        throw new UsageError(`${file}:${line + 1}: expected 'defineChartReleases(stages, { <stage>: { <unit>: { <release>: '<version>' } } })'; promote edits only that shape`);
      }
      sites.push(...readSites(typescript, source, file, chartsArg, 'chart'));
    }
    return new PinsFile(file, text, sites);
  }

  /** The stages the file pins. */
  stages(): string[] {
    return [...new Set(this.sites.map((site) => site.stage))];
  }

  /** The units the file pins (of one kind, or of both). */
  units(kind?: PinKind): string[] {
    return [...new Set(this.sites.filter((site) => !kind || site.kind === kind).map((site) => site.unit))];
  }

  /** The pins of `unit` on `stage` (of one kind, or of both). */
  pinsOf(stage: string, unit: string, kind?: PinKind): PinSite[] {
    return this.sites.filter((site) => site.stage === stage && site.unit === unit && (!kind || site.kind === kind));
  }

  /** The text with the given pins replaced (each a new value for a site), everything else byte for byte. */
  withValues(changes: readonly { site: PinSite; value: string }[]): string {
    let text = this.text;
    for (const { site, value } of [...changes].sort((a, b) => b.site.start - a.site.start)) {
      const quote = text[site.start] === '"' ? '"' : "'";
      text = text.slice(0, site.start) + quote + value + quote + text.slice(site.end);
    }
    return text;
  }
}

/** The pins of one `{ <stage>: { <unit>: { <name>: '<pin>' } } }` literal. */
function readSites(typescript: typeof ts, source: ts.SourceFile, file: string, pinsArg: ts.ObjectLiteralExpression, kind: PinKind): PinSite[] {
  const sites: PinSite[] = [];
  const value = kind === 'image' ? "'<image>@sha256:…'" : "'<version>'";
  const shape = (node: ts.Node, expected: string): never => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart());
    throw new UsageError(`${file}:${line + 1}: expected ${expected}; release pins are plain data so that set-image and promote can edit them`);
  };
  for (const stageProp of pinsArg.properties) {
    if (!typescript.isPropertyAssignment(stageProp) || !typescript.isObjectLiteralExpression(stageProp.initializer)) shape(stageProp, "'<stage>: { … }'");
    const stageAssignment = stageProp as ts.PropertyAssignment;
    for (const unitProp of (stageAssignment.initializer as ts.ObjectLiteralExpression).properties) {
      if (!typescript.isPropertyAssignment(unitProp) || !typescript.isObjectLiteralExpression(unitProp.initializer)) shape(unitProp, `'<unit>: { <${kind === 'image' ? 'pin' : 'release'}>: ${value} }'`);
      const unitAssignment = unitProp as ts.PropertyAssignment;
      for (const pinProp of (unitAssignment.initializer as ts.ObjectLiteralExpression).properties) {
        if (!typescript.isPropertyAssignment(pinProp) || !typescript.isStringLiteral(pinProp.initializer)) shape(pinProp, `'<${kind === 'image' ? 'pin' : 'release'}>: ${value}' (a string literal)`);
        const literal = (pinProp as ts.PropertyAssignment).initializer as ts.StringLiteral;
        sites.push({
          kind,
          stage: nameOf(typescript, stageAssignment.name),
          unit: nameOf(typescript, unitAssignment.name),
          pin: nameOf(typescript, (pinProp as ts.PropertyAssignment).name),
          value: literal.text,
          start: literal.getStart(),
          end: literal.getEnd(),
          line: source.getLineAndCharacterOfPosition(literal.getStart()).line + 1,
        });
      }
    }
  }
  return sites;
}

function findCall(typescript: typeof ts, source: ts.SourceFile, name: string): ts.CallExpression | undefined {
  let found: ts.CallExpression | undefined;
  const visit = (node: ts.Node): void => {
    if (!found && typescript.isCallExpression(node) && typescript.isIdentifier(node.expression) && node.expression.text === name) found = node;
    typescript.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function nameOf(typescript: typeof ts, name: ts.PropertyName): string {
  if (typescript.isIdentifier(name) || typescript.isStringLiteral(name) || typescript.isNumericLiteral(name)) return name.text;
  throw new UsageError(`a release pin key must be a name or a string, got '${name.getText()}'`);
}
