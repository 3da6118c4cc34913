/** The AWS partitions Flotilla renders for: standard, China and GovCloud (US). */
export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

interface PartitionFacts {
  /** Regions of the partition start with one of these (the standard partition takes every other region). */
  readonly regionPrefixes: readonly string[];
  /** The DNS suffix of service endpoints (ECR, the EKS OIDC issuer). */
  readonly dnsSuffix: string;
  readonly exampleRegion: string;
}

/** Each partition's regions and DNS suffix (AWS SDK `partitions.json`: aws-cn is `cn-*`, aws-us-gov is `us-gov-*`). */
export const PARTITIONS: Readonly<Record<Partition, PartitionFacts>> = {
  aws: { regionPrefixes: [], dnsSuffix: 'amazonaws.com', exampleRegion: 'eu-north-1' },
  'aws-cn': { regionPrefixes: ['cn-'], dnsSuffix: 'amazonaws.com.cn', exampleRegion: 'cn-north-1' },
  'aws-us-gov': { regionPrefixes: ['us-gov-'], dnsSuffix: 'amazonaws.com', exampleRegion: 'us-gov-west-1' },
};

/** The shape of an AWS region name, e.g. `eu-north-1`, `us-gov-west-1`. */
export const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The partition a region belongs to. */
export function partitionOfRegion(region: string): Partition {
  for (const [partition, facts] of Object.entries(PARTITIONS) as [Partition, PartitionFacts][]) {
    if (facts.regionPrefixes.some((prefix) => region.startsWith(prefix))) return partition;
  }
  return 'aws';
}
