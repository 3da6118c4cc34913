import { KUBERNETES_VERSIONS, type Environment, type GitSource, type KubernetesVersion } from './cluster-config';
import { PARTITIONS, REGION, partitionOfRegion, type Partition } from './partition';

/** The cluster's VPC, as far as its units need it. */
export interface VpcFacts {
  /** The VPC's id, e.g. `vpc-0a1b2c3d4e5f60000` (the load balancer controller cannot read it from the node's metadata: hop limit 1). */
  readonly id: string;
  /** The VPC's IPv4 CIDR, e.g. `10.10.0.0/16`. */
  readonly cidr: string;
  /** The subnets database instances go into (an RDS subnet group needs two availability zones). */
  readonly databaseSubnets: {
    /** The CIDR that covers them (team egress rules allow it), inside the VPC's. */
    readonly cidr: string;
    readonly subnetIds: readonly string[];
  };
  /** Security groups by purpose, e.g. `database`: the group that admits the cluster's pods to the databases. */
  readonly securityGroups: Readonly<Record<string, string>>;
  /**
   * The VPC's interface endpoints for AWS APIs (private DNS on): pods reach these services on HTTPS at
   * addresses inside {@link AwsEndpointFacts.cidr}, so their NetworkPolicies name that CIDR.
   *
   * @default - none: every AWS API through its public endpoint (HTTPS to 0.0.0.0/0 through the NAT gateway)
   */
  readonly endpoints?: AwsEndpointFacts;
}

/**
 * A VPC's interface endpoints (AWS PrivateLink). NetworkPolicies take CIDRs only, never prefix lists or
 * DNS names: the endpoints' network interfaces live in dedicated subnets, whose covering CIDR is the fact.
 */
export interface AwsEndpointFacts {
  /** CIDR covering the endpoint subnets (inside the VPC's), e.g. `10.20.96.0/24`. */
  readonly cidr: string;
  /**
   * The services that have an endpoint there, by the endpoint service's last name
   * (`com.amazonaws.<region>.<service>`): e.g. `sts`, `appconfigdata`, `secretsmanager`, `eks-auth`.
   */
  readonly services: readonly string[];
}

/** How a pod reaches an AWS API over HTTPS: the CIDR its NetworkPolicy opens on port 443. */
export interface AwsEndpointRoute {
  /** The endpoint service, e.g. `appconfigdata`. */
  readonly service: string;
  /** The endpoint subnets' CIDR, or `0.0.0.0/0` for a public endpoint. */
  readonly cidr: string;
  /** Whether the route is an interface VPC endpoint (else the public endpoint through NAT). */
  readonly viaVpcEndpoint: boolean;
}

/** What is true of a cluster in AWS, declared once; everything else in its config is derived from it. */
export interface ClusterFactsProps<E extends Environment = Environment> {
  /** Folder name under `clusters/`, a DNS label. */
  readonly name: string;
  /** The EKS cluster name in AWS. @default - same as `name` */
  readonly eksClusterName?: string;
  /** 12-digit AWS account id. */
  readonly account: string;
  /** AWS region, e.g. `eu-north-1`. */
  readonly region: string;
  /** AWS partition; must be the region's. @default - the region's partition */
  readonly partition?: Partition;
  readonly environment: E;
  /** Kubernetes minor version; selects the schemas objects are validated against. */
  readonly kubernetesVersion: KubernetesVersion;
  /**
   * The id at the end of the cluster's OIDC issuer URL, 32 hex digits (`aws eks describe-cluster
   * --query cluster.identity.oidc.issuer`); the URL is derived from it, the region and the partition.
   */
  readonly oidcIssuerId: string;
  /** Tag that marks the cluster's subnets and security groups for discovery. @default { key: 'karpenter.sh/discovery', value: <name> } */
  readonly discoveryTag?: { readonly key: string; readonly value: string };
  /** @default - none; `c.vpc` then fails, naming this field */
  readonly vpc?: VpcFacts;
  /**
   * The cluster's IP family (EKS `kubernetesNetworkConfig.ipFamily`): on `ipv6` pods reach the EKS Pod
   * Identity Agent at `[fd00:ec2::23]`, on `ipv4` at `169.254.170.23`.
   *
   * @default 'ipv4'
   */
  readonly ipFamily?: 'ipv4' | 'ipv6';
  /** The Git repository Flux pulls the cluster's folder from. */
  readonly git: GitSource;
}

