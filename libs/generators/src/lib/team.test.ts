import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedFromWorkspace, withConstraints } from '../testing';
import { clusterGenerator } from './cluster';
import { CODEOWNERS_SOURCE } from './codeowners-file';
import { teamGenerator } from './team';
import { TenantsFile } from './tenants-file';

describe('team generator', () => {
  let tree: Tree;
  beforeEach(() => {
    // GIVEN the real fleet (dev and prod tenants as they are in the workspace), in a virtual tree
    tree = createTreeWithEmptyWorkspace();
    seedFromWorkspace(tree, 'apps/fleet/src', 'libs/config/src/lib/cluster-config.ts');
  });

  it('declares the team once, in the catalog, with settings for every environment, and lists it in every cluster', async () => {
    await teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002' });
    expect(tree.read('apps/fleet/src/lib/teams/team-b.ts', 'utf-8')).toBe(
      [
        "import { defineTeam } from './catalog';",
        '',
        "/** team-b: added by 'nx g ./libs/generators:team'. Its settings per environment go in `environments` (typed by the type argument). */",
        'export const teamB = defineTeam<Record<string, never>>({',
        "  name: 'team-b',",
        "  costCenter: 'cc-2002',",
        "  group: 'team-b-developers',",
        '  environments: { dev: {}, prod: {} },',
        '});',
        '',
      ].join('\n'),
    );
    expect(tree.read('apps/fleet/src/lib/teams/index.ts', 'utf-8')).toMatch(/\nexport \* from '\.\/team-b';\n$/);
    for (const cluster of ['dev', 'prod']) {
      const file = TenantsFile.read(tree, cluster);
      expect(file.teams().get('team-b'), cluster).toBe('teamB');
      const text = tree.read(TenantsFile.path(cluster), 'utf-8')!;
      expect(text).toMatch(/import \{ [^}]*teamB \} from '\.\.\/\.\.\/teams';/);
      expect(text).toMatch(/teams\(\{ teams: \[[^\]]*, teamB\.on\(c\)\] \}\)/);
    }
  });

  it("registers the team's code owner, in the platform group's organisation unless --codeOwner names one", async () => {
    // WHEN two teams are added, one with an explicit owner and a namespace of its own
    await teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002' });
    await teamGenerator(tree, { name: 'team-c', costCenter: 'cc-2003', namespace: 'c', codeOwner: '@acme/c-devs' });
    // THEN the fleet's code owners map each namespace to its GitHub team, so synth can render CODEOWNERS
    const text = tree.read(CODEOWNERS_SOURCE, 'utf-8')!;
    expect(text).toContain("'team-b': '@flotilla/team-b'");
    expect(text).toContain("c: '@acme/c-devs'");
  });

  it('fails if --codeOwner is not a GitHub team', async () => {
    await expect(teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002', codeOwner: 'team-b' })).rejects.toThrow(/--codeOwner must be a GitHub team '@org\/team'/);
  });

  it('touches only the clusters given with --clusters', async () => {
    const prod = tree.read(TenantsFile.path('prod'), 'utf-8');
    await teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002', group: 'idc-team-b', namespace: 'b', clusters: 'dev' });
    expect(tree.read(TenantsFile.path('prod'), 'utf-8')).toBe(prod);
    expect(tree.read('apps/fleet/src/lib/teams/team-b.ts', 'utf-8')).toContain("  name: 'team-b',\n  namespace: 'b',\n  costCenter: 'cc-2002',\n  group: 'idc-team-b',\n");
    expect(TenantsFile.read(tree, 'dev').teams().get('team-b')).toBe('teamB');
  });

  it('adds the teams unit and its imports to a cluster that has no teams yet', async () => {
    await clusterGenerator(tree, { name: 'qa', account: '444444444444', environment: 'dev', oidcIssuerUrl: 'https://oidc.eks.eu-north-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF' });
    await teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002', clusters: 'qa' });
    expect(tree.read(TenantsFile.path('qa'), 'utf-8')).toBe(
      [
        "import type { Unit } from '@flotilla/config';",
        "import type { FleetCluster } from '../../fleet-defaults';",
        "import { teamB } from '../../teams';",
        "import { teams } from '@flotilla/charts/platform/teams';",
        '',
        '/** Teams (from the catalog, lib/teams) and their apps on this cluster. */',
        'export const tenants = (c: FleetCluster): Unit[] => [teams({ teams: [teamB.on(c)] })];',
        '',
      ].join('\n'),
    );
  });

  it('lists a team already in the catalog on more clusters without declaring it again', async () => {
    // GIVEN team-b on prod only
    await teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002', clusters: 'prod' });
    const catalog = tree.read('apps/fleet/src/lib/teams/team-b.ts', 'utf-8');
    // WHEN it is added to dev
    await teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002', clusters: 'dev' });
    // THEN dev lists it and the catalog is as it was
    expect(TenantsFile.read(tree, 'dev').teams().get('team-b')).toBe('teamB');
    expect(tree.read('apps/fleet/src/lib/teams/team-b.ts', 'utf-8')).toBe(catalog);
    expect(tree.read('apps/fleet/src/lib/teams/index.ts', 'utf-8')!.match(/team-b/g)).toHaveLength(1);
  });

  it('fails if the team already exists in one of the clusters, and changes no cluster', async () => {
    await teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002', clusters: 'prod' });
    const dev = tree.read(TenantsFile.path('dev'), 'utf-8');
    await expect(teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002' })).rejects.toThrow(
      "team 'team-b' is already declared in apps/fleet/src/lib/clusters/prod/tenants.ts",
    );
    expect(tree.read(TenantsFile.path('dev'), 'utf-8')).toBe(dev);
  });

  it('fails if the cost center does not match a cluster\'s costCenterPattern', async () => {
    withConstraints(tree, 'dev', {});
    withConstraints(tree, 'prod', { costCenterPattern: '^cc-[0-9]{4}$' });
    await expect(teamGenerator(tree, { name: 'team-b', costCenter: 'marketing' })).rejects.toThrow(
      "cluster 'prod' requires cost centers matching ^cc-[0-9]{4}$ (costCenterPattern in its platform-configs.ts); --costCenter 'marketing' does not",
    );
  });

  it.each([
    [{ name: 'Team_B' }, "team name 'Team_B' must be a DNS label"],
    [{ costCenter: '' }, "--costCenter '' must be a label value"],
    [{ clusters: 'dev,staging' }, "--clusters: unknown cluster(s) 'staging'; the fleet has: dev, prod"],
  ])('fails if an option is wrong: %j', async (override, message) => {
    await expect(teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002', ...override })).rejects.toThrow(message);
  });

  it('fails if a tenants file is not the shape it edits', async () => {
    tree.write(TenantsFile.path('dev'), "import { platformTenants } from './shared';\nexport const tenants = platformTenants('dev');\n");
    await expect(teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002' })).rejects.toThrow(
      "apps/fleet/src/lib/clusters/dev/tenants.ts: expected 'export const tenants = (c: FleetCluster): Unit[] => [ … ]' (one parameter, an array literal body)",
    );
    expect(tree.exists('apps/fleet/src/lib/teams/team-b.ts')).toBe(false);
  });
});
