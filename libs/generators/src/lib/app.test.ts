import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { digestPinProblem } from '@flotilla/model';
import { seedFromWorkspace, withConstraints } from '../testing';
import { appGenerator } from './app';
import { ReleasesFile } from './releases-file';
import { teamGenerator } from './team';
import { TenantsFile } from './tenants-file';

const DIGEST = `sha256:${'ab'.repeat(32)}`;
const NGINX = `public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine@${DIGEST}`;

describe('app generator', () => {
  let tree: Tree;
  beforeEach(async () => {
    // GIVEN the real fleet (dev → staging → prod) with a team-b, in a virtual tree
    tree = createTreeWithEmptyWorkspace();
    seedFromWorkspace(tree, 'apps/fleet/src', 'libs/config/src/lib/cluster-config.ts');
    await teamGenerator(tree, { name: 'team-b', costCenter: 'cc-2002' });
  });

  it('creates an Nx app project with synth, test, typecheck and lint targets', async () => {
    await appGenerator(tree, { name: 'shop-api', team: 'team-b', image: NGINX });
    const project = JSON.parse(tree.read('charts/workloads/shop-api/project.json', 'utf-8')!) as Record<string, unknown>;
    expect(project).toMatchObject({ name: 'shop-api', projectType: 'library', tags: ['type:unit', 'scope:team-b'], implicitDependencies: ['policies'], targets: { synth: {}, test: {}, typecheck: {}, lint: {} } });
    expect(tree.read('charts/workloads/shop-api/tsconfig.json', 'utf-8')).toContain('"extends": "../../../tsconfig.base.json"');
    expect(tree.read('charts/workloads/shop-api/src/index.ts', 'utf-8')).toBe("export * from './lib/shop-api';\n");
    expect(tree.exists('charts/workloads/shop-api/README.md')).toBe(true);
  });

  it('writes a unit factory on WebService that takes its image from the fleet, and a test with the given image', async () => {
    await appGenerator(tree, { name: 'shop-api', team: 'team-b', image: NGINX });
    const source = tree.read('charts/workloads/shop-api/src/lib/shop-api.ts', 'utf-8')!;
    expect(source).toContain('export function shopApi(props: ShopApiProps): Unit {');
    expect(source).toContain("    name: 'shop-api',\n    project: 'shop-api',\n    // Where the fleet called the factory: render errors name that line.\n    createdAt: unitCallSite(),\n    layer: 'apps',\n    dependsOn: ['teams'],\n    flux: tenantFluxOptions(team),");
    expect(source).toContain('  readonly image: ImageReference;');
    expect(source).toContain('        image: props.image,');
    expect(source).toContain('runAsUser: 101,');
    const test = tree.read('charts/workloads/shop-api/src/lib/shop-api.test.ts', 'utf-8')!;
    expect(test).toContain("const team: TeamConfig = { name: 'team-b', costCenter: 'cc-test', group: 'team-b-developers' };");
    expect(test).toContain(`const image = ImageReference.parse('${NGINX}');`);
  });

  it('pins the image for every stage in releases.ts, the same on each, and lists the unit reading its pin', async () => {
    await appGenerator(tree, { name: 'shop-api', team: 'team-b', image: NGINX });
    const pins = tree.read(ReleasesFile.path, 'utf-8')!;
    for (const stage of ['dev', 'staging', 'prod']) {
      const entry = new RegExp(`\\n  ${stage}: \\{[\\s\\S]*?\\n    'shop-api': \\{ web: '${NGINX.replace(/[.]/g, '\\.')}' \\},\\n  \\},`);
      expect(pins, stage).toMatch(entry);
    }
    expect(ReleasesFile.read(tree).units()).toContain('shop-api');
    const tenants = tree.read(TenantsFile.path, 'utf-8')!;
    expect(tenants).toContain("import { shopApi } from '@flotilla/charts/workloads/shop-api';");
    expect(tenants).toMatch(/import \{ [^}]*imageOn[^}]* \} from '\.\.\/teams';/);
    expect(tenants).toContain("import { releases } from '../releases';");
    expect(tenants).toMatch(/\n {2}shopApi\(\{ team: teamB\.on\(c\), image: imageOn\(c, releases\.of\(c\.environment\)\['shop-api'\]\.web\) \}\),?\n\];\n$/);
    expect(TenantsFile.read(tree).unitFactories()).toContain('shopApi');
  });

  it("takes an image in the cluster's own ECR registry (no registry host), as set-image does", async () => {
    await appGenerator(tree, { name: 'shop-api', team: 'team-b', image: `team-b/shop:1.0.0@${DIGEST}` });
    expect(tree.read(ReleasesFile.path, 'utf-8')).toContain(`'shop-api': { web: 'team-b/shop:1.0.0@${DIGEST}' }`);
    // The project's own test runs the image as the first cluster (dev) pulls it; not NGINX, so no runAsUser.
    expect(tree.read('charts/workloads/shop-api/src/lib/shop-api.test.ts', 'utf-8')).toContain(`ImageReference.parse('111111111111.dkr.ecr.eu-north-1.amazonaws.com/team-b/shop:1.0.0@${DIGEST}')`);
    expect(tree.read('charts/workloads/shop-api/src/lib/shop-api.ts', 'utf-8')).not.toContain('runAsUser');
  });

  it.each([`public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine`, `public.ecr.aws/nginx/nginx-unprivileged@sha256:abc`])(
    "fails if the image has no valid digest, with set-image's message, and writes nothing: %s",
    async (image) => {
      const pins = tree.read(ReleasesFile.path, 'utf-8');
      await expect(appGenerator(tree, { name: 'shop-api', team: 'team-b', image })).rejects.toThrow(`--image: ${digestPinProblem(image)}`);
      expect(tree.exists('charts/workloads/shop-api/project.json')).toBe(false);
      expect(tree.read(ReleasesFile.path, 'utf-8')).toBe(pins);
    },
  );

  it("fails if a cluster's environment does not allow the image repository", async () => {
    // GIVEN prod allowing only NGINX's public namespace
    withConstraints(tree, 'prod', { allowedPublicRepositories: ['public.ecr.aws/nginx/'], requireImageDigests: true });
    await expect(appGenerator(tree, { name: 'shop-api', team: 'team-b', image: `public.ecr.aws/example/shop:1.2.3@${DIGEST}` })).rejects.toThrow(
      "cluster 'prod' allows images only from 222222222222.dkr.ecr.eu-north-1.amazonaws.com/, public.ecr.aws/nginx/ (its own registry and allowedPublicRepositories of its environment in apps/fleet/src/lib/platform/settings.ts); --image 'public.ecr.aws/example/shop:1.2.3@sha256:",
    );
  });

  it("reads the real fleet's allowed repositories per environment, each cluster's registry derived from its facts", async () => {
    // prod allows only NGINX's and the AppConfig agent's public namespaces; staging every ECR Public image
    await expect(appGenerator(tree, { name: 'shop-api', team: 'team-b', image: `public.ecr.aws/example/shop:1.2.3@${DIGEST}` })).rejects.toThrow(
      "cluster 'prod' allows images only from 222222222222.dkr.ecr.eu-north-1.amazonaws.com/, public.ecr.aws/nginx/, public.ecr.aws/aws-appconfig/ (",
    );
    // Another account's registry is not the cluster's own
    await expect(appGenerator(tree, { name: 'shop-api', team: 'team-b', image: `999999999999.dkr.ecr.eu-north-1.amazonaws.com/shop:1.2.3@${DIGEST}` })).rejects.toThrow(
      "cluster 'dev' allows images only from 111111111111.dkr.ecr.eu-north-1.amazonaws.com/, public.ecr.aws/ (",
    );
  });

  it('fails if the team is not listed in the tenants, and writes nothing', async () => {
    const [tenants, pins] = [tree.read(TenantsFile.path, 'utf-8'), tree.read(ReleasesFile.path, 'utf-8')];
    await expect(appGenerator(tree, { name: 'shop-api', team: 'team-c', image: NGINX })).rejects.toThrow(
      /^team 'team-c' is not declared in apps\/fleet\/src\/lib\/platform\/tenants\.ts \(teams there: team-a, .*team-b\); add it first with 'nx g \.\/libs\/generators:team team-c --costCenter <cc>'/,
    );
    expect(tree.exists('charts/workloads/shop-api/project.json')).toBe(false);
    expect(tree.read(TenantsFile.path, 'utf-8')).toBe(tenants);
    expect(tree.read(ReleasesFile.path, 'utf-8')).toBe(pins);
  });

  it.each([
    [{ name: 'Shop' }, "app name 'Shop' must be a DNS label"],
    [{ name: 'team-a-web' }, "a project named 'team-a-web' (or the folder charts/workloads/team-a-web) already exists"],
    [{ team: '' }, '--team is required'],
    [{ image: '' }, '--image is required'],
    [{ runAsUser: 0 }, "--runAsUser '0' must be a positive integer"],
  ])('fails if an option is wrong: %j', async (override, message) => {
    if ('name' in override && override.name === 'team-a-web') tree.write('charts/workloads/team-a-web/project.json', '{ "name": "team-a-web" }');
    await expect(appGenerator(tree, { name: 'shop-api', team: 'team-b', image: NGINX, ...override })).rejects.toThrow(message);
  });

  it('fails if the unit already has release pins', async () => {
    await appGenerator(tree, { name: 'shop-api', team: 'team-b', image: NGINX });
    tree.delete('charts/workloads/shop-api');
    // the tenants without the app (its call and import), the pins still there
    tree.write(TenantsFile.path, tree.read(TenantsFile.path, 'utf-8')!.replace(/\n {2}shopApi\([^\n]*\n/, '\n').replace("import { shopApi } from '@flotilla/charts/workloads/shop-api';\n", ''));
    await expect(appGenerator(tree, { name: 'shop-api', team: 'team-b', image: NGINX })).rejects.toThrow(
      "apps/fleet/src/lib/releases.ts already pins unit 'shop-api'; change its pins with 'flotilla set-image shop-api --stage <stage> --image <ref@sha256:…>'",
    );
  });

  it('fails if the tenants already list the app', async () => {
    await appGenerator(tree, { name: 'shop-api', team: 'team-b', image: NGINX });
    tree.delete('charts/workloads/shop-api');
    await expect(appGenerator(tree, { name: 'shop-api', team: 'team-b', image: NGINX })).rejects.toThrow("apps/fleet/src/lib/platform/tenants.ts already lists 'shopApi(…)'");
  });
});
