import { describe, expect, it } from 'vitest';
import { rewriteSource, scanIdentifiers } from './source-rewrite';

describe('rewriteSource', () => {
  it('routes matches() and has() to the Flotilla implementations', () => {
    expect(rewriteSource('has(a.b) && a.c.matches("x") && matches(a.d, "y")').source).toBe('k8sHas(a.b) && a.c.re2Matches("x") && re2Matches(a.d, "y")');
  });

  it('leaves strings, raw strings and comments untouched', () => {
    const source = `"has(x)" + r'matches(' + """cel.bind(""" // has(
`;
    expect(rewriteSource(source)).toEqual({ source });
    expect(scanIdentifiers('1e10 + x').map((id) => id.name)).toEqual(['x']);
  });

  it('does not rename a field called matches that is not called', () => {
    expect(rewriteSource('self.matches.size() > 0').source).toBe('self.matches.size() > 0');
  });

  it('rejects cel.bind and bytes helpers', () => {
    expect(rewriteSource('cel . bind(a, 1, a)').rejection).toMatch(/cel\.bind/);
    expect(rewriteSource('x.json()').rejection).toMatch(/bytes\.json/);
  });
});
