/** Environment variable carrying the function's typed configuration (JSON), rendered by the platform chart. */
export const CONFIG_ENV = 'POLICY_FINDINGS_CONFIG';
export const CONFIG_SCHEMA = 'flotilla.policy-findings/v1';

/** One cluster the function reads Gatekeeper's audit results from. */
export interface ClusterTarget {
  /** The fleet's cluster name (`clusters/<name>`); part of every finding id. */
  readonly name: string;
  /** The EKS cluster name in AWS. @default - same as `name` */
  readonly eksClusterName?: string;
  /** API server URL. @default - from `eks:DescribeCluster` */
  readonly endpoint?: string;
  /** Base64 PEM of the cluster CA (`certificateAuthority.data`). @default - from `eks:DescribeCluster` */
  readonly certificateAuthorityData?: string;
}

export interface PolicyFindingsConfig {
  readonly schema: typeof CONFIG_SCHEMA;
  /** The account findings belong to (and the Security Hub product `product/<account>/default`). */
  readonly account: string;
  /** Region of the clusters and of Security Hub. @default - the Lambda's AWS_REGION */
  readonly region?: string;
  readonly clusters: readonly ClusterTarget[];
  /** Milliseconds one cluster may take before it counts as unreachable. @default 25000 */
  readonly clusterTimeoutMs?: number;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const EKS_NAME = /^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/;

/** Parses and checks the configuration; every problem is named with the field, the value and the fix. */
export function parseConfig(text: string | undefined): PolicyFindingsConfig {
  if (!text) throw new Error(`${CONFIG_ENV} is not set; the platform chart sets it to {"schema":"${CONFIG_SCHEMA}","account":"…","clusters":[…]}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${CONFIG_ENV} is not JSON (${(error as Error).message})`);
  }
  const c = value as Partial<PolicyFindingsConfig>;
  const problems: string[] = [];
  if (c?.schema !== CONFIG_SCHEMA) problems.push(`schema is ${JSON.stringify(c?.schema)}, expected "${CONFIG_SCHEMA}"`);
  if (typeof c?.account !== 'string' || !/^\d{12}$/.test(c.account)) problems.push(`account ${JSON.stringify(c?.account)} is not a 12-digit AWS account id`);
  if (c?.region !== undefined && (typeof c.region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(c.region))) problems.push(`region ${JSON.stringify(c.region)} is not an AWS region such as eu-north-1`);
  if (c?.clusterTimeoutMs !== undefined && (!Number.isInteger(c.clusterTimeoutMs) || c.clusterTimeoutMs < 1000)) problems.push(`clusterTimeoutMs ${JSON.stringify(c.clusterTimeoutMs)} must be a whole number of milliseconds, at least 1000`);
  if (!Array.isArray(c?.clusters) || c.clusters.length === 0) problems.push('clusters must list at least one cluster');
  const seen = new Set<string>();
  for (const [i, cluster] of (Array.isArray(c?.clusters) ? c.clusters : []).entries()) {
    const where = `clusters[${i}]`;
    if (typeof cluster?.name !== 'string' || !DNS_LABEL.test(cluster.name)) problems.push(`${where}.name ${JSON.stringify(cluster?.name)} is not a DNS label`);
    else if (seen.has(cluster.name)) problems.push(`${where}.name '${cluster.name}' is listed twice`);
    else seen.add(cluster.name);
    if (cluster?.eksClusterName !== undefined && (typeof cluster.eksClusterName !== 'string' || !EKS_NAME.test(cluster.eksClusterName))) problems.push(`${where}.eksClusterName ${JSON.stringify(cluster.eksClusterName)} is not an EKS cluster name`);
    if (cluster?.endpoint !== undefined && (typeof cluster.endpoint !== 'string' || !cluster.endpoint.startsWith('https://'))) problems.push(`${where}.endpoint ${JSON.stringify(cluster.endpoint)} must be an https:// URL`);
    if ((cluster?.endpoint === undefined) !== (cluster?.certificateAuthorityData === undefined)) problems.push(`${where} sets only one of endpoint and certificateAuthorityData; set both, or neither to use eks:DescribeCluster`);
  }
  if (problems.length > 0) throw new Error(`${CONFIG_ENV}: ${problems.join('; ')}`);
  return c as PolicyFindingsConfig;
}
