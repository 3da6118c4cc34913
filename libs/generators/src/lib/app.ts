import { generateFiles, getProjects, type Tree } from '@nx/devkit';
import { join } from 'node:path';
import { assertDnsLabel, identifierFor, readClusterConstraints, resolveClusters } from './fleet-layout';
import { quote } from './source-edit';
import { TenantsFile } from './tenants-file';

/** Options of `nx g ./libs/generators:app <name> --team <team>` (see app.schema.json). */
export interface AppGeneratorOptions {
  /** App name: the Nx project, the unit, and the name of its Deployment and Service. A DNS label of at most 52 characters. */
  readonly name: string;
  /** The owning team; it must be declared in the tenants of every cluster the app runs on. */
  readonly team: string;
  /** Clusters that run the app, comma-separated. @default - every cluster of the fleet */
  readonly clusters?: string;
  /** Container image with registry and tag or digest. @default 'public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine' */
  readonly image?: string;
  /**
   * Digest of the image (`sha256:<64 hex>`, e.g. from `crane digest <image>`), for clusters whose
   * constraints require digests (`requireImageDigests: true`); there the unit gets the pinned image.
   *
   * @default - none; generating for such a cluster then fails unless `image` already has a digest
   */
  readonly imageDigest?: string;
  /** UID the container runs as. @default - 101 for the default image (its nginx user), else the WebService default */
  readonly runAsUser?: number;
}

export const DEFAULT_APP_IMAGE = 'public.ecr.aws/nginx/nginx-unprivileged:1.29.3-alpine';
const IMAGE = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:\d{1,5})?\/[a-z0-9]+([._/-][a-z0-9]+)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$/;

/**
 * Creates an app project `charts/workloads/<name>/` (a unit factory on `WebService` from `@flotilla/workloads`,
 * a passing behaviour test, synth/test/typecheck/lint targets) and lists its unit in the tenants of
 * the clusters that run it. The next `npm run synth` renders `clusters/<cluster>/charts/workloads/<name>/`.
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
  const image = options.image ?? DEFAULT_APP_IMAGE;
  if (!IMAGE.test(image) || !/(:[^/]+|@sha256:[a-f0-9]{64})$/.test(image) || /:latest$/.test(image)) {
    throw new Error(`--image '${image}' must be 'registry/repository:tag' or '…@sha256:<digest>' with an explicit registry and a tag other than latest, e.g. ${DEFAULT_APP_IMAGE}`);
  }
  const runAsUser = options.runAsUser ?? (image === DEFAULT_APP_IMAGE ? 101 : undefined);
  if (runAsUser !== undefined && (!Number.isInteger(runAsUser) || runAsUser < 1)) throw new Error(`--runAsUser '${runAsUser}' must be a positive integer (a non-root UID)`);
  const digest = options.imageDigest;
  if (digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(digest)) throw new Error(`--imageDigest '${digest}' must be 'sha256:' and 64 lowercase hex digits (crane digest ${image})`);
  if (digest !== undefined && image.includes('@')) throw new Error(`--imageDigest and an --image with a digest ('${image}') exclude each other; give the digest once`);
  const clusters = resolveClusters(tree, options.clusters);
  const factory = identifierFor(name, 'App');
  const className = factory.charAt(0).toUpperCase() + factory.slice(1);

  // Edit every tenants file before writing anything, so a missing team leaves the workspace as it was.
  const files = clusters.map((cluster) => TenantsFile.read(tree, cluster));
  for (const file of files) {
    const policy = readClusterConstraints(tree, file.cluster);
    const allowed = policy.allowedRepositories;
    if (allowed && !allowed.some((prefix) => image.startsWith(prefix))) {
      throw new Error(`cluster '${file.cluster}' allows images only from ${allowed.join(', ')} (allowedRepositories in its platform-configs.ts); --image '${image}' is not one of them`);
    }
    const settings: string[] = [];
    if (policy.requireDigests && !image.includes('@sha256:')) {
      if (!digest) {
        throw new Error(
          `cluster '${file.cluster}' requires image digests (requireImageDigests in its platform-configs.ts); ` +
            `pass --imageDigest sha256:<digest> (crane digest ${image}), or an --image with @sha256:<digest>, or leave the cluster out with --clusters`,
        );
      }
      settings.push(`image: ImageReference.parse(${quote(`${image}@${digest}`)})`);
      file.ensureImport('ImageReference', '@flotilla/workloads');
    }
    file.addApp({ project: name, factory, team, settings });
  }
  generateFiles(tree, join(__dirname, '../../files/app'), root, { name, team, image, runAsUser, propertyName: factory, className });
  for (const file of files) file.save();
}

export default appGenerator;
