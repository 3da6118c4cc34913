import { ClusterFacts } from '@flotilla/config';
import { describe, expect, test } from 'vitest';
import { awsEgressFor } from './aws-egress';

const facts = new ClusterFacts({
  name: 'prod',
  account: '222222222222',
  region: 'eu-north-1',
  environment: 'prod',
  kubernetesVersion: '1.35',
  oidcIssuerId: '9F8E7D6C5B4A39281706F5E4D3C2B1A0',
  vpc: { id: 'vpc-0f9e8d7c6b5a40000', cidr: '10.20.0.0/16', databaseSubnets: { cidr: '10.20.64.0/20', subnetIds: ['subnet-0f9e8d7c6b5a40001', 'subnet-0f9e8d7c6b5a40002'] }, securityGroups: {}, endpoints: { cidr: '10.20.96.0/24', services: ['sts'] } },
  git: { url: 'ssh://git@github.com/example-org/fleet' },
});
const pods = { app: 'web' };

describe('awsEgressFor', () => {
  test('resolves each API to the VPC endpoint or the public endpoint, and adds STS for IRSA', () => {
    expect(awsEgressFor(facts, { name: 'web', podLabels: pods, credentials: 'irsa', services: ['s3'] })).toEqual({
      name: 'web',
      podLabels: pods,
      credentials: 'irsa',
      ipFamily: 'ipv4',
      endpoints: [
        { service: 's3', cidr: '0.0.0.0/0', viaVpcEndpoint: false },
        { service: 'sts', cidr: '10.20.96.0/24', viaVpcEndpoint: true },
      ],
    });
  });

  test('fails if the pod labels are empty or a Pod Identity workload names no API', () => {
    expect(() => awsEgressFor(facts, { name: 'web', podLabels: {}, credentials: 'irsa', services: [] })).toThrow(/'awsEgress.web.podLabels' is empty/);
    expect(() => awsEgressFor(facts, { name: 'web', podLabels: pods, credentials: 'pod-identity', services: [] })).toThrow(/'awsEgress.web.services' is empty; list the AWS APIs/);
  });
});
