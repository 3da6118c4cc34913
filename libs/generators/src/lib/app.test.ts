import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { seedFromWorkspace, withConstraints } from '../testing';
import { appGenerator, DEFAULT_APP_IMAGE } from './app';
import { teamGenerator } from './team';
import { TenantsFile } from './tenants-file';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('app generator', () => {
  let tree: Tree;
  beforeEach(async () => {
    // GIVEN the real fleet with a team-b on every cluster, in a virtual tree
    tree = createTreeWithEmptyWorkspace();
    seedFromWorkspace(tree, 'apps/fleet/src', 'libs/config/src/lib/cluster-config.ts');
    // AND the example's image constraints: dev takes any ECR Public image by tag, prod only nginx's, by digest
    withConstraints(tree, 'dev', { allowedRepositories: ['111111111111.dkr.ecr.eu-north-1.amazonaws.com/', 'public.ecr.aws/'], requireImageDigests: false });
    withConstraints(tree, 'prod', { allowedRepositories: ['222222222222.dkr.ecr.eu-north-1.amazonaws.com/', 'public.ecr.aws/nginx/'], requireImageDigests: true });
    await teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002' });
  });

  it('creates an Nx app project with synth, test, typecheck and lint targets', async () => {
    await appGenerator(tree, { name: 'shop-api', team: 'team-b', imageDigest: DIGEST });
    const project = JSON.parse(tree.read('charts/workloads/shop-api/project.json', 'utf-8')!) as Record<string, unknown>;
    expect(project).toMatchObject({ name: 'shop-api', projectType: 'library', tags: ['type:unit', 'scope:team-b'], implicitDependencies: ['policies'], targets: { synth: {}, test: {}, typecheck: {}, lint: {} } });
    expect(tree.read('charts/workloads/shop-api/tsconfig.json', 'utf-8')).toContain('"extends": "../../../tsconfig.base.json"');
    expect(tree.read('charts/workloads/shop-api/src/index.ts', 'utf-8')).toBe("export * from './lib/shop-api';\n");
    expect(tree.exists('charts/workloads/shop-api/README.md')).toBe(true);
    expect(tree.exists('charts/workloads/shop-api/src/lib/shop-api.test.ts')).toBe(true);
  });

  it('writes a unit factory on WebService that names the project, the team and the image', async () => {
    await appGenerator(tree, { name: 'shop-api', team: 'team-b', imageDigest: DIGEST });
    const source = tree.read('charts/workloads/shop-api/src/lib/shop-api.ts', 'utf-8')!;
    expect(source).toContain('export function shopApi(props: ShopApiProps): Unit {');
    expect(source).toContain("    name: 'shop-api',\n    project: 'shop-api',\n    // Where the fleet called the factory: render errors name that line.\n    createdAt: unitCallSite(),\n    layer: 'apps',\n    dependsOn: ['teams'],\n    flux: tenantFluxOptions(team),");
    expect(source).toContain(`const DEFAULT_IMAGE = ImageReference.parse('${DEFAULT_APP_IMAGE}');`);
    expect(source).toContain('new WebService(scope, ');
    expect(source).toContain('runAsUser: 101,');
    const test = tree.read('charts/workloads/shop-api/src/lib/shop-api.test.ts', 'utf-8')!;
    expect(test).toContain("const team: TeamConfig = { name: 'team-b', costCenter: 'cc-test', group: 'team-b-developers' };");
  });

  it('lists the unit with its team in the tenants of every cluster, pinned by digest where the cluster requires digests', async () => {
    await appGenerator(tree, { name: 'shop-api', team: 'team-b', imageDigest: DIGEST });
    for (const cluster of ['dev', 'prod']) {
      expect(tree.read(TenantsFile.path(cluster), 'utf-8'), cluster).toContain("import { shopApi } from '@flotilla/charts/workloads/shop-api';");
      expect(TenantsFile.read(tree, cluster).unitFactories()).toContain('shopApi');
    }
    // dev: requireImageDigests false; prod: true
    expect(tree.read(TenantsFile.path('dev'), 'utf-8')).toMatch(/\n {2}shopApi\(\{ team: teamB\.on\(c\) \}\),?\n\];\n$/);
    expect(tree.read(TenantsFile.path('prod'), 'utf-8')).toMatch(
      new RegExp(`\\n {2}shopApi\\(\\{ team: teamB\\.on\\(c\\), image: ImageReference\\.parse\\('${DEFAULT_APP_IMAGE.replace(/[.]/g, '\\.')}@${DIGEST}'\\) \\}\\),?\\n\\];\\n$`),
    );
  });

  it('fails if a cluster requires digests and none is given, naming the option that fixes it', async () => {
    await expect(appGenerator(tree, { name: 'shop-api', team: 'team-b' })).rejects.toThrow(
      `cluster 'prod' requires image digests (requireImageDigests in its platform-configs.ts); pass --imageDigest sha256:<digest> (crane digest ${DEFAULT_APP_IMAGE})`,
    );
    expect(tree.exists('charts/workloads/shop-api/project.json')).toBe(false);
  });

  it('fails if a cluster does not allow the image repository', async () => {
    await expect(appGenerator(tree, { name: 'shop-api', team: 'team-b', image: 'public.ecr.aws/example/shop:1.2.3', imageDigest: DIGEST })).rejects.toThrow(
      "cluster 'prod' allows images only from 222222222222.dkr.ecr.eu-north-1.amazonaws.com/, public.ecr.aws/nginx/ (allowedRepositories in its platform-configs.ts); --image 'public.ecr.aws/example/shop:1.2.3' is not one of them",
    );
  });

  it("reads the real fleet's allowed repositories, its own registry derived from the cluster's facts", async () => {
    // GIVEN the fleet's own platform-configs.ts (allowedRepositories: [`${c.registry}/`, …])
    seedFromWorkspace(tree, 'apps/fleet/src/lib/clusters/prod/platform-configs.ts');
    // THEN prod's registry is allowed and another public repository is refused
    await expect(appGenerator(tree, { name: 'shop-api', team: 'team-b', image: 'public.ecr.aws/example/shop:1.2.3', imageDigest: DIGEST })).rejects.toThrow(
      "cluster 'prod' allows images only from 222222222222.dkr.ecr.eu-north-1.amazonaws.com/, public.ecr.aws/nginx/, public.ecr.aws/aws-appconfig/",
    );
    await appGenerator(tree, { name: 'shop-api', team: 'team-b', clusters: 'prod', image: '222222222222.dkr.ecr.eu-north-1.amazonaws.com/shop:1.2.3', imageDigest: DIGEST });
    expect(TenantsFile.read(tree, 'prod').unitFactories()).toContain('shopApi');
  });

  it('lists the unit only in the clusters given with --clusters, and takes another image', async () => {
    const prod = tree.read(TenantsFile.path('prod'), 'utf-8');
    await appGenerator(tree, { name: 'shop-api', team: 'team-b', clusters: 'dev', image: 'public.ecr.aws/example/shop:1.2.3' });
    expect(tree.read(TenantsFile.path('prod'), 'utf-8')).toBe(prod);
    expect(TenantsFile.read(tree, 'dev').unitFactories()).toContain('shopApi');
    const source = tree.read('charts/workloads/shop-api/src/lib/shop-api.ts', 'utf-8')!;
    expect(source).toContain("ImageReference.parse('public.ecr.aws/example/shop:1.2.3')");
    expect(source).not.toContain('runAsUser');
  });

  it('fails if the team is not declared on a cluster the app runs on, and writes nothing', async () => {
    const dev = tree.read(TenantsFile.path('dev'), 'utf-8');
    await expect(appGenerator(tree, { name: 'shop-api', team: 'team-c', imageDigest: DIGEST })).rejects.toThrow(
      /^team 'team-c' is not declared in apps\/fleet\/src\/lib\/clusters\/dev\/tenants\.ts \(teams there: team-a, .*team-b\); add it first with 'nx g \.\/libs\/generators:team team-c --costCenter <cc> --clusters dev'/,
    );
    expect(tree.exists('charts/workloads/shop-api/project.json')).toBe(false);
    expect(tree.read(TenantsFile.path('dev'), 'utf-8')).toBe(dev);
  });

  it.each([
    [{ name: 'Shop' }, "app name 'Shop' must be a DNS label"],
    [{ name: 'team-a-web' }, "a project named 'team-a-web' (or the folder charts/workloads/team-a-web) already exists"],
    [{ team: '' }, '--team is required'],
    [{ image: 'nginx:1.29' }, "--image 'nginx:1.29' must be 'registry/repository:tag'"],
    [{ image: 'public.ecr.aws/nginx/nginx:latest' }, "--image 'public.ecr.aws/nginx/nginx:latest' must be"],
    [{ clusters: 'staging' }, "--clusters: unknown cluster(s) 'staging'"],
    [{ imageDigest: 'sha256:abc' }, "--imageDigest 'sha256:abc' must be 'sha256:' and 64 lowercase hex digits"],
  ])('fails if an option is wrong: %j', async (override, message) => {
    if ('name' in override && override.name === 'team-a-web') tree.write('charts/workloads/team-a-web/project.json', '{ "name": "team-a-web" }');
    await expect(appGenerator(tree, { name: 'shop-api', team: 'team-b', imageDigest: DIGEST, ...override })).rejects.toThrow(message);
  });

  it('fails if a cluster already lists the app', async () => {
    await appGenerator(tree, { name: 'shop-api', team: 'team-b', clusters: 'dev' });
    tree.delete('charts/workloads/shop-api');
    await expect(appGenerator(tree, { name: 'shop-api', team: 'team-b', imageDigest: DIGEST })).rejects.toThrow("apps/fleet/src/lib/clusters/dev/tenants.ts already lists 'shopApi(…)'");
  });
});
