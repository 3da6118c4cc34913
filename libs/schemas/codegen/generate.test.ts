import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRepoRoot } from '../src/lib/crd-source';
import { compactSchema } from './compact';
import { generate, kubernetesVersionFolders, listGenerated, UPSTREAM_CRDS, UPSTREAM_KUBERNETES, writeGenerated } from './generate';

const repoRoot = findRepoRoot(__dirname);
const crdDir = resolve(repoRoot, UPSTREAM_CRDS);
const kubernetesDir = resolve(repoRoot, UPSTREAM_KUBERNETES);
const outDir = resolve(repoRoot, 'libs/schemas/src/generated');

describe('schemas generator', () => {
  it('reproduces the committed bundles byte for byte from the vendored upstream files', () => {
    const files = generate(crdDir, kubernetesDir);
    expect(files.map((f) => f.path)).toEqual(listGenerated(outDir));
    for (const file of files) expect(readFileSync(resolve(outDir, file.path), 'utf8'), file.path).toBe(file.content);
  });

  it('updates only the families found when pointed at a folder of a few CRDs', () => {
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

describe('Kubernetes versions', () => {
  it('bundles every version Amazon EKS supports in standard support, from the vendored folders', () => {
    // GIVEN the vendored definitions WHEN listing their versions THEN 1.34-1.36 are there, in version order
    expect(kubernetesVersionFolders(kubernetesDir)).toEqual([
      { version: '1.34', folder: 'v1.34.0' },
      { version: '1.35', folder: 'v1.35.0' },
      { version: '1.36', folder: 'v1.36.0' },
    ]);
  });

  it('refuses two patch releases of one minor version', () => {
    const work = mkdtempSync(join(tmpdir(), 'schemas-k8s-'));
    try {
      for (const folder of ['v1.35.0', 'v1.35.1']) cpSync(join(kubernetesDir, 'v1.35.0'), join(work, folder), { recursive: true });
      expect(() => kubernetesVersionFolders(work)).toThrow(/two folders for Kubernetes 1\.35 \(v1\.35\.0, v1\.35\.1\); keep one/);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
