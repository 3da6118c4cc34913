import { ClusterFacts } from '@flotilla/config';
import { fleetRepository } from '../../fleet-defaults';

/** staging in AWS, declared once: every other file of this cluster derives its account, region and ARNs from these (`c`). */
export const facts = new ClusterFacts({
  name: 'staging',
  account: '333333333333',
  region: 'eu-west-1',
  partition: 'aws',
  environment: 'staging',
  kubernetesVersion: '1.35',
  oidcIssuerId: '5C6D7E8F90A1B2C3D4E5F60718293A4B',
  // The database subnets and the security group that admits the cluster's pods to them.
  vpc: {
    id: 'vpc-0c3d4e5f6a7b80000',
    cidr: '10.30.0.0/16',
    databaseSubnets: { cidr: '10.30.64.0/20', subnetIds: ['subnet-0c3d4e5f6a7b80001', 'subnet-0c3d4e5f6a7b80002'] },
    securityGroups: { database: 'sg-0c3d4e5f6a7b80010' },
  },
  git: fleetRepository,
});