/** A cluster's facts are wrong; the message lists every problem with the field, the value and the fix. */
export class ClusterFactsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the cluster facts are invalid:\n  ${problems.join('\n  ')}`);
    this.name = 'ClusterFactsError';
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const OIDC_ID = /^[A-F0-9]{32}$/;
const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
const VPC_ID = /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/;
const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Services whose ARNs have no region (IAM, STS, Organizations) or neither region nor account (S3). */
const GLOBAL_SERVICES = new Set(['iam', 'sts', 'organizations']);
const NO_ACCOUNT_SERVICES = new Set(['s3']);

/**
 * A cluster's validated facts and what derives from them: the ECR registry, the OIDC issuer URL,
 * ARNs and account-scoped bucket names. Cluster files call these instead of writing an account id,
 * a region or an ARN prefix, so each is written once.
 *
 * @throws ClusterFactsError listing every invalid field
 */
export class ClusterFacts<E extends Environment = Environment> {
  readonly name: string;
  readonly eksClusterName: string;
  readonly account: string;
  readonly region: string;
  readonly partition: Partition;
  readonly environment: E;
  readonly kubernetesVersion: KubernetesVersion;
  readonly oidcIssuerId: string;
  readonly discoveryTag: { readonly key: string; readonly value: string };
  readonly git: GitSource;
  readonly ipFamily: 'ipv4' | 'ipv6';
  private readonly vpcFacts?: VpcFacts;

  constructor(props: ClusterFactsProps<E>) {
    const problems = clusterFactsProblems(props);
    if (problems.length > 0) throw new ClusterFactsError(problems);
    this.name = props.name;
    this.eksClusterName = props.eksClusterName ?? props.name;
    this.account = props.account;
    this.region = props.region;
    this.partition = props.partition ?? partitionOfRegion(props.region);
    this.environment = props.environment;
    this.kubernetesVersion = props.kubernetesVersion;
    this.oidcIssuerId = props.oidcIssuerId;
    this.discoveryTag = props.discoveryTag ?? { key: 'karpenter.sh/discovery', value: props.name };
    this.git = props.git;
    this.ipFamily = props.ipFamily ?? 'ipv4';
    this.vpcFacts = props.vpc;
  }

  /** The DNS suffix of the partition's endpoints (`amazonaws.com`, `amazonaws.com.cn`). */
  get dnsSuffix(): string {
    return PARTITIONS[this.partition].dnsSuffix;
  }

  /** The account's private ECR registry host, `<account>.dkr.ecr.<region>.amazonaws.com`. */
  get registry(): string {
    return `${this.account}.dkr.ecr.${this.region}.${this.dnsSuffix}`;
  }

  /** The cluster's OIDC issuer URL, `https://oidc.eks.<region>.amazonaws.com/id/<id>`. */
  get oidcIssuerUrl(): string {
    return `https://oidc.eks.${this.region}.${this.dnsSuffix}/id/${this.oidcIssuerId}`;
  }

  /** The VPC facts; fails, naming the field, when the cluster declares none. */
  get vpc(): VpcFacts {
    if (!this.vpcFacts) throw new ClusterFactsError([`cluster '${this.name}': a unit reads 'vpc', which its facts do not declare; add vpc: { id, cidr, databaseSubnets, securityGroups }`]);
    return this.vpcFacts;
  }

  /**
   * How pods reach AWS API `service` (an endpoint service name such as `appconfigdata` or `sts`) over
   * HTTPS: the VPC's endpoint subnets when `vpc.endpoints` lists the service, else its public endpoint
   * (`0.0.0.0/0`, through NAT).
   */
  awsEndpointRoute(service: string): AwsEndpointRoute {
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(service)) {
      throw new ClusterFactsError([`cluster '${this.name}': AWS endpoint service '${service}' must be an endpoint service name such as 'sts' or 'appconfigdata' (com.amazonaws.<region>.<service>)`]);
    }
    const endpoints = this.vpcFacts?.endpoints;
    if (endpoints?.services.includes(service)) return { service, cidr: endpoints.cidr, viaVpcEndpoint: true };
    return { service, cidr: '0.0.0.0/0', viaVpcEndpoint: false };
  }

  /** The id of the VPC security group declared for `purpose` (e.g. `database`). */
  securityGroup(purpose: string): string {
    const id = this.vpc.securityGroups[purpose];
    if (id === undefined) {
      throw new ClusterFactsError([`cluster '${this.name}': 'vpc.securityGroups' has no '${purpose}' group (it has ${Object.keys(this.vpc.securityGroups).join(', ') || 'none'}); add it`]);
    }
    return id;
  }

  /**
   * ARN of a resource of `service` in the cluster's partition, account and region, e.g.
   * `c.arn('sqs', 'my-queue')`, `c.arn('secretsmanager', 'secret:name-AbCdEf')`; IAM, STS and
   * Organizations ARNs have no region, S3 ARNs neither region nor account.
   */
  arn(service: string, resource: string): string {
    if (!/^[a-z0-9-]+$/.test(service)) throw new ClusterFactsError([`cluster '${this.name}': ARN service '${service}' must be an AWS service prefix such as 'sqs' or 'secretsmanager'`]);
    if (resource === '' || resource.startsWith('arn:')) {
      throw new ClusterFactsError([`cluster '${this.name}': ARN resource '${resource}' must be the part after the account (e.g. 'role/name'), not empty or a whole ARN`]);
    }
    const region = GLOBAL_SERVICES.has(service) || NO_ACCOUNT_SERVICES.has(service) ? '' : this.region;
    const account = NO_ACCOUNT_SERVICES.has(service) ? '' : this.account;
    return `arn:${this.partition}:${service}:${region}:${account}:${resource}`;
  }

  /** ARN of an IAM role of the cluster's account. */
  roleArn(roleName: string): string {
    return this.arn('iam', `role/${roleName}`);
  }

  /** A bucket name unique to the account and region, `<prefix>-<account>-<region>` (S3 names are global). */
  bucketName(prefix: string): string {
    const name = `${prefix}-${this.account}-${this.region}`;
    if (!BUCKET.test(name)) {
      throw new ClusterFactsError([`cluster '${this.name}': bucket name '${name}' is not a valid S3 bucket name (3-63 lowercase letters, digits, '.', '-'); shorten the prefix '${prefix}'`]);
    }
    return name;
  }
}

