import type { AwsEndpointRoute, ClusterFacts } from '@flotilla/config';
import { assertDnsLabel, WorkloadValidationError } from './validation-error';

/** How a workload's pods get AWS credentials. */
export type AwsCredentialSource = 'pod-identity' | 'irsa';

/** What a workload declares about its AWS use; {@link awsEgressFor} turns it into {@link AwsEgress}. */
export interface AwsEgressIntent {
  /** The workload (a DNS label): the NetworkPolicy is `allow-aws-<name>`. */
  readonly name: string;
  /** Labels of the workload's pods; the egress opens for them only. */
  readonly podLabels: Readonly<Record<string, string>>;
  /** How its pods get credentials: `pod-identity` (the node's Pod Identity Agent) or `irsa` (STS AssumeRoleWithWebIdentity). */
  readonly credentials: AwsCredentialSource;
  /**
   * The AWS APIs its pods call, by endpoint service name (`com.amazonaws.<region>.<service>`), e.g.
   * `appconfigdata` for the AppConfig Agent. `irsa` adds `sts`.
   */
  readonly services: readonly string[];
}

/** A workload's AWS egress on one cluster: the intent with the cluster's routes to each API. */
export interface AwsEgress extends Omit<AwsEgressIntent, 'services'> {
  /** HTTPS destinations, one per service (VPC endpoint subnets, or the public endpoint). */
  readonly endpoints: readonly AwsEndpointRoute[];
  /** The cluster's IP family, which decides the Pod Identity Agent's address. */
  readonly ipFamily: 'ipv4' | 'ipv6';
}

/**
 * A workload's AWS egress on cluster `c`: HTTPS to each API it calls, through the VPC endpoint the
 * cluster's facts declare for it (`vpc.endpoints`) or its public endpoint, plus the credentials path
 * (the Pod Identity Agent, or STS for IRSA). The team lists it in `TeamConfig.awsEgress`.
 */
export function awsEgressFor(c: Pick<ClusterFacts, 'awsEndpointRoute' | 'ipFamily'>, intent: AwsEgressIntent): AwsEgress {
  assertDnsLabel('awsEgress.name', intent.name, 50);
  if (Object.keys(intent.podLabels).length === 0) {
    throw new WorkloadValidationError('workloads/aws-egress', `'awsEgress.${intent.name}.podLabels' is empty, which selects every pod of the team; give the workload's pod labels`);
  }
  if (intent.services.length === 0 && intent.credentials === 'pod-identity') {
    throw new WorkloadValidationError('workloads/aws-egress', `'awsEgress.${intent.name}.services' is empty; list the AWS APIs the workload calls (e.g. 'appconfigdata', 's3')`);
  }
  const services = [...new Set([...intent.services, ...(intent.credentials === 'irsa' ? ['sts'] : [])])].sort();
  return { name: intent.name, podLabels: intent.podLabels, credentials: intent.credentials, endpoints: services.map((service) => c.awsEndpointRoute(service)), ipFamily: c.ipFamily };
}
