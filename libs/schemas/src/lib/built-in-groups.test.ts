import { describe, expect, it } from 'vitest';
import { BUILT_IN_API_GROUPS } from '@flotilla/model';
import { SchemaCatalog, type KubernetesVersion } from './catalog';

describe('BUILT_IN_API_GROUPS', () => {
  it('is exactly the groups of the built-in kinds of every pinned Kubernetes version', () => {
    const catalog = SchemaCatalog.load();
    const builtIn = new Set<string>();
    for (const version of catalog.kubernetesVersions as KubernetesVersion[]) {
      for (const key of catalog.allKinds(version)) {
        const parts = key.split('/');
        if (parts.length === 2) builtIn.add('');
        else if (!catalog.familyOf(parts[0]!)) builtIn.add(parts[0]!);
      }
    }
    expect([...BUILT_IN_API_GROUPS].sort()).toEqual([...builtIn].sort());
  });
});
