import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedFromWorkspace } from '../testing';
import { clusterGenerator, type ClusterGeneratorOptions } from './cluster';
import { CLUSTERS_DIR, FLEET_INDEX, identifierFor, readStages } from './fleet-layout';

const OIDC = 'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF';
const VPC = { vpcId: 'vpc-0a1b2c3d4e5f60100', vpcCidr: '10.40.0.0/16', databaseSubnetsCidr: '10.40.64.0/20', databaseSubnetIds: 'subnet-0a1b2c3d4e5f60101,subnet-0a1b2c3d4e5f60102', databaseSecurityGroup: 'sg-0a1b2c3d4e5f60110' };
const prod2: ClusterGeneratorOptions = { name: 'prod-2', account: '444444444444', environment: 'prod', oidcIssuerUrl: OIDC, ...VPC };

describe('cluster generator', () => {
  let tree: Tree;
  beforeEach(() => {
    // GIVEN the real fleet (dev → staging → prod) and config types, in a virtual tree
    tree = createTreeWithEmptyWorkspace();
    seedFromWorkspace(tree, 'apps/fleet/src', 'libs/config/src/lib/cluster-config.ts');
  });

  it("reads the fleet's stages in promotion order", () => {
    expect(readStages(tree)).toEqual(['dev', 'staging', 'prod']);
  });

  it("writes only facts.ts, with the facts once, and an index.ts that runs its stage's platform", async () => {
    await clusterGenerator(tree, prod2);
    expect(tree.children(`${CLUSTERS_DIR}/prod-2`).sort()).toEqual(['facts.ts', 'index.ts']);
    const facts = tree.read(`${CLUSTERS_DIR}/prod-2/facts.ts`, 'utf-8')!;
    expect(facts).toContain('export const facts = new ClusterFacts({');
    expect(facts).toContain("  name: 'prod-2',\n  account: '444444444444',\n  region: 'eu-west-1',\n  environment: 'prod',\n  kubernetesVersion: '1.35',\n");
    expect(facts).toContain("  oidcIssuerId: '0123456789ABCDEF0123456789ABCDEF',");
    expect(facts).toContain("  discoveryTag: { key: 'karpenter.sh/discovery', value: 'prod-2' },");
    expect(facts).not.toContain('eksClusterName');
    expect(facts).toContain(
      "  vpc: {\n    id: 'vpc-0a1b2c3d4e5f60100',\n    cidr: '10.40.0.0/16',\n    databaseSubnets: { cidr: '10.40.64.0/20', subnetIds: ['subnet-0a1b2c3d4e5f60101', 'subnet-0a1b2c3d4e5f60102'] },\n    securityGroups: { database: 'sg-0a1b2c3d4e5f60110' },\n  },\n",
    );
    const index = tree.read(`${CLUSTERS_DIR}/prod-2/index.ts`, 'utf-8')!;
    expect(index).toContain("import { fleetCluster } from '../../platform';");
    expect(index).toContain('export const prod2 = defineCluster(facts, (c) => fleetCluster(c));');
    expect(index).toContain("the prod environment's settings (lib/platform/settings.ts)");
    expect(index).not.toContain('444444444444');
  });

  it('changes nothing outside the cluster folder but its registration: no team, pin or environment is copied', async () => {
    const before = new Map(['apps/fleet/src/lib/fleet-defaults.ts', 'apps/fleet/src/lib/releases.ts', 'apps/fleet/src/lib/teams/imagegen.ts', 'apps/fleet/src/lib/platform/settings.ts'].map((path) => [path, tree.read(path, 'utf-8')]));
    await clusterGenerator(tree, prod2);
    for (const [path, text] of before) expect(tree.read(path, 'utf-8'), path).toBe(text);
  });

  it('registers the cluster in defineFleet and the re-export of apps/fleet/src/index.ts', async () => {
    const before = tree.read(FLEET_INDEX, 'utf-8')!;
    await clusterGenerator(tree, prod2);
    const after = tree.read(FLEET_INDEX, 'utf-8')!;
    expect(after).toContain("import { prod2 } from './lib/clusters/prod-2/index';");
    expect(after).toMatch(/defineFleet\(\{ clusters: \[[^\]]*, prod2\](, codeowners)?(, ci)?(, releases: fleetReleases)? \}\)/);
    expect(after).toMatch(/export \{ [^}]*, prod2 \};/);
    // Only those three places changed.
    expect(after.split('\n').length).toBe(before.split('\n').length + 1);
  });

  it('takes explicit facts over the defaults', async () => {
    await clusterGenerator(tree, { ...prod2, kubernetesVersion: '1.36', discoveryTag: 'example.com/cluster=blue', eksClusterName: 'prod-blue' });
    const facts = tree.read(`${CLUSTERS_DIR}/prod-2/facts.ts`, 'utf-8')!;
    expect(facts).toContain("  eksClusterName: 'prod-blue',\n  account:");
    expect(facts).toContain("  kubernetesVersion: '1.36',");
    expect(facts).toContain("  discoveryTag: { key: 'example.com/cluster', value: 'blue' },");
  });

  it('accepts the account as a number, as the Nx command line passes it', async () => {
    await clusterGenerator(tree, { ...prod2, account: 444444444444 as unknown as string });
    expect(tree.read(`${CLUSTERS_DIR}/prod-2/facts.ts`, 'utf-8')).toContain("account: '444444444444',");
  });

  it.each([
    [{ account: '12345' }, "--account '12345' must be a 12-digit AWS account id"],
    [{ oidcIssuerUrl: 'https://example.com' }, "--oidcIssuerUrl 'https://example.com' must be the cluster's OIDC issuer"],
    [{ region: 'eu-north-1' }, "--region 'eu-north-1' differs from the region of --oidcIssuerUrl ('eu-west-1')"],
    [
      { environment: 'qa' },
      "--environment 'qa' must be one of the fleet's stages: dev, staging, prod (defineStages in apps/fleet/src/lib/fleet-defaults.ts); a new stage needs its place in that order, its platformSettings entry",
    ],
    [{ kubernetesVersion: '1.30' }, "--kubernetesVersion '1.30' must be one of 1.34, 1.35, 1.36"],
    [{ name: 'Prod' }, "cluster name 'Prod' must be a DNS label"],
    [{ name: 'staging' }, "cluster 'staging' already exists"],
    [{ discoveryTag: 'karpenter.sh/discovery' }, "--discoveryTag 'karpenter.sh/discovery' must be 'key=value'"],
    [{ vpcCidr: '10.40.0.0' }, "--vpcCidr '10.40.0.0' must be an IPv4 CIDR, e.g. --vpcCidr 10.40.0.0/16"],
    [{ databaseSubnetIds: 'subnet-0a1b2c3d4e5f60101' }, "--databaseSubnetIds 'subnet-0a1b2c3d4e5f60101' must list at least two subnet ids"],
    [{ databaseSecurityGroup: 'sg-1' }, "--databaseSecurityGroup 'sg-1' must be a security group id"],
  ])('fails if an option is wrong: %j', async (override, message) => {
    await expect(clusterGenerator(tree, { ...prod2, ...override })).rejects.toThrow(message);
    expect(tree.exists(`${CLUSTERS_DIR}/prod-2/index.ts`)).toBe(false);
  });

  it('fails if apps/fleet/src/index.ts no longer has the defineFleet shape it edits', async () => {
    tree.write(FLEET_INDEX, "import { fleetFrom } from './lib/load';\nexport const fleet = fleetFrom('./clusters');\n");
    await expect(clusterGenerator(tree, prod2)).rejects.toThrow("apps/fleet/src/index.ts: expected exactly one 'defineFleet({ clusters: [ … ] })' call");
  });

  it('names the export after the cluster, avoiding reserved words and leading digits', () => {
    expect(identifierFor('eu-west', 'Cluster')).toBe('euWest');
    expect(identifierFor('default', 'Cluster')).toBe('defaultCluster');
    expect(identifierFor('1a', 'Cluster')).toBe('cluster1a');
  });
});
