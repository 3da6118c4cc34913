import { describe, expect, it } from 'vitest';
import { ClusterFacts, ClusterFactsError, type ClusterFactsProps } from './cluster-facts';

const props: ClusterFactsProps<'dev'> = {
  name: 'dev',
  account: '123456789012',
  region: 'eu-north-1',
  environment: 'dev',
  kubernetesVersion: '1.35',
  oidcIssuerId: '0123456789ABCDEF0123456789ABCDEF',
  vpc: { id: 'vpc-0a1b2c3d4e5f60000', cidr: '10.10.0.0/16', databaseSubnets: { cidr: '10.10.64.0/20', subnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d'] }, securityGroups: { database: 'sg-0a1b2c3d4e5f60010' } },
  git: { url: 'ssh://git@example.com/fleet' },
};

/** The problems the constructor reports for `overrides`. */
function problemsOf(overrides: Partial<ClusterFactsProps>): readonly string[] {
  try {
    new ClusterFacts({ ...props, ...overrides } as ClusterFactsProps);
  } catch (error) {
    expect(error).toBeInstanceOf(ClusterFactsError);
    return (error as ClusterFactsError).problems;
  }
  throw new Error('the facts were accepted');
}

describe('ClusterFacts', () => {
  it('derives the registry, the OIDC issuer, ARNs and bucket names from the account, region and partition', () => {
    const c = new ClusterFacts(props);
    expect(c.registry).toBe('123456789012.dkr.ecr.eu-north-1.amazonaws.com');
    expect(c.oidcIssuerUrl).toBe('https://oidc.eks.eu-north-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF');
    expect(c.arn('sqs', 'dlq')).toBe('arn:aws:sqs:eu-north-1:123456789012:dlq');
    expect(c.arn('secretsmanager', 'secret:rds!db-1-AbCd')).toBe('arn:aws:secretsmanager:eu-north-1:123456789012:secret:rds!db-1-AbCd');
    expect(c.roleArn('dev-ack')).toBe('arn:aws:iam::123456789012:role/dev-ack');
    expect(c.arn('s3', 'bucket/*')).toBe('arn:aws:s3:::bucket/*');
    expect(c.bucketName('flotilla-artifacts')).toBe('flotilla-artifacts-123456789012-eu-north-1');
    expect(c.securityGroup('database')).toBe('sg-0a1b2c3d4e5f60010');
    expect(c.discoveryTag).toEqual({ key: 'karpenter.sh/discovery', value: 'dev' });
    expect(c.eksClusterName).toBe('dev');
  });

  it('derives the partition from the region, with its DNS suffix', () => {
    const china = new ClusterFacts({ ...props, region: 'cn-north-1' });
    expect(china.partition).toBe('aws-cn');
    expect(china.registry).toBe('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn');
    expect(china.oidcIssuerUrl).toBe('https://oidc.eks.cn-north-1.amazonaws.com.cn/id/0123456789ABCDEF0123456789ABCDEF');
    expect(china.roleArn('x')).toBe('arn:aws-cn:iam::123456789012:role/x');
    expect(new ClusterFacts({ ...props, region: 'us-gov-west-1', partition: 'aws-us-gov' }).arn('sqs', 'q')).toBe('arn:aws-us-gov:sqs:us-gov-west-1:123456789012:q');
  });

  it('fails if the account is not 12 digits, showing the value, the count and where to find it', () => {
    expect(problemsOf({ account: '11111111111' })).toEqual([
      "cluster 'dev': 'account' must be a 12-digit AWS account id, got '11111111111' (11 digits); copy it from 'aws sts get-caller-identity --query Account', keeping leading zeros",
    ]);
  });

  it('fails if the partition is not the region\'s, naming both and the fix', () => {
    expect(problemsOf({ partition: 'aws-cn' })).toEqual([
      "cluster 'dev': region 'eu-north-1' is in partition 'aws', not 'aws-cn'; set partition: 'aws' (or leave it out), or use a region of 'aws-cn' such as 'cn-north-1'",
    ]);
    expect(problemsOf({ partition: 'aws-iso' as never })[0]).toMatch(/^cluster 'dev': 'partition' 'aws-iso' is not an AWS partition Flotilla knows; use one of aws, aws-cn, aws-us-gov/);
  });

  it('fails if the OIDC issuer is a URL, giving the id to write instead', () => {
    expect(problemsOf({ oidcIssuerId: 'https://oidc.eks.eu-north-1.amazonaws.com/id/0123456789abcdef0123456789abcdef' })).toEqual([
      "cluster 'dev': 'oidcIssuerId' must be the 32 uppercase hex digits at the end of the cluster's OIDC issuer URL, got 'https://oidc.eks.eu-north-1.amazonaws.com/id/0123456789abcdef0123456789abcdef'; write only the id, '0123456789ABCDEF0123456789ABCDEF' (the URL is derived from it and the region)",
    ]);
  });

  it('fails if the VPC facts are inconsistent, listing every problem', () => {
    const problems = problemsOf({
      region: 'north',
      vpc: { id: 'vpc-1', cidr: '10.10.0.0/16', databaseSubnets: { cidr: '10.20.64.0/20', subnetIds: ['subnet-xyz'] }, securityGroups: { database: 'sg-1' } },
    });
    expect(problems).toEqual([
      "cluster 'dev': 'region' must be an AWS region such as 'eu-north-1', got 'north'",
      "cluster 'dev': 'vpc.id' 'vpc-1' is not a VPC id ('vpc-' and 8 or 17 hex digits)",
      "cluster 'dev': 'vpc.databaseSubnets.cidr' '10.20.64.0/20' is not inside the VPC's '10.10.0.0/16'; use the CIDR that covers the database subnets",
      "cluster 'dev': 'vpc.databaseSubnets.subnetIds' lists 1 subnet(s); an RDS subnet group needs subnets in at least two availability zones",
      "cluster 'dev': 'vpc.databaseSubnets.subnetIds' has 'subnet-xyz', which is not a subnet id ('subnet-' and 8 or 17 hex digits)",
      "cluster 'dev': 'vpc.securityGroups.database' 'sg-1' is not a security group id ('sg-' and 8 or 17 hex digits)",
    ]);
  });

  it('fails when a unit reads a fact the cluster does not declare, naming the field', () => {
    const c = new ClusterFacts({ ...props, vpc: undefined });
    expect(() => c.vpc).toThrow("cluster 'dev': a unit reads 'vpc', which its facts do not declare; add vpc: { id, cidr, databaseSubnets, securityGroups }");
    expect(() => new ClusterFacts(props).securityGroup('cache')).toThrow("cluster 'dev': 'vpc.securityGroups' has no 'cache' group (it has database); add it");
  });

  it('fails if a derived name or ARN would be malformed', () => {
    const c = new ClusterFacts(props);
    expect(() => c.bucketName('a'.repeat(40))).toThrow(/is not a valid S3 bucket name .*; shorten the prefix/);
    expect(() => c.arn('sqs', 'arn:aws:sqs:eu-north-1:123456789012:q')).toThrow(/must be the part after the account/);
  });

  it("routes pods' HTTPS to an AWS API through the VPC endpoint the facts declare, else the public endpoint", () => {
    const vpc = { ...props.vpc!, endpoints: { cidr: '10.10.96.0/24', services: ['appconfigdata', 'sts'] } };
    const c = new ClusterFacts({ ...props, vpc });
    expect(c.awsEndpointRoute('appconfigdata')).toEqual({ service: 'appconfigdata', cidr: '10.10.96.0/24', viaVpcEndpoint: true });
    expect(c.awsEndpointRoute('s3')).toEqual({ service: 's3', cidr: '0.0.0.0/0', viaVpcEndpoint: false });
    expect(new ClusterFacts(props).awsEndpointRoute('sts').viaVpcEndpoint).toBe(false);
    expect(c.ipFamily).toBe('ipv4');
    expect(() => c.awsEndpointRoute('com.amazonaws.eu-north-1.sts ')).toThrow(/must be an endpoint service name such as 'sts'/);
  });

  it('fails if the VPC endpoints are outside the VPC, empty or spelled as full service names, or the IP family is unknown', () => {
    const endpoints = (cidr: string, services: string[]) => ({ vpc: { ...props.vpc!, endpoints: { cidr, services } } });
    expect(problemsOf(endpoints('10.99.0.0/24', ['sts']))).toEqual([expect.stringMatching(/'vpc.endpoints.cidr' '10.99.0.0\/24' is not inside the VPC's '10.10.0.0\/16'/)]);
    expect(problemsOf(endpoints('10.10.96.0/24', []))).toEqual([expect.stringMatching(/'vpc.endpoints.services' is empty/)]);
    expect(problemsOf(endpoints('10.10.96.0/24', ['com.amazonaws.eu-north-1.sts']))).toEqual([expect.stringMatching(/write the endpoint service's last name, e.g. 'appconfigdata'/)]);
    expect(problemsOf({ ipFamily: 'dual' as never })).toEqual([expect.stringMatching(/'ipFamily' must be 'ipv4' or 'ipv6'/)]);
  });
});
