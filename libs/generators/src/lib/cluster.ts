import { generateFiles, type Tree } from '@nx/devkit';
import { join } from 'node:path';
import ts from 'typescript';
import { addFleetEnvironment, readFleetEnvironments } from './catalog-file';
import { emptyTenantsFile } from './tenants-file';
import {
  AREA_FILES,
  assertDnsLabel,
  CLUSTER_CONFIG_TYPES,
  CLUSTERS_DIR,
  FLEET_INDEX,
  identifierFor,
  listClusters,
  readClusterFacts,
  readStringUnion,
  readText,
} from './fleet-layout';
import { retargetStrings } from './retarget';
import { quote, SourceEditor, SourceShapeError } from './source-edit';

/** Options of `nx g ./libs/generators:cluster <name>` (see cluster.schema.json). */
export interface ClusterGeneratorOptions {
  /** Cluster name: the folder under clusters/ and apps/fleet/src/lib/clusters/. A DNS label. */
  readonly name: string;
  /** 12-digit AWS account id. */
  readonly account: string;
  /** `https://oidc.eks.<region>.amazonaws.com/id/<ID>` (`aws eks describe-cluster --query cluster.identity.oidc.issuer`). */
  readonly oidcIssuerUrl: string;
  /** One of the `Environment` values of @flotilla/config (dev, staging, prod). */
  readonly environment: string;
  /** AWS region. @default - the region of the OIDC issuer URL */
  readonly region?: string;
  /** Kubernetes minor version. @default - the version of the cluster the platform files are copied from */
  readonly kubernetesVersion?: string;
  /** Discovery tag `key=value`. @default 'karpenter.sh/discovery=<name>' */
  readonly discoveryTag?: string;
  /** The EKS cluster name in AWS. @default - same as `name` (the field is left out) */
  readonly eksClusterName?: string;
  /** @default 'arn:aws:iam::<account>:role/<name>-ack-iam-controller' */
  readonly ackIamControllerRoleArn?: string;
  /** @default 'flotilla-artifacts-<account>-<region>' */
  readonly artifactsBucket?: string;
  /**
   * The cluster's VPC (`vpc` in facts.ts), which the copied platform units read (the load balancer
   * controller's VPC id, Kong's trusted CIDR): its id and CIDR, the database subnets' CIDR and ids
   * (comma-separated, two or more) and the database security group; all five or none.
   *
   * @default - no `vpc` in facts.ts (synth then names the missing fact)
   */
  readonly vpcId?: string;
  readonly vpcCidr?: string;
  readonly databaseSubnetsCidr?: string;
  readonly databaseSubnetIds?: string;
  readonly databaseSecurityGroup?: string;
  /**
   * Existing cluster whose platform-controllers.ts and platform-configs.ts are copied.
   *
   * @default - the first cluster of the same environment, else the first cluster of the fleet
   */
  readonly copyFrom?: string;
}

interface NormalizedClusterOptions {
  readonly name: string;
  readonly exportName: string;
  readonly account: string;
  readonly region: string;
  readonly environment: string;
  readonly kubernetesVersion: string;
  readonly oidcIssuerId: string;
  readonly discoveryTag: { key: string; value: string };
  readonly eksClusterName: string;
  /** TypeScript expressions on the cluster's facts `c`, e.g. `c.roleArn(…)`. */
  readonly ackIamControllerRoleArn: string;
  readonly artifactsBucket: string;
  readonly copyFrom: string | undefined;
  /** The `vpc` facts, rendered into facts.ts; ClusterFacts validates them when the fleet loads. */
  readonly vpc: { readonly id: string; readonly cidr: string; readonly databaseSubnetsCidr: string; readonly databaseSubnetIds: string; readonly databaseSecurityGroup: string } | undefined;
}

const OIDC_ISSUER = /^https:\/\/oidc\.eks\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/id\/([A-F0-9]{32})$/;

/**
 * Adds a cluster to the fleet: `apps/fleet/src/lib/clusters/<name>/` with its typed facts in
 * `facts.ts`, `index.ts` deriving the rest with `defineCluster`, the platform files copied from an
 * existing cluster, an empty tenants list, and the registration in `apps/fleet/src/index.ts`. A new
 * environment joins `FleetEnvironment`, and every catalog team gets a copy of the settings of the
 * copied cluster's environment. The next `npm run synth` renders `clusters/<name>/`.
 */
