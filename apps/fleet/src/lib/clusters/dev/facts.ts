import { ClusterFacts } from '@flotilla/config';
import { fleetRepository } from '../../fleet-defaults';

/** dev in AWS, declared once: every other file of this cluster derives its account, region and ARNs from these (`c`). */
export const facts = new ClusterFacts({
  name: 'dev',
  account: '111111111111',
  region: 'eu-north-1',
  partition: 'aws',
  environment: 'dev',
  kubernetesVersion: '1.35',
  oidcIssuerId: '0A1B2C3D4E5F60718293A4B5C6D7E8F9',
  // The database subnets and the security group that admits the cluster's pods to them.
  vpc: {
    id: 'vpc-0a1b2c3d4e5f60000',
    cidr: '10.10.0.0/16',
    databaseSubnets: { cidr: '10.10.64.0/20', subnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'] },
    securityGroups: { database: 'sg-0a1b2c3d4e5f60010' },
  },
  git: fleetRepository,
});
