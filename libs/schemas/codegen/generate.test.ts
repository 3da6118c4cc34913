import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRepoRoot } from '../src/lib/crd-source';
import { compactSchema } from './compact';
import { generate, listGenerated, writeGenerated } from './generate';

const repoRoot = findRepoRoot(__dirname);
const crdDir = resolve(repoRoot, '../shared/crds');
const outDir = resolve(repoRoot, 'libs/schemas/src/generated');

// Says why in the test name when the pinned CRDs are not next to the checkout.
const absent = existsSync(crdDir) ? '' : ' [skipped: ../shared/crds is absent]';

describe('schemas generator', () => {
  it.skipIf(!existsSync(crdDir))(`reproduces the committed bundles byte for byte${absent}`, () => {
    const files = generate(crdDir);
    expect(files.map((f) => f.path)).toEqual(listGenerated(outDir));
    for (const file of files) expect(readFileSync(resolve(outDir, file.path), 'utf8'), file.path).toBe(file.content);
  });

  it.skipIf(!existsSync(crdDir))(`updates only the families found when pointed at a folder of a few CRDs${absent}`, () => {
    // GIVEN the committed bundles and a folder holding only the Karpenter CRDs
    const work = mkdtempSync(join(tmpdir(), 'schemas-'));
    try {
      cpSync(outDir, join(work, 'out'), { recursive: true });
      cpSync(join(crdDir, 'karpenter'), join(work, 'crds', 'karpenter'), { recursive: true });
      // WHEN regenerating from that folder
      const files = generate(join(work, 'crds'));
      expect(files.map((f) => f.path)).toEqual(['index.json', 'karpenter.json']);
      writeGenerated(join(work, 'out'), files, false);
      // THEN every bundle, the index included, is what the full run produces
      for (const name of listGenerated(outDir)) {
        expect(readFileSync(join(work, 'out', name), 'utf8'), name).toBe(readFileSync(join(outDir, name), 'utf8'));
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('drops descriptions and keeps validation keywords and x-kubernetes markers', () => {
    // GIVEN a CRD schema node with documentation and rules
    const compact = compactSchema({
      description: 'docs',
      type: 'object',
      properties: {
        description: { type: 'string', description: 'a field named description stays' },
        size: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }], pattern: '^x$' },
      },
      'x-kubernetes-validations': [{ rule: 'self.size != 0', message: 'no', extra: 1 }],
      'x-kubernetes-patch-strategy': 'merge',
    });
    // THEN only what validation needs is left
    expect(compact).toEqual({
      type: 'object',
      properties: {
        description: { type: 'string' },
        size: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }], pattern: '^x$' },
      },
      'x-kubernetes-validations': [{ rule: 'self.size != 0', message: 'no' }],
    });
  });
});
