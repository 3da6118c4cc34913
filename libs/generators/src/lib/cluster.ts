import { generateFiles, type Tree } from '@nx/devkit';
import { join } from 'node:path';
import ts from 'typescript';
import {
  assertDnsLabel,
  CLUSTER_CONFIG_TYPES,
  CLUSTERS_DIR,
  FLEET_DEFAULTS,
  FLEET_INDEX,
  identifierFor,
  listClusters,
  readClusterFacts,
  readStages,
  readStringUnion,
  readText,
} from './fleet-layout';
import { SourceEditor, SourceShapeError } from './source-edit';

/** Options of `nx g ./libs/generators:cluster <name>` (see cluster.schema.json). */
export interface ClusterGeneratorOptions {
  /** Cluster name: the folder under clusters/ and apps/fleet/src/lib/clusters/. A DNS label. */
  readonly name: string;
  /** 12-digit AWS account id. */
  readonly account: string;
  /** `https://oidc.eks.<region>.amazonaws.com/id/<ID>` (`aws eks describe-cluster --query cluster.identity.oidc.issuer`). */
  readonly oidcIssuerUrl: string;
  /** The cluster's stage: one of the fleet's stages (`defineStages` in fleet-defaults.ts), e.g. dev, staging, prod. */
  readonly environment: string;
  /** The VPC's id (`vpc-…`), which the load balancer controller reads. */
  readonly vpcId: string;
  /** The VPC's IPv4 CIDR, e.g. `10.40.0.0/16` (team egress, the database rules and Kong's trusted PROXY source derive from the facts). */
  readonly vpcCidr: string;
  /** The CIDR covering the database subnets, inside the VPC's, e.g. `10.40.64.0/20`. */
  readonly databaseSubnetsCidr: string;
  /** The database subnets, comma-separated, in at least two availability zones (an RDS subnet group needs two). */
  readonly databaseSubnetIds: string | readonly string[];
  /** The security group that admits the cluster's pods to the databases (`c.securityGroup('database')`). */
  readonly databaseSecurityGroup: string;
  /** AWS region. @default - the region of the OIDC issuer URL */
  readonly region?: string;
  /** Kubernetes minor version. @default - the version of the first cluster of the same stage, else of the first cluster */
  readonly kubernetesVersion?: string;
  /** Discovery tag `key=value`. @default 'karpenter.sh/discovery=<name>' */
  readonly discoveryTag?: string;
  /** The EKS cluster name in AWS. @default - same as `name` (the field is left out) */
  readonly eksClusterName?: string;
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
  readonly vpc: { id: string; cidr: string; databaseSubnetsCidr: string; subnetIds: string[]; securityGroup: string };
}

const OIDC_ISSUER = /^https:\/\/oidc\.eks\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/id\/([A-F0-9]{32})$/;

/**
 * Adds a cluster to the fleet: `apps/fleet/src/lib/clusters/<name>/` with its typed facts in
 * `facts.ts` and an `index.ts` that runs the platform of its environment (`fleetCluster(c)`: the
 * areas of `apps/fleet/src/lib/platform/`, the environment's typed settings and release pins), and
 * the registration in `apps/fleet/src/index.ts`. Nothing is copied: clusters differ only through
 * typed values. The next `npm run synth` renders `clusters/<name>/`.
 */
export async function clusterGenerator(tree: Tree, options: ClusterGeneratorOptions): Promise<void> {
  const opts = normalizeClusterOptions(tree, options);
  const folder = `${CLUSTERS_DIR}/${opts.name}`;
  generateFiles(tree, join(__dirname, '../../files/cluster'), folder, { ...opts, eksClusterName: opts.eksClusterName === opts.name ? '' : opts.eksClusterName });
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
  const stages = readStages(tree);
  const environment = String(options.environment ?? '');
  if (!stages.includes(environment)) {
    throw new Error(
      `--environment '${environment}' must be one of the fleet's stages: ${stages.join(', ')} (defineStages in ${FLEET_DEFAULTS}); ` +
        `a new stage needs its place in that order, its platformSettings entry (apps/fleet/src/lib/platform/settings.ts), its release pins and every team's settings first`,
    );
  }
  const sameStage = existing.find((cluster) => readClusterFacts(tree, cluster).environment === environment) ?? existing[0];
  const versions = readStringUnion(tree, CLUSTER_CONFIG_TYPES, 'KubernetesVersion');
  const kubernetesVersion = options.kubernetesVersion ?? (sameStage ? readClusterFacts(tree, sameStage).kubernetesVersion : undefined) ?? versions[0]!;
  if (!versions.includes(kubernetesVersion)) throw new Error(`--kubernetesVersion '${kubernetesVersion}' must be one of ${versions.join(', ')}`);
  const tag = options.discoveryTag ?? `karpenter.sh/discovery=${name}`;
  const [key, value, ...extra] = tag.split('=');
  if (!key || value === undefined || extra.length > 0 || !value) throw new Error(`--discoveryTag '${tag}' must be 'key=value', e.g. karpenter.sh/discovery=${name}`);
  // Every cluster runs the platform's tenants (team-a-web's database among them), so the VPC facts are required;
  // ClusterFacts checks the rest (the subnets' CIDR inside the VPC's) when the fleet loads.
  const cidr = (option: string, value: unknown, example: string): string => {
    const text = String(value ?? '');
    if (!/^(\d{1,3})(\.\d{1,3}){3}\/\d{1,2}$/.test(text)) throw new Error(`--${option} '${text}' must be an IPv4 CIDR, e.g. --${option} ${example}`);
    return text;
  };
  const vpcCidr = cidr('vpcCidr', options.vpcCidr, '10.40.0.0/16');
  const databaseSubnetsCidr = cidr('databaseSubnetsCidr', options.databaseSubnetsCidr, '10.40.64.0/20');
  const subnetIds = (typeof options.databaseSubnetIds === 'string' ? options.databaseSubnetIds.split(',') : [...(options.databaseSubnetIds ?? [])]).map((id) => String(id).trim()).filter(Boolean);
  const awsId = (prefix: string) => new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`);
  if (subnetIds.length < 2 || !subnetIds.every((id) => awsId('subnet').test(id))) {
    throw new Error(`--databaseSubnetIds '${subnetIds.join(',')}' must list at least two subnet ids ('subnet-' and 8 or 17 hex digits) in different availability zones, comma-separated`);
  }
  const vpcId = String(options.vpcId ?? '');
  if (!awsId('vpc').test(vpcId)) throw new Error(`--vpcId '${vpcId}' must be a VPC id ('vpc-' and 8 or 17 hex digits), which the load balancer controller reads`);
  const securityGroup = String(options.databaseSecurityGroup ?? '');
  if (!awsId('sg').test(securityGroup)) throw new Error(`--databaseSecurityGroup '${securityGroup}' must be a security group id ('sg-' and 8 or 17 hex digits) that admits the cluster's pods to the databases`);
  const eksClusterName = options.eksClusterName ?? name;
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(eksClusterName)) throw new Error(`--eksClusterName '${eksClusterName}' must be 1-100 letters, digits, '-' or '_', starting with a letter or digit`);
  return { name, exportName: identifierFor(name, 'Cluster'), account, region, environment, kubernetesVersion, oidcIssuerId: oidc[3]!, discoveryTag: { key, value }, eksClusterName, vpc: { id: vpcId, cidr: vpcCidr, databaseSubnetsCidr, subnetIds, securityGroup } };
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
