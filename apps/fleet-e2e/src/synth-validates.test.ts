import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree } from '@flotilla/core/testing';
import { copyWorkspace, git, run } from './testing';

// The example fleet, with the first app unit of every cluster also rendering a ConfigMap whose
// `data` field is misspelled.
const FLEET_WITH_TYPO = `import { ApiObject } from 'cdk8s';
import { defineFleet, type ClusterConfig, type Unit } from '@flotilla/config';
import { dev } from './lib/clusters/dev/index';
import { prod } from './lib/clusters/prod/index';

const withTypo = (unit: Unit): Unit => ({
  ...unit,
  render(scope, context) {
    unit.render(scope, context);
    new ApiObject(scope, 'typo', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'typo', namespace: 'default' }, dataa: { a: '1' } } as never);
  },
});
const broken = (cluster: ClusterConfig): ClusterConfig => {
  const first = cluster.units.find((unit) => unit.layer === 'apps');
  return { ...cluster, units: cluster.units.map((unit) => (unit === first ? withTypo(unit) : unit)) };
};
export const fleet = defineFleet({ clusters: [broken(dev), broken(prod)] });
`;

describe('synth validates before it writes', () => {
  it('fails with file, object, field and fix when a chart renders an invalid object, and leaves clusters/ untouched', () => {
    const ws = copyWorkspace();
    writeFileSync(join(ws, 'apps/fleet/src/index.ts'), FLEET_WITH_TYPO);
    const before = readTree(join(ws, 'clusters'));
    const result = run(ws, 'node', ['apps/fleet/bin/flotilla.js', 'synth']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/nothing was written/);
    expect(result.stderr).toMatch(/clusters\/dev\/apps\/[^/]+\/ConfigMap_default_typo\.yaml: ConfigMap default\/typo: dataa: unknown field "dataa" \(did you mean "data"\?\)/);
    expect(readTree(join(ws, 'clusters'))).toEqual(before);
    expect(git(ws, 'status', '--porcelain', '--', 'clusters')).toBe('');
  });
});
