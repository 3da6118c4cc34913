import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedFromWorkspace } from '../testing';
import { CODEOWNERS_SOURCE } from './codeowners-file';
import { teamGenerator } from './team';
import { TenantsFile } from './tenants-file';

describe('team generator', () => {
  let tree: Tree;
  beforeEach(() => {
    // GIVEN the real fleet (dev → staging → prod, one tenants list in lib/platform), in a virtual tree
    tree = createTreeWithEmptyWorkspace();
    seedFromWorkspace(tree, 'apps/fleet/src', 'libs/config/src/lib/cluster-config.ts');
  });

  it('declares the team once, in the catalog, with settings for every environment, and lists it in the tenants every cluster runs', async () => {
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
        '  environments: { dev: {}, staging: {}, prod: {} },',
        '});',
        '',
      ].join('\n'),
    );
    expect(tree.read('apps/fleet/src/lib/teams/index.ts', 'utf-8')).toMatch(/\nexport \* from '\.\/team-b';\n$/);
    expect(TenantsFile.read(tree).teams().get('team-b')).toBe('teamB');
    const text = tree.read(TenantsFile.path, 'utf-8')!;
    expect(text).toMatch(/import \{ [^}]*teamB[^}]* \} from '\.\.\/teams';/);
    expect(text).toMatch(/teams\(\{ teams: \[[^\]]*, teamB\.on\(c\)\] \}\)/);
  });

  it("registers the team's code owner, in the platform group's organisation unless --codeOwner names one", async () => {
    // WHEN two teams are added, one with an explicit owner and a namespace of its own
    await teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002' });
    await teamGenerator(tree, { name: 'team-c', costCenter: 'cc-2003', namespace: 'c', group: 'idc-team-c', codeOwner: '@acme/c-devs' });
    // THEN the fleet's code owners map each namespace to its GitHub team, so synth can render CODEOWNERS
    const text = tree.read(CODEOWNERS_SOURCE, 'utf-8')!;
    expect(text).toContain("'team-b': '@flotilla/team-b'");
    expect(text).toContain("c: '@acme/c-devs'");
    expect(tree.read('apps/fleet/src/lib/teams/team-c.ts', 'utf-8')).toContain("  name: 'team-c',\n  namespace: 'c',\n  costCenter: 'cc-2003',\n  group: 'idc-team-c',\n");
  });

  it('fails if --codeOwner is not a GitHub team', async () => {
    await expect(teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002', codeOwner: 'team-b' })).rejects.toThrow(/--codeOwner must be a GitHub team '@org\/team'/);
  });

  it('lists a team already in the catalog without declaring it again', async () => {
    // GIVEN team-b in the catalog but not in the tenants
    await teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002' });
    const catalog = tree.read('apps/fleet/src/lib/teams/team-b.ts', 'utf-8');
    tree.write(TenantsFile.path, tree.read(TenantsFile.path, 'utf-8')!.replace(', teamB.on(c)]', ']'));
    // WHEN it is added again
    await teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002' });
    // THEN the tenants list it and the catalog is as it was
    expect(TenantsFile.read(tree).teams().get('team-b')).toBe('teamB');
    expect(tree.read('apps/fleet/src/lib/teams/team-b.ts', 'utf-8')).toBe(catalog);
    expect(tree.read('apps/fleet/src/lib/teams/index.ts', 'utf-8')!.match(/team-b/g)).toHaveLength(1);
  });

  it('fails if the team is already listed, and changes nothing', async () => {
    await teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002' });
    const tenants = tree.read(TenantsFile.path, 'utf-8');
    await expect(teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002' })).rejects.toThrow("team 'team-b' is already declared in apps/fleet/src/lib/platform/tenants.ts");
    expect(tree.read(TenantsFile.path, 'utf-8')).toBe(tenants);
  });

  it("fails if the cost center does not match the fleet's costCenterPattern", async () => {
    await expect(teamGenerator(tree, { name: 'team-b', costCenter: 'marketing' })).rejects.toThrow(
      "cluster 'dev' requires cost centers matching ^cc-[0-9]{4}$ (costCenterPattern in apps/fleet/src/lib/platform/configs.ts); --costCenter 'marketing' does not",
    );
    expect(tree.exists('apps/fleet/src/lib/teams/team-b.ts')).toBe(false);
  });

  it.each([
    [{ name: 'Team_B' }, "team name 'Team_B' must be a DNS label"],
    [{ costCenter: '' }, "--costCenter '' must be a label value"],
    [{ namespace: 'B' }, "--namespace 'B' must be a DNS label"],
  ])('fails if an option is wrong: %j', async (override, message) => {
    await expect(teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002', ...override })).rejects.toThrow(message);
  });

  it('fails if the tenants file is not the shape it edits', async () => {
    tree.write(TenantsFile.path, "import { platformTenants } from './shared';\nexport const tenants = platformTenants('dev');\n");
    await expect(teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002' })).rejects.toThrow(
      "apps/fleet/src/lib/platform/tenants.ts: expected 'export const tenants = (c: FleetCluster, p: ClusterPlatform): Unit[] => [ … ]' (the cluster first, an array literal body)",
    );
    expect(tree.exists('apps/fleet/src/lib/teams/team-b.ts')).toBe(false);
  });
});