/** What is wrong with a cluster's facts, one message per problem (empty when valid). */
export function clusterFactsProblems(props: ClusterFactsProps): string[] {
  const where = `cluster '${props.name}'`;
  const problems: string[] = [];
  if (!DNS_LABEL.test(props.name) || props.name.length > 63) {
    problems.push(`${where}: 'name' must be a DNS label (lowercase letters, digits, '-'), got '${props.name}'; e.g. 'dev' or 'eu-prod'`);
  }
  if (!/^\d{12}$/.test(props.account)) {
    const digits = props.account.replace(/\D/g, '').length;
    problems.push(`${where}: 'account' must be a 12-digit AWS account id, got '${props.account}' (${digits} digits); copy it from 'aws sts get-caller-identity --query Account', keeping leading zeros`);
  }
  if (!REGION.test(props.region)) {
    problems.push(`${where}: 'region' must be an AWS region such as 'eu-north-1', got '${props.region}'`);
  } else if (props.partition !== undefined) {
    const actual = partitionOfRegion(props.region);
    if (!(props.partition in PARTITIONS)) {
      problems.push(`${where}: 'partition' '${props.partition}' is not an AWS partition Flotilla knows; use one of ${Object.keys(PARTITIONS).join(', ')}, or leave it out to derive it from the region`);
    } else if (actual !== props.partition) {
      problems.push(
        `${where}: region '${props.region}' is in partition '${actual}', not '${props.partition}'; set partition: '${actual}' (or leave it out), or use a region of '${props.partition}' such as '${PARTITIONS[props.partition].exampleRegion}'`,
      );
    }
  }
  if (!(KUBERNETES_VERSIONS as readonly string[]).includes(props.kubernetesVersion)) {
    problems.push(`${where}: 'kubernetesVersion' '${String(props.kubernetesVersion)}' is not supported; use one of ${KUBERNETES_VERSIONS.join(', ')}`);
  }
  if (!OIDC_ID.test(props.oidcIssuerId)) {
    const fromUrl = /\/id\/([A-Fa-f0-9]{32})\/?$/.exec(props.oidcIssuerId)?.[1];
    problems.push(
      `${where}: 'oidcIssuerId' must be the 32 uppercase hex digits at the end of the cluster's OIDC issuer URL, got '${props.oidcIssuerId}'; ` +
        (fromUrl ? `write only the id, '${fromUrl.toUpperCase()}' (the URL is derived from it and the region)` : `read it with 'aws eks describe-cluster --name ${props.eksClusterName ?? props.name} --query cluster.identity.oidc.issuer'`),
    );
  }
  if (props.discoveryTag && (!props.discoveryTag.key || !props.discoveryTag.value)) {
    problems.push(`${where}: 'discoveryTag' needs a key and a value, got ${JSON.stringify(props.discoveryTag)}; e.g. { key: 'karpenter.sh/discovery', value: '${props.name}' }`);
  }
  if (props.vpc) problems.push(...vpcProblems(where, props.vpc));
  if (props.ipFamily !== undefined && props.ipFamily !== 'ipv4' && props.ipFamily !== 'ipv6') {
    problems.push(`${where}: 'ipFamily' must be 'ipv4' or 'ipv6' (EKS kubernetesNetworkConfig.ipFamily), got '${String(props.ipFamily)}'`);
  }
  return problems;
}