export async function clusterGenerator(tree: Tree, options: ClusterGeneratorOptions): Promise<void> {
  const opts = normalizeClusterOptions(tree, options);
  const folder = `${CLUSTERS_DIR}/${opts.name}`;
  generateFiles(tree, join(__dirname, '../../files/cluster'), folder, { ...opts, eksClusterName: opts.eksClusterName === opts.name ? '' : opts.eksClusterName });
  const source = opts.copyFrom ? readClusterFacts(tree, opts.copyFrom) : undefined;
  addFleetEnvironment(tree, opts.environment, source?.environment ?? readFleetEnvironments(tree)[0]!);
  for (const area of [AREA_FILES.platformControllers, AREA_FILES.platformConfigs]) {
    if (!opts.copyFrom || !source) {
      tree.write(`${folder}/${area}`, emptyAreaFile(area));
      continue;
    }
    const path = `${CLUSTERS_DIR}/${opts.copyFrom}/${area}`;
    if (!source.account || !source.region) throw new SourceShapeError(`${CLUSTERS_DIR}/${opts.copyFrom}/${AREA_FILES.facts}`, "string literals for 'account' and 'region'");
    const copy = retargetStrings(path, readText(tree, path), { name: opts.copyFrom, account: source.account, region: source.region }, opts);
    // Say where the settings came from, so the review looks at them with the new cluster in mind.
    const note = `// Copied from cluster '${opts.copyFrom}' by the cluster generator${copy.changed.length ? `, with its account, region and name in strings rewritten for '${opts.name}'` : ''}; review the settings.\n`;
    tree.write(`${folder}/${area}`, note + copy.text);
  }
  tree.write(`${folder}/${AREA_FILES.tenants}`, emptyTenantsFile());
  registerCluster(tree, opts.name, opts.exportName);
}

export default clusterGenerator;

function normalizeClusterOptions(tree: Tree, options: ClusterGeneratorOptions): NormalizedClusterOptions {
  const name = String(options.name ?? '');
  assertDnsLabel('cluster name', name);
  const existing = listClusters(tree);
  if (existing.includes(name) || tree.exists(`${CLUSTERS_DIR}/${name}`)) {
    throw new Error(`cluster '${name}' already exists (${CLUSTERS_DIR}/${name}); pick another name or edit its index.ts`);
  }
  const account = String(options.account ?? '');
  if (!/^\d{12}$/.test(account)) throw new Error(`--account '${account}' must be a 12-digit AWS account id, e.g. --account 123456789012`);
  const oidcIssuerUrl = String(options.oidcIssuerUrl ?? '');
  const oidc = OIDC_ISSUER.exec(oidcIssuerUrl);
  if (!oidc) {
    throw new Error(
      `--oidcIssuerUrl '${oidcIssuerUrl}' must be the cluster's OIDC issuer, 'https://oidc.eks.<region>.amazonaws.com/id/<32 hex digits>' ` +
        `(aws eks describe-cluster --name <cluster> --query cluster.identity.oidc.issuer)`,
    );
  }
  const region = options.region ?? oidc[1]!;
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`--region '${region}' must be an AWS region, e.g. eu-north-1`);
  if (region !== oidc[1]) throw new Error(`--region '${region}' differs from the region of --oidcIssuerUrl ('${oidc[1]}'); an EKS issuer is in the cluster's region`);
  const environments = readStringUnion(tree, CLUSTER_CONFIG_TYPES, 'Environment');
  const environment = String(options.environment ?? '');
  if (!environments.includes(environment)) throw new Error(`--environment '${environment}' must be one of ${environments.join(', ')}`);
  const copyFrom = options.copyFrom ?? existing.find((cluster) => readClusterFacts(tree, cluster).environment === environment) ?? existing[0];
  if (copyFrom !== undefined && !existing.includes(copyFrom)) {
    throw new Error(`--copyFrom '${copyFrom}' is not a cluster of the fleet; choose one of: ${existing.join(', ') || '(none)'}`);
  }
  const versions = readStringUnion(tree, CLUSTER_CONFIG_TYPES, 'KubernetesVersion');
  const kubernetesVersion = options.kubernetesVersion ?? (copyFrom ? readClusterFacts(tree, copyFrom).kubernetesVersion : undefined) ?? versions[0]!;
  if (!versions.includes(kubernetesVersion)) throw new Error(`--kubernetesVersion '${kubernetesVersion}' must be one of ${versions.join(', ')}`);
  const tag = options.discoveryTag ?? `karpenter.sh/discovery=${name}`;
  const [key, value, ...extra] = tag.split('=');
  if (!key || value === undefined || extra.length > 0 || !value) throw new Error(`--discoveryTag '${tag}' must be 'key=value', e.g. karpenter.sh/discovery=${name}`);
  // Written as expressions on the facts (`c`), so the account is written once, in facts.ts.
  let ackIamControllerRoleArn = 'c.roleArn(`${c.name}-ack-iam-controller`)';
  if (options.ackIamControllerRoleArn !== undefined) {
    const role = new RegExp(`^arn:aws[a-z-]*:iam::${account}:role/([\\w+=,.@/-]+)$`).exec(options.ackIamControllerRoleArn);
    if (!role) throw new Error(`--ackIamControllerRoleArn '${options.ackIamControllerRoleArn}' must be an IAM role ARN in account ${account}, 'arn:aws:iam::${account}:role/<name>'`);
    ackIamControllerRoleArn = `c.roleArn(${quote(role[1]!)})`;
  }
  let artifactsBucket = "c.bucketName('flotilla-artifacts')";
  if (options.artifactsBucket !== undefined) {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.artifactsBucket)) throw new Error(`--artifactsBucket '${options.artifactsBucket}' must be an S3 bucket name (3-63 lowercase letters, digits, '.', '-')`);
    artifactsBucket = quote(options.artifactsBucket);
  }
  const eksClusterName = options.eksClusterName ?? name;
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(eksClusterName)) throw new Error(`--eksClusterName '${eksClusterName}' must be 1-100 letters, digits, '-' or '_', starting with a letter or digit`);
  return { name, exportName: identifierFor(name, 'Cluster'), account, region, environment, kubernetesVersion, oidcIssuerId: oidc[3]!, discoveryTag: { key, value }, eksClusterName, ackIamControllerRoleArn, artifactsBucket, copyFrom, vpc: vpcOptions(options) };
}

