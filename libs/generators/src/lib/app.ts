import { generateFiles, getProjects, type Tree } from '@nx/devkit';
import { join } from 'node:path';
import { digestPinProblem } from '@flotilla/model';
import { assertDnsLabel, identifierFor, listClusters, readClusterConstraints, registryOf } from './fleet-layout';
import { ReleasesFile } from './releases-file';
import { quote } from './source-edit';
import { TenantsFile } from './tenants-file';

/** Options of `nx g ./libs/generators:app <name> --team <team> --image <ref@sha256:…>` (see app.schema.json). */
export interface AppGeneratorOptions {
  /** App name: the Nx project, the unit, and the name of its Deployment and Service. A DNS label of at most 52 characters. */
  readonly name: string;
  /** The owning team; it must be listed in the platform's tenants (apps/fleet/src/lib/platform/tenants.ts). */
  readonly team: string;
  /**
   * The image by digest, `[registry/]repository[:tag]@sha256:<64 hex>` (without a registry host: the
   * cluster's own ECR registry), the rule `flotilla set-image` applies. It becomes the app's release
   * pin `web` on every stage.
   */
  readonly image: string;
  /** UID the container runs as. @default - 101 for NGINX's unprivileged image (its nginx user), else the WebService default */
  readonly runAsUser?: number;
}

/** The app's one release pin (releases.ts: `'<app>': { web: '<image>' }`). */
export const APP_PIN = 'web';
/** NGINX's unprivileged image runs as its nginx user, 101. */
const NGINX_UNPRIVILEGED = 'public.ecr.aws/nginx/nginx-unprivileged';

/** `pin` as cluster `cluster` pulls it: with the cluster's own registry when the pin names no registry host (as `imageOn` does). */
function imageOnCluster(tree: Tree, cluster: string, pin: string): string {
  const first = pin.split('/')[0] ?? '';
  const hasRegistry = pin.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return hasRegistry ? pin : `${registryOf(tree, cluster) ?? '<registry>'}/${pin}`;
}

/**
 * Creates an app project `charts/workloads/<name>/` (a unit factory on `WebService` from `@flotilla/workloads`,
 * a passing behaviour test, synth/test/typecheck/lint targets), pins its image for every stage in
 * `apps/fleet/src/lib/releases.ts`, and lists its unit in the platform's tenants, reading its image
 * from the pins. The next `npm run synth` renders `clusters/<cluster>/apps/<name>/` on every cluster.
 */
export async function appGenerator(tree: Tree, options: AppGeneratorOptions): Promise<void> {
  const name = String(options.name ?? '');
  assertDnsLabel('app name', name);
  if (name.length > 52) throw new Error(`app name '${name}' is ${name.length} characters; at most 52 (it names the Deployment, whose pod names get a suffix)`);
  const team = String(options.team ?? '');
  if (!team) throw new Error(`--team is required: the team that owns the app, e.g. --team team-a (add a team with 'nx g ./libs/generators:team')`);
  assertDnsLabel('--team', team);
  const root = `charts/workloads/${name}`;
  if (tree.exists(root) || getProjects(tree).has(name)) throw new Error(`a project named '${name}' (or the folder ${root}) already exists; pick another app name`);
  const image = String(options.image ?? '');
  if (!image) throw new Error(`--image is required: the app's image by digest, e.g. --image ${NGINX_UNPRIVILEGED}:1.29.3-alpine@sha256:<64 hex digits> ('crane digest <image>' prints it)`);
  const problem = digestPinProblem(image);
  if (problem) throw new Error(`--image: ${problem}`);
  const clusters = listClusters(tree);
  for (const cluster of clusters) {
    const allowed = readClusterConstraints(tree, cluster).allowedRepositories;
    const pulled = imageOnCluster(tree, cluster, image);
    if (allowed && !allowed.some((prefix) => pulled.startsWith(prefix))) {
      throw new Error(
        `cluster '${cluster}' allows images only from ${allowed.join(', ')} (its own registry and allowedPublicRepositories of its environment in apps/fleet/src/lib/platform/settings.ts); ` +
          `--image '${image}' is not one of them`,
      );
    }
  }
  const example = imageOnCluster(tree, clusters[0] ?? '', image);
  const runAsUser = options.runAsUser ?? (example.startsWith(`${NGINX_UNPRIVILEGED}:`) || example.startsWith(`${NGINX_UNPRIVILEGED}@`) ? 101 : undefined);
  if (runAsUser !== undefined && (!Number.isInteger(runAsUser) || runAsUser < 1)) throw new Error(`--runAsUser '${runAsUser}' must be a positive integer (a non-root UID)`);
  const factory = identifierFor(name, 'App');
  const className = factory.charAt(0).toUpperCase() + factory.slice(1);

  // Edit the tenants and the pins before writing anything, so a missing team leaves the workspace as it was.
  const tenants = TenantsFile.read(tree);
  tenants.addApp({ project: name, factory, team, settings: (c) => [`image: imageOn(${c}, releases.of(${c}.environment)[${quote(name)}].${APP_PIN})`] });
  tenants.ensureImport('imageOn', '../teams');
  tenants.ensureImport('releases', '../releases');
  const releases = ReleasesFile.read(tree);
  releases.addUnit(name, { [APP_PIN]: image });
  generateFiles(tree, join(__dirname, '../../files/app'), root, { name, team, image: example, runAsUser, propertyName: factory, className });
  tenants.save();
  releases.save();
}

export default appGenerator;
