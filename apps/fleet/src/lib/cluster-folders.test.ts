import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fleet } from '../index';

// Clusters differ only through typed config: a cluster folder holds its facts and an index.ts that
// chooses its environment and overrides; every area (controllers, configs, tenants, appconfig) is
// defined once, in lib/platform/. This fails when a folder grows an area file, or copies another's.
const CLUSTERS = join(__dirname, 'clusters');
const ALLOWED = ['facts.ts', 'index.ts'];

/** The non-test sources of each cluster folder: cluster → file → text. */
function clusterFolders(): Map<string, Map<string, string>> {
  return new Map(
    readdirSync(CLUSTERS, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map(({ name }) => [
        name,
        new Map(
          readdirSync(join(CLUSTERS, name))
            .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
            .map((file) => [file, readFileSync(join(CLUSTERS, name, file), 'utf8')]),
        ),
      ]),
  );
}

/**
 * Every copy between cluster folders (the same file, equal once each cluster's name is replaced by
 * `<cluster>`) and every file that is not a facts.ts or index.ts, as `<cluster>/<file>: <what>`.
 */
export function copiedClusterFiles(folders: ReadonlyMap<string, ReadonlyMap<string, string>>): string[] {
  const found: string[] = [];
  const seen = new Map<string, string>();
  for (const [cluster, files] of folders) {
    for (const [file, text] of files) {
      if (!ALLOWED.includes(file)) found.push(`${cluster}/${file}: a cluster folder holds only ${ALLOWED.join(' and ')}; define the area once in lib/platform/ with typed settings per environment`);
      const normalized = `${file}\n${text.split(cluster).join('<cluster>')}`;
      const first = seen.get(normalized);
      if (first) found.push(`${cluster}/${file}: a copy of ${first}/${file}; put what they share in lib/platform/ and keep only the differences as typed values`);
      else seen.set(normalized, cluster);
    }
  }
  return found;
}

describe('cluster folders', () => {
  it('hold only facts.ts and index.ts, and no two are copies, for every cluster of the fleet', () => {
    const folders = clusterFolders();
    expect([...folders.keys()].sort()).toEqual(fleet.clusters.map((cluster) => cluster.name).sort());
    expect(copiedClusterFiles(folders)).toEqual([]);
  });

  it('fails if a cluster folder copies another cluster\'s file, or holds an area file', () => {
    // GIVEN staging's index.ts equal to dev's but for the cluster name, and a tenants.ts in dev
    const index = (name: string) => `export const ${name} = defineCluster(facts, (c) => fleetCluster(c));\n`;
    const folders = new Map([
      ['dev', new Map([['index.ts', index('dev')], ['tenants.ts', 'export const tenants = [];\n']])],
      ['staging', new Map([['index.ts', index('staging')]])],
    ]);
    // THEN both are reported, naming the files
    expect(copiedClusterFiles(folders)).toEqual([
      'dev/tenants.ts: a cluster folder holds only facts.ts and index.ts; define the area once in lib/platform/ with typed settings per environment',
      'staging/index.ts: a copy of dev/index.ts; put what they share in lib/platform/ and keep only the differences as typed values',
    ]);
  });
});
