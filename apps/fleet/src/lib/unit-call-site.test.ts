import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { teamAWeb } from '@flotilla/charts/workloads/team-a-web';
import { callerFrame, renderUnit, sourceFrames, SynthError } from '@flotilla/core';
import { dev, fleet } from '../index';
import { facts } from './clusters/dev/facts';
import { teamA } from './teams';
import { repoRoot } from '../testing';

/** The 1-based line of this file that holds `marker`. */
const lineOf = (marker: string) => readFileSync(__filename, 'utf8').split('\n').findIndex((line) => line.includes(`// ${marker}`)) + 1;

describe('where a unit was created', () => {
  it('is named when the unit fails to render: the line that called its factory', () => {
    // GIVEN team-a-web created here with one database subnet, which its PostgresInstance rejects at render time
    const unit = teamAWeb({ team: teamA.on(facts), database: { instanceClass: 'db.t4g.micro', subnetIds: ['subnet-0a1b2c3d4e5f60001'], securityGroupIds: ['sg-0a1b2c3d4e5f60010'], skipFinalSnapshot: true } }); // CREATED-HERE
    // WHEN it renders THEN the error names the cluster, the unit, and this line
    let error: unknown;
    try {
      renderUnit(unit, dev);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SynthError);
    expect((error as Error).message).toMatch(/^cluster 'dev', unit 'team-a-web' \(project team-a-web\) failed to render: .*'subnetIds'/);
    expect((error as Error).message).toContain(`\n  created at ${relative(repoRoot, __filename)}:${lineOf('CREATED-' + 'HERE')}:`);
  });

  it.each(fleet.clusters.map((cluster) => [cluster.name, cluster] as const))("is recorded for every unit of %s, in a file of the platform (lib/platform/) or of the cluster's folder", (name, cluster) => {
    for (const unit of cluster.units) {
      expect(unit.createdAt, `unit '${unit.name}' records no call site (its factory lacks createdAt: unitCallSite())`).toBeDefined();
      const caller = callerFrame(sourceFrames(unit.createdAt!.trace, repoRoot));
      expect(caller?.file, unit.name).toMatch(new RegExp(`^apps/fleet/src/lib/(platform|clusters/${name})/[a-z-]+\\.ts$`));
    }
  });
});
