import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedFromWorkspace, withoutStaging } from '../testing';
import { clusterGenerator, type ClusterGeneratorOptions } from './cluster';
import { CLUSTERS_DIR, FLEET_INDEX, identifierFor } from './fleet-layout';
import { retargetStrings } from './retarget';

const OIDC = 'https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF';
const staging: ClusterGeneratorOptions = { name: 'staging', account: '333333333333', environment: 'staging', oidcIssuerUrl: OIDC };

describe('cluster generator', () => {
  let tree: Tree;
  beforeEach(() => {
    // GIVEN the real fleet and config types, in a virtual tree
    tree = createTreeWithEmptyWorkspace();
    seedFromWorkspace(tree, 'apps/fleet/src', 'libs/config/src/lib/cluster-config.ts');
    withoutStaging(tree);
  });

  it('writes the typed facts once, in facts.ts, and derives the bootstrap role and bucket from them in index.ts', async () => {
    await clusterGenerator(tree, staging);
    const facts = tree.read(`${CLUSTERS_DIR}/staging/facts.ts`, 'utf-8')!;
    expect(facts).toContain('export const facts = new ClusterFacts({');
    expect(facts).toContain("  name: 'staging',\n  account: '333333333333',\n  region: 'eu-west-1',\n  environment: 'staging',\n  kubernetesVersion: '1.35',\n");
    expect(facts).toContain("  oidcIssuerId: '0123456789ABCDEF0123456789ABCDEF',");
    expect(facts).toContain("  discoveryTag: { key: 'karpenter.sh/discovery', value: 'staging' },");
    expect(facts).not.toContain('eksClusterName');
    const index = tree.read(`${CLUSTERS_DIR}/staging/index.ts`, 'utf-8')!;
    expect(index).toContain('export const staging = defineCluster(facts, (c) => ({');
    expect(index).toContain('  bootstrap: { ackIamControllerRoleArn: c.roleArn(`${c.name}-ack-iam-controller`) },');
    expect(index).toContain("  artifacts: { bucket: c.bucketName('flotilla-artifacts') },");
    expect(index).toContain('  units: [...platformControllers(c), ...platformConfigs(c), ...tenants(c)],');
    expect(index).not.toContain('333333333333');
  });

  it('adds a new environment to the fleet, copying each catalog team\'s settings of the copied cluster\'s environment', async () => {
    await clusterGenerator(tree, staging); // copies dev
    expect(tree.read('apps/fleet/src/lib/fleet-defaults.ts', 'utf-8')).toContain("export type FleetEnvironment = 'dev' | 'prod' | 'staging';");
    const imagegen = tree.read('apps/fleet/src/lib/teams/imagegen.ts', 'utf-8')!;
    const dev = /\n {4}dev: (\{[\s\S]*?\n {4}\}),\n/.exec(imagegen)![1]!;
    expect(imagegen).toContain(`\n    staging: ${dev},\n`);
    // AND a second cluster of that environment changes nothing there
    const before = tree.read('apps/fleet/src/lib/teams/imagegen.ts', 'utf-8');
    await clusterGenerator(tree, { ...staging, name: 'staging-2' });
    expect(tree.read('apps/fleet/src/lib/teams/imagegen.ts', 'utf-8')).toBe(before);
  });

  it('registers the cluster in defineFleet and the re-export of apps/fleet/src/index.ts', async () => {
    const before = tree.read(FLEET_INDEX, 'utf-8')!;
    await clusterGenerator(tree, staging);
    const after = tree.read(FLEET_INDEX, 'utf-8')!;
    expect(after).toContain("import { staging } from './lib/clusters/staging/index';");
    expect(after).toMatch(/defineFleet\(\{ clusters: \[[^\]]*, staging\](, codeowners)?(, releases: fleetReleases)? \}\)/);
    expect(after).toMatch(/export \{ [^}]*, staging \};/);
    // Only those three places changed.
    expect(after.split('\n').length).toBe(before.split('\n').length + 1);
  });

  it('copies the platform files of the first cluster with the same environment, and starts with no tenants', async () => {
    tree.write(`${CLUSTERS_DIR}/prod/platform-configs.ts`, `// prod only\n${tree.read(`${CLUSTERS_DIR}/prod/platform-configs.ts`, 'utf-8')}`);
    await clusterGenerator(tree, { ...staging, name: 'prod-2', environment: 'prod' });
    const copy = tree.read(`${CLUSTERS_DIR}/prod-2/platform-configs.ts`, 'utf-8')!;
    expect(copy).toMatch(/^\/\/ Copied from cluster 'prod' by the cluster generator.*; review the settings\.\n\/\/ prod only\n/);
    expect(tree.read(`${CLUSTERS_DIR}/prod-2/tenants.ts`, 'utf-8')).toMatch(/export const tenants = \(_c: FleetCluster\): Unit\[\] => \[\];/);
    expect(tree.read(FLEET_INDEX, 'utf-8')).toContain("import { prod2 } from './lib/clusters/prod-2/index';");
  });

  it("rewrites the source cluster's account, region and name in the copied strings", async () => {
    await clusterGenerator(tree, staging); // copies dev (no staging cluster yet)
    for (const area of ['platform-controllers.ts', 'platform-configs.ts']) {
      const copy = tree.read(`${CLUSTERS_DIR}/staging/${area}`, 'utf-8')!;
      expect(copy, area).not.toContain('111111111111');
      expect(copy.split('\n').slice(1).join('\n'), area).toBe(
        retargetStrings(area, tree.read(`${CLUSTERS_DIR}/dev/${area}`, 'utf-8')!, { name: 'dev', account: '111111111111', region: 'eu-north-1' }, { name: 'staging', account: '333333333333', region: 'eu-west-1' }).text,
      );
    }
  });

  it('rewrites only strings: account-qualified regions and the cluster name as its own token', () => {
    const source = [
      "const registry = '111111111111.dkr.ecr.eu-north-1.amazonaws.com/';",
      "const other = 'public.ecr.aws/eu-north-1';",
      "const role = 'dev-karpenter';",
      "const group = 'developers';",
      'const bucket = `imagegen-${x}-111111111111-eu-north-1`;',
      '// dev comment 111111111111',
      '',
    ].join('\n');
    const result = retargetStrings('f.ts', source, { name: 'dev', account: '111111111111', region: 'eu-north-1' }, { name: 'qa', account: '444444444444', region: 'us-east-1' });
    expect(result.text).toBe(
      [
        "const registry = '444444444444.dkr.ecr.us-east-1.amazonaws.com/';",
        "const other = 'public.ecr.aws/eu-north-1';",
        "const role = 'qa-karpenter';",
        "const group = 'developers';",
        'const bucket = `imagegen-${x}-444444444444-us-east-1`;',
        '// dev comment 111111111111',
        '',
      ].join('\n'),
    );
    expect(result.changed).toHaveLength(3);
  });

  it('takes explicit facts over the defaults', async () => {
    await clusterGenerator(tree, {
      ...staging,
      kubernetesVersion: '1.36',
      discoveryTag: 'example.com/cluster=blue',
      eksClusterName: 'staging-blue',
      artifactsBucket: 'my-artifacts',
      ackIamControllerRoleArn: 'arn:aws:iam::333333333333:role/platform/ack-iam',
      copyFrom: 'prod',
    });
    const facts = tree.read(`${CLUSTERS_DIR}/staging/facts.ts`, 'utf-8')!;
    expect(facts).toContain("  eksClusterName: 'staging-blue',\n  account:");
    expect(facts).toContain("  kubernetesVersion: '1.36',");
    expect(facts).toContain("  discoveryTag: { key: 'example.com/cluster', value: 'blue' },");
    const index = tree.read(`${CLUSTERS_DIR}/staging/index.ts`, 'utf-8')!;
    expect(index).toContain("ackIamControllerRoleArn: c.roleArn('platform/ack-iam') },");
    expect(index).toContain("bucket: 'my-artifacts' }");
  });

  it('accepts the account as a number, as the Nx command line passes it', async () => {
    await clusterGenerator(tree, { ...staging, account: 333333333333 as unknown as string });
    expect(tree.read(`${CLUSTERS_DIR}/staging/facts.ts`, 'utf-8')).toContain("account: '333333333333',");
  });

  it.each([
    [{ account: '12345' }, "--account '12345' must be a 12-digit AWS account id"],
    [{ oidcIssuerUrl: 'https://example.com' }, "--oidcIssuerUrl 'https://example.com' must be the cluster's OIDC issuer"],
    [{ region: 'eu-north-1' }, "--region 'eu-north-1' differs from the region of --oidcIssuerUrl ('eu-west-1')"],
    [{ environment: 'qa' }, "--environment 'qa' must be one of dev, staging, prod"],
    [{ kubernetesVersion: '1.30' }, "--kubernetesVersion '1.30' must be one of 1.34, 1.35, 1.36"],
    [{ name: 'Staging' }, "cluster name 'Staging' must be a DNS label"],
    [{ name: 'dev' }, "cluster 'dev' already exists"],
    [{ copyFrom: 'qa' }, "--copyFrom 'qa' is not a cluster of the fleet; choose one of: dev, prod"],
    [{ discoveryTag: 'karpenter.sh/discovery' }, "--discoveryTag 'karpenter.sh/discovery' must be 'key=value'"],
    [{ ackIamControllerRoleArn: 'arn:aws:iam::444444444444:role/ack' }, "--ackIamControllerRoleArn 'arn:aws:iam::444444444444:role/ack' must be an IAM role ARN in account 333333333333"],
  ])('fails if an option is wrong: %j', async (override, message) => {
    await expect(clusterGenerator(tree, { ...staging, ...override })).rejects.toThrow(message);
    expect(tree.exists(`${CLUSTERS_DIR}/staging/index.ts`)).toBe(false);
  });

  it('fails if apps/fleet/src/index.ts no longer has the defineFleet shape it edits', async () => {
    tree.write(FLEET_INDEX, "import { fleetFrom } from './lib/load';\nexport const fleet = fleetFrom('./clusters');\n");
    await expect(clusterGenerator(tree, staging)).rejects.toThrow("apps/fleet/src/index.ts: expected exactly one 'defineFleet({ clusters: [ … ] })' call");
  });

  it('names the export after the cluster, avoiding reserved words and leading digits', () => {
    expect(identifierFor('eu-west', 'Cluster')).toBe('euWest');
    expect(identifierFor('default', 'Cluster')).toBe('defaultCluster');
    expect(identifierFor('1a', 'Cluster')).toBe('cluster1a');
  });
});