const VPC_OPTIONS = ['vpcId', 'vpcCidr', 'databaseSubnetsCidr', 'databaseSubnetIds', 'databaseSecurityGroup'] as const;

/** The VPC options as template values (ids as a TypeScript list), or undefined when none is given. */
function vpcOptions(options: ClusterGeneratorOptions): NormalizedClusterOptions['vpc'] {
  const given = VPC_OPTIONS.filter((key) => options[key] !== undefined);
  if (given.length === 0) return undefined;
  if (given.length < VPC_OPTIONS.length) {
    throw new Error(`the VPC options go together: missing ${VPC_OPTIONS.filter((key) => !given.includes(key)).map((key) => `--${key}`).join(', ')} (given ${given.map((key) => `--${key}`).join(', ')})`);
  }
  const text = (key: (typeof VPC_OPTIONS)[number]) => String(options[key]);
  for (const key of VPC_OPTIONS) if (!/^[A-Za-z0-9./,-]+$/.test(text(key))) throw new Error(`--${key} '${text(key)}' has characters no VPC id, CIDR or subnet list has`);
  const ids = text('databaseSubnetIds').split(',').map((id) => quote(id.trim()));
  return { id: text('vpcId'), cidr: text('vpcCidr'), databaseSubnetsCidr: text('databaseSubnetsCidr'), databaseSubnetIds: ids.join(', '), databaseSecurityGroup: text('databaseSecurityGroup') };
}

function emptyAreaFile(area: string): string {
  const doc =
    area === AREA_FILES.platformControllers
      ? 'Add-on controllers this cluster runs (layer infra-controllers), each with its typed settings.'
      : 'Platform configuration this cluster runs (NodePools, secret stores, constraints, account policies).';
  const name = area === AREA_FILES.platformControllers ? 'platformControllers' : 'platformConfigs';
  return `import type { Unit } from '@flotilla/config';\nimport type { FleetCluster } from '../../fleet-defaults';\n\n/** ${doc} */\nexport const ${name} = (_c: FleetCluster): Unit[] => [];\n`;
}

/** Adds the import, the `defineFleet({ clusters: [...] })` entry and the re-export to apps/fleet/src/index.ts. */
function registerCluster(tree: Tree, name: string, exportName: string): void {
  const editor = new SourceEditor(FLEET_INDEX, readText(tree, FLEET_INDEX));
  const calls = editor.callsTo('defineFleet');
  const argument = calls.length === 1 ? calls[0]!.arguments?.[0] : undefined;
  const clusters = argument && ts.isObjectLiteralExpression(argument) ? editor.property(argument, 'clusters')?.initializer : undefined;
  if (!clusters || !ts.isArrayLiteralExpression(clusters)) {
    throw new SourceShapeError(FLEET_INDEX, "exactly one 'defineFleet({ clusters: [ … ] })' call");
  }
  if (editor.topLevelNames().has(exportName)) throw new SourceShapeError(FLEET_INDEX, `no top-level name '${exportName}' yet`, `rename the existing '${exportName}'`);
  // Follow the file's import style ('./lib/clusters/dev/index' or './lib/clusters/dev').
  const withIndex = editor.source.statements.some(
    (s) => ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier) && /^\.\/lib\/clusters\/[^/]+\/index$/.test(s.moduleSpecifier.text),
  );
  editor.ensureNamedImport(exportName, `./lib/clusters/${name}${withIndex ? '/index' : ''}`);
  editor.appendToArray(clusters, exportName);
  // `export { dev, prod };` re-exports every cluster; keep it complete when it is there.
  const reExport = editor.source.statements.find(
    (s): s is ts.ExportDeclaration => ts.isExportDeclaration(s) && !s.moduleSpecifier && !!s.exportClause && ts.isNamedExports(s.exportClause),
  );
  if (reExport && reExport.exportClause && ts.isNamedExports(reExport.exportClause)) {
    const elements = reExport.exportClause.elements;
    const last = elements[elements.length - 1];
    if (last) editor.insert(elements.hasTrailingComma ? editor.text.indexOf(',', last.getEnd()) + 1 : last.getEnd(), `${elements.hasTrailingComma ? ' ' : ', '}${exportName}`);
    else editor.insert(reExport.exportClause.getStart() + 1, ` ${exportName} `);
  }
  tree.write(FLEET_INDEX, editor.apply());
}
