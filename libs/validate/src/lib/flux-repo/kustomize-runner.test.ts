import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findKustomize } from './kustomize-runner';

describe('finding kustomize', () => {
  it('finds none on a PATH without kustomize or kubectl, or when FLOTILLA_KUSTOMIZE=none', () => {
    const empty = mkdtempSync(join(tmpdir(), 'flotilla-empty-path-'));
    try {
      expect(findKustomize({ PATH: empty })).toBeUndefined();
      expect(findKustomize({ ...process.env, FLOTILLA_KUSTOMIZE: 'none' })).toBeUndefined();
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('uses kubectl kustomize or kustomize build as FLOTILLA_KUSTOMIZE names it', () => {
    expect(findKustomize({ FLOTILLA_KUSTOMIZE: '/usr/bin/kubectl' })).toEqual({ command: '/usr/bin/kubectl', args: ['kustomize'], label: 'kubectl kustomize' });
    expect(findKustomize({ FLOTILLA_KUSTOMIZE: '/opt/kustomize' })).toEqual({ command: '/opt/kustomize', args: ['build'], label: 'kustomize build' });
  });

  it('finds the kustomize of this machine on PATH (the acceptance tests build with it)', () => {
    expect(findKustomize()?.label).toMatch(/^(kubectl kustomize|kustomize build)$/);
  });
});
