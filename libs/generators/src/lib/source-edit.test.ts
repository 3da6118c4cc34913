import { describe, expect, it } from 'vitest';
import { SourceEditor } from './source-edit';

function edit(text: string, change: (editor: SourceEditor) => void): string {
  const editor = new SourceEditor('file.ts', text);
  change(editor);
  return editor.apply();
}

describe('SourceEditor', () => {
  it('appends to a one-line exported array on the same line', () => {
    const result = edit("export const tenants: Unit[] = [a(), b({ x: 1 })];\n", (e) => e.appendToArray(e.exportedArray('tenants'), 'c()'));
    expect(result).toBe("export const tenants: Unit[] = [a(), b({ x: 1 })];\n".replace('})]', '}), c()]'));
  });

  it('fills an empty array', () => {
    expect(edit('export const units: Unit[] = [];\n', (e) => e.appendToArray(e.exportedArray('units'), 'a()'))).toBe('export const units: Unit[] = [a()];\n');
  });

  it('keeps one element per line, with or without a trailing comma', () => {
    const withComma = 'export const units = [\n  a(),\n  b(),\n];\n';
    expect(edit(withComma, (e) => e.appendToArray(e.exportedArray('units'), 'c()'))).toBe('export const units = [\n  a(),\n  b(),\n  c(),\n];\n');
    const without = 'export const units = [\n  a(),\n  b()\n];\n';
    expect(edit(without, (e) => e.appendToArray(e.exportedArray('units'), 'c()'))).toBe('export const units = [\n  a(),\n  b(),\n  c()\n];\n');
  });

  it('lays a one-line array out one element per line when the line would pass 120 characters', () => {
    const text = `export const tenants: Unit[] = [teams({ teams: [{ name: 'team-a', costCenter: 'cc-1001' }] }), teamAWeb({ replicas: 1 })];\n`;
    const result = edit(text, (e) => e.appendToArray(e.exportedArray('tenants'), 'web2({ replicas: 2 })'));
    expect(result).toBe(
      `export const tenants: Unit[] = [\n  teams({ teams: [{ name: 'team-a', costCenter: 'cc-1001' }] }),\n  teamAWeb({ replicas: 1 }),\n  web2({ replicas: 2 }),\n];\n`,
    );
  });

  it('adds a name to an existing import of the module, or a new import after the last one', () => {
    const text = "import type { Unit } from '@flotilla/config';\nimport { a } from './a';\n\nexport const x = 1;\n";
    expect(edit(text, (e) => e.ensureNamedImport('b', './a'))).toBe("import type { Unit } from '@flotilla/config';\nimport { a, b } from './a';\n\nexport const x = 1;\n");
    expect(edit(text, (e) => e.ensureNamedImport('web', '@flotilla/charts/workloads/web'))).toBe(
      "import type { Unit } from '@flotilla/config';\nimport { a } from './a';\nimport { web } from '@flotilla/charts/workloads/web';\n\nexport const x = 1;\n",
    );
    expect(edit(text, (e) => e.ensureNamedImport('a', './a'))).toBe(text);
  });

  it('appends a property to one-line and multi-line object literals', () => {
    expect(edit('export const o = { a: 1 };\n', (e) => e.appendProperty(e.exportedObject('o'), 'b', '2'))).toBe('export const o = { a: 1, b: 2 };\n');
    expect(edit('export const o = {\n  a: 1,\n};\n', (e) => e.appendProperty(e.exportedObject('o'), 'b', '2'))).toBe('export const o = {\n  a: 1,\n  b: 2,\n};\n');
  });

  it('fails with the file and the expected shape when the export is missing or not an array', () => {
    expect(() => new SourceEditor('libs/x.ts', 'export const tenants = makeTenants();\n').exportedArray('tenants')).toThrow(
      "libs/x.ts: expected 'export const tenants' to be an array literal ([ … ])",
    );
    expect(() => new SourceEditor('libs/x.ts', 'const tenants = [];\n').exportedArray('tenants')).toThrow("libs/x.ts: expected an 'export const tenants = …' statement");
  });

  it('fails to import a name that another top-level declaration already uses', () => {
    expect(() => edit("const web = 1;\nexport const x = [web];\n", (e) => e.ensureNamedImport('web', '@flotilla/charts/workloads/web'))).toThrow(/no top-level name 'web'/);
  });
});
