import { DescribeClusterCommand, type EKSClient } from '@aws-sdk/client-eks';
import type { ClusterTarget } from '@flotilla/policy-findings-contract';

export interface ClusterEndpoint {
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA. */
  readonly certificateAuthorityData: string;
}

/** The API server and CA from the typed config, or else from `eks:DescribeCluster`. */
export async function clusterEndpoint(eks: EKSClient, target: ClusterTarget): Promise<ClusterEndpoint> {
  if (target.endpoint && target.certificateAuthorityData) return { endpoint: target.endpoint, certificateAuthorityData: target.certificateAuthorityData };
  const name = target.eksClusterName ?? target.name;
  const { cluster } = await eks.send(new DescribeClusterCommand({ name }));
  const endpoint = cluster?.endpoint;
  const certificateAuthorityData = cluster?.certificateAuthority?.data;
  if (!endpoint || !certificateAuthorityData) {
    throw new Error(`eks:DescribeCluster for '${name}' returned no endpoint or certificate authority (status ${cluster?.status ?? 'unknown'}); is the cluster still being created?`);
  }
  return { endpoint, certificateAuthorityData };
}