function vpcProblems(where: string, vpc: VpcFacts): string[] {
  const problems: string[] = [];
  if (!VPC_ID.test(vpc.id)) problems.push(`${where}: 'vpc.id' '${vpc.id}' is not a VPC id ('vpc-' and 8 or 17 hex digits)`);
  const vpcRange = cidrRange(vpc.cidr);
  if (!vpcRange) problems.push(`${where}: 'vpc.cidr' must be an IPv4 CIDR such as '10.10.0.0/16', got '${vpc.cidr}'`);
  const subnetRange = cidrRange(vpc.databaseSubnets.cidr);
  if (!subnetRange) problems.push(`${where}: 'vpc.databaseSubnets.cidr' must be an IPv4 CIDR such as '10.10.64.0/20', got '${vpc.databaseSubnets.cidr}'`);
  else if (vpcRange && (subnetRange[0] < vpcRange[0] || subnetRange[1] > vpcRange[1])) {
    problems.push(`${where}: 'vpc.databaseSubnets.cidr' '${vpc.databaseSubnets.cidr}' is not inside the VPC's '${vpc.cidr}'; use the CIDR that covers the database subnets`);
  }
  if (vpc.databaseSubnets.subnetIds.length < 2) {
    problems.push(`${where}: 'vpc.databaseSubnets.subnetIds' lists ${vpc.databaseSubnets.subnetIds.length} subnet(s); an RDS subnet group needs subnets in at least two availability zones`);
  }
  for (const id of vpc.databaseSubnets.subnetIds) {
    if (!SUBNET_ID.test(id)) problems.push(`${where}: 'vpc.databaseSubnets.subnetIds' has '${id}', which is not a subnet id ('subnet-' and 8 or 17 hex digits)`);
  }
  for (const [purpose, id] of Object.entries(vpc.securityGroups)) {
    if (!SECURITY_GROUP_ID.test(id)) problems.push(`${where}: 'vpc.securityGroups.${purpose}' '${id}' is not a security group id ('sg-' and 8 or 17 hex digits)`);
  }
  if (vpc.endpoints) {
    const range = cidrRange(vpc.endpoints.cidr);
    if (!range) problems.push(`${where}: 'vpc.endpoints.cidr' must be an IPv4 CIDR such as '10.10.96.0/24', got '${vpc.endpoints.cidr}'`);
    else if (vpcRange && (range[0] < vpcRange[0] || range[1] > vpcRange[1])) {
      problems.push(`${where}: 'vpc.endpoints.cidr' '${vpc.endpoints.cidr}' is not inside the VPC's '${vpc.cidr}'; use the CIDR that covers the endpoint subnets`);
    }
    if (vpc.endpoints.services.length === 0) problems.push(`${where}: 'vpc.endpoints.services' is empty; list the endpoint services (e.g. 'sts', 'appconfigdata') or leave 'endpoints' out`);
    for (const service of vpc.endpoints.services) {
      if (!/^[a-z0-9][a-z0-9.-]*$/.test(service) || service.startsWith('com.')) {
        problems.push(`${where}: 'vpc.endpoints.services' has '${service}'; write the endpoint service's last name, e.g. 'appconfigdata' for com.amazonaws.<region>.appconfigdata`);
      }
    }
  }
  return problems;
}

/** The first and last address of an IPv4 CIDR as numbers, or undefined when it is not one. */
function cidrRange(cidr: string): [number, number] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const bits = Number(match[5]);
  if (octets.some((octet) => octet > 255) || bits > 32) return undefined;
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  const size = 2 ** (32 - bits);
  if (address % size !== 0) return undefined;
  return [address, address + size - 1];
}
