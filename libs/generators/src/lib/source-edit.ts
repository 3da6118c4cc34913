import ts from 'typescript';

/**
 * Structural edits of TypeScript sources: find a node with the compiler API, then splice text at
 * its position, so the rest of the file (comments, formatting) stays byte for byte as it was.
 * Every lookup fails with a message naming the file and the shape it expected, instead of guessing.
 */
export class SourceShapeError extends Error {
  constructor(file: string, expected: string, fix = 'restore that shape, or make the change by hand') {
    super(`${file}: expected ${expected}; the generator edits only files of that shape (${fix})`);
    this.name = 'SourceShapeError';
  }
}

/** A parsed source file plus the edits queued on it; `apply()` returns the new text. */
export class SourceEditor {
  readonly source: ts.SourceFile;
  private readonly edits: { start: number; end: number; text: string }[] = [];

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  }

  /** The initializer of `export const <name> = …` (optionally behind `as`/`satisfies`). */
  exportedConst(name: string): ts.Expression {
    for (const statement of this.source.statements) {
      if (!ts.isVariableStatement(statement) || !hasExportModifier(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name) && declaration.name.text === name && declaration.initializer) {
          return unwrap(declaration.initializer);
        }
      }
    }
    throw new SourceShapeError(this.file, `an 'export const ${name} = …' statement`);
  }

  /** The array of `export const <name> = [ … ]`. */
  exportedArray(name: string): ts.ArrayLiteralExpression {
    const initializer = this.exportedConst(name);
    if (!ts.isArrayLiteralExpression(initializer)) throw new SourceShapeError(this.file, `'export const ${name}' to be an array literal ([ … ])`);
    return initializer;
  }

  /** The object of `export const <name> = { … }`. */
  exportedObject(name: string): ts.ObjectLiteralExpression {
    const initializer = this.exportedConst(name);
    if (!ts.isObjectLiteralExpression(initializer)) throw new SourceShapeError(this.file, `'export const ${name}' to be an object literal ({ … })`);
    return initializer;
  }

  /** Every call expression in the file whose callee is `name` (`name(…)` or `new name(…)`). */
  callsTo(name: string): (ts.CallExpression | ts.NewExpression)[] {
    const found: (ts.CallExpression | ts.NewExpression)[] = [];
    const visit = (node: ts.Node): void => {
      if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === name) found.push(node);
      ts.forEachChild(node, visit);
    };
    visit(this.source);
    return found;
  }

  /** Names exported by `export const` / `export function` / `export class` / `export { … }`. */
  exportedNames(): string[] {
    const names: string[] = [];
    for (const statement of this.source.statements) {
      if (ts.isVariableStatement(statement) && hasExportModifier(statement)) {
        for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.push(declaration.name.text);
      } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement)) && hasExportModifier(statement) && statement.name) {
        names.push(statement.name.text);
      } else if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) names.push(element.name.text);
      }
    }
    return names;
  }

  /** Every identifier bound at the top level (imports and declarations), to avoid collisions. */
  topLevelNames(): Set<string> {
    const names = new Set<string>();
    for (const statement of this.source.statements) {
      if (ts.isImportDeclaration(statement) && statement.importClause) {
        const clause = statement.importClause;
        if (clause.name) names.add(clause.name.text);
        if (clause.namedBindings && ts.isNamedImports(clause.namedBindings)) for (const element of clause.namedBindings.elements) names.add(element.name.text);
        if (clause.namedBindings && ts.isNamespaceImport(clause.namedBindings)) names.add(clause.namedBindings.name.text);
      } else if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
      } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
        names.add(statement.name.text);
      }
    }
    return names;
  }

  /** The string value of property `key` of an object literal, or undefined when absent or not a string literal. */
  stringProperty(object: ts.ObjectLiteralExpression, key: string): string | undefined {
    const value = this.property(object, key)?.initializer;
    return value && ts.isStringLiteralLike(value) ? value.text : undefined;
  }

  /** Property `key` (a plain `key: value` assignment) of an object literal. */
  property(object: ts.ObjectLiteralExpression, key: string): ts.PropertyAssignment | undefined {
    return object.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && propertyName(p.name) === key);
  }

  /**
   * Makes sure `import { name } from 'module'` exists: adds the name to an existing value import
   * of that module, or a new import line after the last import.
   */
  ensureNamedImport(name: string, module: string): void {
    const imports = this.source.statements.filter(ts.isImportDeclaration);
    for (const declaration of imports) {
      if (!ts.isStringLiteral(declaration.moduleSpecifier) || declaration.moduleSpecifier.text !== module) continue;
      const clause = declaration.importClause;
      if (!clause || clause.isTypeOnly || !clause.namedBindings || !ts.isNamedImports(clause.namedBindings)) continue;
      const elements = clause.namedBindings.elements;
      if (elements.some((element) => element.name.text === name)) return;
      const last = elements[elements.length - 1];
      if (last) this.insert(last.getEnd(), `, ${name}`);
      else this.insert(clause.namedBindings.getStart() + 1, ` ${name} `);
      return;
    }
    if (this.topLevelNames().has(name)) throw new SourceShapeError(this.file, `no top-level name '${name}' other than an import from '${module}'`, 'rename the existing one');
    this.insertImport(`import { ${name} } from '${module}';`, module);
  }

  /** Adds an import line next to the imports of sibling modules (`@flotilla/charts/workloads/a` after `@flotilla/charts/workloads/b`), else after the last import. */
  private insertImport(line: string, module: string): void {
    const imports = this.source.statements.filter(ts.isImportDeclaration);
    const group = module.slice(0, module.lastIndexOf('/') + 1);
    const siblings = group ? imports.filter((d) => ts.isStringLiteral(d.moduleSpecifier) && d.moduleSpecifier.text.startsWith(group)) : [];
    const anchor = siblings[siblings.length - 1] ?? imports[imports.length - 1];
    if (anchor) this.insert(anchor.getEnd(), `\n${line}`);
    else this.insert(0, `${line}\n`);
  }

  /**
   * Appends an element to an array literal, keeping its layout: one line stays one line (unless it
   * would pass `maxLine` characters, then the array is laid out one element per line), one element
   * per line gets a new line with the same indentation.
   */
  appendToArray(array: ts.ArrayLiteralExpression, element: string, maxLine = 120): void {
    this.addToArray(array, element, 'end', maxLine);
  }

  /** Like {@link appendToArray}, but the element goes first. */
  prependToArray(array: ts.ArrayLiteralExpression, element: string, maxLine = 120): void {
    this.addToArray(array, element, 'start', maxLine);
  }

  private addToArray(array: ts.ArrayLiteralExpression, element: string, where: 'start' | 'end', maxLine: number): void {
    const elements = array.elements;
    const lineOf = (pos: number) => this.source.getLineAndCharacterOfPosition(pos).line;
    const indentOf = (pos: number) => /^[ \t]*/.exec(this.text.slice(this.text.lastIndexOf('\n', pos - 1) + 1))?.[0] ?? '';
    const arrayIndent = indentOf(array.getStart());
    const first = elements[0];
    const last = elements[elements.length - 1];
    if (!first || !last) {
      this.replace(array.getStart(), array.getEnd(), `[${element}]`);
      return;
    }
    if (lineOf(first.getStart()) > lineOf(array.getStart())) {
      const indent = indentOf(first.getStart());
      if (where === 'start') {
        this.insert(first.getStart(), `${element},\n${indent}`);
        return;
      }
      const end = elements.hasTrailingComma ? this.text.indexOf(',', last.getEnd()) + 1 : last.getEnd();
      this.insert(end, `${elements.hasTrailingComma ? '' : ','}\n${indent}${element}${elements.hasTrailingComma ? ',' : ''}`);
      return;
    }
    const lineStart = this.text.lastIndexOf('\n', array.getStart() - 1) + 1;
    const lineEnd = this.text.indexOf('\n', array.getEnd()) === -1 ? this.text.length : this.text.indexOf('\n', array.getEnd());
    const oneLineLength = lineEnd - lineStart + element.length + 2;
    if (oneLineLength <= maxLine && !element.includes('\n') && lineOf(last.getEnd()) === lineOf(array.getStart())) {
      if (where === 'start') this.insert(first.getStart(), `${element}, `);
      else this.insert(last.getEnd(), `, ${element}`);
      return;
    }
    const inner = `${arrayIndent}  `;
    const texts = elements.map((e) => e.getText(this.source));
    const items = (where === 'start' ? [element, ...texts] : [...texts, element]).map((text) => `${inner}${reindent(text)},`);
    this.replace(array.getStart(), array.getEnd(), `[\n${items.join('\n')}\n${arrayIndent}]`);
  }

  /**
   * Makes sure `name` is imported as a type from `module`: already imported (type or value), added
   * to an existing import of the module, or a new `import type` line after the last import.
   */
  ensureTypeImport(name: string, module: string): void {
    const imports = this.source.statements.filter(ts.isImportDeclaration).filter((d) => ts.isStringLiteral(d.moduleSpecifier) && d.moduleSpecifier.text === module);
    const named = imports
      .map((d) => ({ declaration: d, bindings: d.importClause?.namedBindings }))
      .filter((entry): entry is { declaration: ts.ImportDeclaration; bindings: ts.NamedImports } => !!entry.bindings && ts.isNamedImports(entry.bindings));
    if (named.some((entry) => entry.bindings.elements.some((element) => element.name.text === name))) return;
    const typeOnly = named.find((entry) => entry.declaration.importClause?.isTypeOnly);
    const target = typeOnly ?? named[0];
    const last = target?.bindings.elements[target.bindings.elements.length - 1];
    if (target && last) {
      this.insert(last.getEnd(), `, ${typeOnly ? '' : 'type '}${name}`);
      return;
    }
    if (this.topLevelNames().has(name)) throw new SourceShapeError(this.file, `no top-level name '${name}' other than an import from '${module}'`, 'rename the existing one');
    this.insertImport(`import type { ${name} } from '${module}';`, module);
  }

  /** Adds `key: value` to an object literal as its last property, in the object's layout. */
  appendProperty(object: ts.ObjectLiteralExpression, key: string, value: string): void {
    const properties = object.properties;
    const last = properties[properties.length - 1];
    const entry = `${key}: ${value}`;
    if (!last) {
      this.replace(object.getStart(), object.getEnd(), `{ ${entry} }`);
      return;
    }
    const multiLine = this.source.getLineAndCharacterOfPosition(last.getStart()).line > this.source.getLineAndCharacterOfPosition(object.getStart()).line;
    if (multiLine) {
      const indent = /^[ \t]*/.exec(this.text.slice(this.text.lastIndexOf('\n', last.getStart() - 1) + 1))?.[0] ?? '';
      const end = properties.hasTrailingComma ? this.text.indexOf(',', last.getEnd()) + 1 : last.getEnd();
      this.insert(end, `${properties.hasTrailingComma ? '' : ','}\n${indent}${entry}${properties.hasTrailingComma ? ',' : ''}`);
    } else {
      this.insert(last.getEnd(), `, ${entry}`);
    }
  }

  insert(position: number, text: string): void {
    this.edits.push({ start: position, end: position, text });
  }

  replace(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text });
  }

  /** The text with every queued edit applied (edits must not overlap). */
  apply(): string {
    let result = this.text;
    const sorted = this.edits.map((edit, order) => ({ ...edit, order })).sort((a, b) => b.start - a.start || b.order - a.order);
    for (const edit of sorted) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
    return result;
  }
}

/** Renders a string as a single-quoted TypeScript literal. */
export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function hasExportModifier(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);
}

function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (ts.isAsExpression(current) || ts.isSatisfiesExpression(current) || ts.isParenthesizedExpression(current)) current = current.expression;
  return current;
}

function propertyName(name: ts.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

/** Shifts the continuation lines of a multi-line element two spaces right, as it moves one level in. */
function reindent(text: string): string {
  return text
    .split('\n')
    .map((line, index) => (index > 0 && line.trim() ? `  ${line}` : line))
    .join('\n');
}
