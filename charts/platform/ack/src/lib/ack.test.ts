import { describe, expect, it } from 'vitest';
import { Duration } from '@flotilla/config';
import { RemovalPolicy } from '@flotilla/constructs';
import { findObject, fixtureCluster, renderUnits } from '@flotilla/core/testing';
import type { KubeObject } from '@flotilla/model';
import { ack, type AckControllerValues, type AckProps } from './ack';
import { ackIamBootstrap } from './bootstrap';

const cluster = fixtureCluster('dev', [], {
  account: '111111111111',
  region: 'eu-north-1',
  identity: { oidcIssuerUrl: 'https://oidc.eks.eu-north-1.amazonaws.com/id/ABC' },
  bootstrap: { ackIamControllerRoleArn: 'arn:aws:iam::111111111111:role/dev-ack-iam-controller' },
  artifacts: { bucket: 'artifacts-111111111111' },
});

function render(props: AckProps = {}, on = cluster): Map<string, KubeObject[]> {
  return renderUnits(ack(props), on);
}
const values = (objects: KubeObject[]) => (findObject(objects, 'HelmRelease').spec as unknown as { values: AckControllerValues }).values;
const policyOf = (role: KubeObject) => {
  const spec = role.spec as { inlinePolicies: Record<string, string> };
  return JSON.parse(Object.values(spec.inlinePolicies)[0]).Statement as { Sid: string; Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: object }[];
};
const actionsOf = (role: KubeObject) => policyOf(role).flatMap((statement) => [statement.Action].flat());

describe('ack', () => {
  it('orders the controllers: iam first, eks on iam, identities on both, workload controllers on identities', () => {
    expect(ack().map((unit) => [unit.name, unit.layer, unit.dependsOn ?? []])).toEqual([
      ['ack.iam', 'infra-controllers', []],
      ['ack.eks', 'infra-controllers', ['ack.iam']],
      ['ack.identity', 'infra-controllers', ['ack.iam', 'ack.eks']],
      ['ack.rds', 'infra-controllers', ['ack.identity']],
      ['ack.lambda', 'infra-controllers', ['ack.identity']],
      ['ack.eventbridge', 'infra-controllers', ['ack.identity']],
      ['ack.secretsmanager', 'infra-controllers', ['ack.identity']],
      ['ack.s3', 'infra-controllers', ['ack.identity']],
      ['ack.sqs', 'infra-controllers', ['ack.identity']],
      ['ack.prometheusservice', 'infra-controllers', ['ack.identity']],
      ['ack.cloudwatch', 'infra-controllers', ['ack.identity']],
      ['ack.sns', 'infra-controllers', ['ack.identity']],
    ]);
  });

  it.each([
    ['iam', '1.8.1'],
    ['rds', '1.11.1'],
    ['lambda', '1.14.1'],
    ['eventbridge', '1.5.1'],
    ['secretsmanager', '1.4.1'],
    ['eks', '1.20.0'],
    ['s3', '1.10.0'],
    ['sqs', '1.6.1'],
    ['prometheusservice', '1.4.3'],
    ['cloudwatch', '1.8.1'],
    ['sns', '1.6.0'],
  ])('installs the %s controller chart %s from public ECR with its CRD groups', (service, version) => {
    const objects = render().get(`ack.${service}`)!;
    expect(findObject(objects, 'OCIRepository').spec).toMatchObject({ url: `oci://public.ecr.aws/aws-controllers-k8s/${service}-chart`, ref: { tag: version } });
    const release = findObject(objects, 'HelmRelease');
    expect(release.metadata).toMatchObject({ name: `ack-${service}-controller`, namespace: 'ack-system' });
    expect(release.metadata.annotations).toEqual({ 'flotilla.dev/installs-crds': [`${service}.services.k8s.aws`, 'services.k8s.aws'].sort().join(',') });
    expect(release.spec).toMatchObject({ install: { crds: 'Create' }, upgrade: { crds: 'CreateReplace' } });
  });

  it('runs the IAM controller as the bootstrap role through IRSA and creates the ack-system namespace', () => {
    const objects = render().get('ack.iam')!;
    expect(findObject(objects, 'Namespace').metadata.name).toBe('ack-system');
    expect(values(objects)).toEqual({
      aws: { region: 'eu-north-1' },
      installScope: 'cluster',
      serviceAccount: { create: true, name: 'ack-iam-controller', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/dev-ack-iam-controller' } },
      deletionPolicy: 'retain',
      log: { enable_development_logging: false, level: 'info' },
      reconcile: { defaultResyncPeriod: 36000 },
      resourceTags: [
        'services.k8s.aws/controller-version=%CONTROLLER_SERVICE%-%CONTROLLER_VERSION%',
        'services.k8s.aws/namespace=%K8S_NAMESPACE%',
        'flotilla.dev/cluster=dev',
      ],
    });
  });

  it('gives the EKS controller an IRSA role (made by the IAM controller) that may only manage this cluster’s pod identity associations and access entries', () => {
    const objects = render().get('ack.eks')!;
    const role = findObject(objects, 'Role');
    expect((role.spec as { name: string }).name).toBe('dev-ack-eks-controller');
    expect(values(objects).serviceAccount.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/dev-ack-eks-controller' });
    expect(objects.some((object) => object.kind === 'Namespace' && object.metadata.name === 'ack-system')).toBe(false);
    expect(policyOf(role)).toEqual([
      {
        Sid: 'ManagePodIdentityAssociations',
        Effect: 'Allow',
        Action: [
          'eks:CreatePodIdentityAssociation',
          'eks:DescribePodIdentityAssociation',
          'eks:UpdatePodIdentityAssociation',
          'eks:DeletePodIdentityAssociation',
          'eks:ListPodIdentityAssociations',
          'eks:TagResource',
          'eks:UntagResource',
          'eks:ListTagsForResource',
          'eks:DescribeCluster',
        ],
        Resource: ['arn:aws:eks:eu-north-1:111111111111:cluster/dev', 'arn:aws:eks:eu-north-1:111111111111:podidentityassociation/dev/*'],
      },
      {
        Sid: 'ManageAccessEntries',
        Effect: 'Allow',
        Action: ['eks:CreateAccessEntry', 'eks:DescribeAccessEntry', 'eks:UpdateAccessEntry', 'eks:DeleteAccessEntry', 'eks:ListAccessEntries'],
        Resource: ['arn:aws:eks:eu-north-1:111111111111:cluster/dev', 'arn:aws:eks:eu-north-1:111111111111:access-entry/dev/*'],
      },
      {
        Sid: 'PassPodIdentityRoles',
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: ['arn:aws:iam::111111111111:role/dev-*', 'arn:aws:iam::111111111111:role/dev.*'],
        Condition: { StringEquals: { 'iam:PassedToService': 'pods.eks.amazonaws.com' } },
      },
    ]);
  });

  it('gives each workload controller a Pod Identity role limited to its own service', () => {
    const identities = render().get('ack.identity')!;
    const ownService: Record<string, string[]> = {
      rds: ['rds:', 'ec2:Describe', 'secretsmanager:CreateSecret', 'secretsmanager:TagResource', 'iam:CreateServiceLinkedRole'],
      lambda: ['lambda:', 'iam:PassRole', 'ec2:Describe', 's3:GetObject'],
      eventbridge: ['events:', 'iam:PassRole'],
      secretsmanager: ['secretsmanager:'],
      s3: ['s3:', 'iam:PassRole'],
      sqs: ['sqs:'],
      cloudwatch: ['cloudwatch:'],
      sns: ['sns:'],
    };
    for (const [service, allowed] of Object.entries(ownService)) {
      const role = findObject(identities, 'Role', `ack-${service}-controller`);
      expect((role.spec as { name: string }).name).toBe(`dev-ack-${service}-controller`);
      for (const action of actionsOf(role)) expect(allowed.some((prefix) => action.startsWith(prefix)), `${service}: ${action}`).toBe(true);
      const association = findObject(identities, 'PodIdentityAssociation', `ack-${service}-controller`);
      expect(association.spec).toMatchObject({ clusterName: 'dev', namespace: 'ack-system', serviceAccount: `ack-${service}-controller` });
    }
  });

  it('scopes workload permissions to the cluster account and region', () => {
    const identities = render().get('ack.identity')!;
    expect(policyOf(findObject(identities, 'Role', 'ack-rds-controller'))[0].Resource).toEqual([
      'arn:aws:rds:eu-north-1:111111111111:*',
      'arn:aws:rds::111111111111:global-cluster:*',
    ]);
    expect(policyOf(findObject(identities, 'Role', 'ack-secretsmanager-controller'))).toEqual([
      expect.objectContaining({ Resource: 'arn:aws:secretsmanager:eu-north-1:111111111111:secret:*' }),
    ]);
    expect(actionsOf(findObject(identities, 'Role', 'ack-secretsmanager-controller'))).not.toContain('secretsmanager:GetSecretValue');
  });

  it('lets the Lambda controller read code from the cluster artifacts bucket and pass only cluster roles to Lambda', () => {
    const statements = policyOf(findObject(render().get('ack.identity')!, 'Role', 'ack-lambda-controller'));
    expect(statements.find((statement) => statement.Sid === 'ReadFunctionCode')).toMatchObject({
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Resource: 'arn:aws:s3:::artifacts-111111111111/*',
    });
    expect(statements.find((statement) => statement.Sid === 'PassExecutionRoles')).toMatchObject({
      Resource: 'arn:aws:iam::111111111111:role/dev-*',
      Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
    });
  });

  it('lets the S3 controller set bucket policies only on named bucket patterns and the artifacts bucket, never on every bucket', () => {
    const s3 = (props: AckProps) => policyOf(findObject(render(props).get('ack.identity')!, 'Role', 'ack-s3-controller'));
    // default '*': every bucket's configuration, but a bucket policy only on the artifacts bucket (unit ci-artifacts)
    expect(s3({}).find((statement) => statement.Sid === 'ManageBucketPolicies')).toMatchObject({ Resource: 'arn:aws:s3:::artifacts-111111111111' });
    const scoped = s3({ s3BucketNamePatterns: ['imagegen-*'] });
    expect(scoped.find((statement) => statement.Sid === 'ManageBuckets')).toMatchObject({ Resource: ['arn:aws:s3:::imagegen-*', 'arn:aws:s3:::artifacts-111111111111'] });
    expect(scoped.find((statement) => statement.Sid === 'ManageBucketPolicies')).toMatchObject({
      Action: ['s3:GetBucketPolicy', 's3:PutBucketPolicy', 's3:DeleteBucketPolicy'],
      Resource: ['arn:aws:s3:::imagegen-*', 'arn:aws:s3:::artifacts-111111111111'],
    });
    // The artifacts bucket is never deleted, never left without its policy, never opened by ACLs.
    expect(scoped.find((statement) => statement.Sid === 'DenyArtifactsBucket')).toEqual({
      Sid: 'DenyArtifactsBucket',
      Effect: 'Deny',
      Action: ['s3:DeleteBucket', 's3:DeleteBucketPolicy', 's3:PutBucketAcl', 's3:DeleteBucketOwnershipControls'],
      Resource: 'arn:aws:s3:::artifacts-111111111111',
    });
    expect(() => ack({ s3BucketPolicyNamePatterns: ['*'] })).toThrow(/ack s3BucketPolicyNamePatterns entry '\*' matches every bucket/);
  });

  it('applies log level, resync period and default deletion policy to every controller', () => {
    const rendered = render({ logLevel: 'debug', resyncPeriod: Duration.hours(1), defaultRemovalPolicy: RemovalPolicy.DESTROY });
    for (const name of ['ack.iam', 'ack.eks', 'ack.rds', 'ack.s3']) {
      expect(values(rendered.get(name)!)).toMatchObject({
        log: { enable_development_logging: true, level: 'debug' },
        reconcile: { defaultResyncPeriod: 3600 },
        deletionPolicy: 'delete',
      });
    }
  });

  it('runs only the chosen workload controllers', () => {
    const rendered = render({ services: ['rds'] });
    expect([...rendered.keys()]).toEqual(['ack.iam', 'ack.eks', 'ack.identity', 'ack.rds']);
    expect(rendered.get('ack.identity')!.filter((object) => object.kind === 'Role').map((role) => role.metadata.name)).toEqual(['ack-rds-controller']);
  });

  it('describes the bootstrap role the account baseline must create', () => {
    const bootstrap = ackIamBootstrap(cluster);
    expect(bootstrap.trust[0].conditions).toEqual({
      StringEquals: {
        'oidc.eks.eu-north-1.amazonaws.com/id/ABC:sub': 'system:serviceaccount:ack-system:ack-iam-controller',
        'oidc.eks.eu-north-1.amazonaws.com/id/ABC:aud': 'sts.amazonaws.com',
      },
    });
    expect(bootstrap.statements.map((statement) => [statement.effect ?? 'Allow', statement.resources])).toEqual([
      ['Allow', ['arn:aws:iam::111111111111:role/dev-*', 'arn:aws:iam::111111111111:role/dev.*']],
      ['Allow', ['arn:aws:iam::111111111111:policy/dev-*']],
      ['Deny', ['*']],
      ['Deny', ['*']],
      ['Deny', ['arn:aws:iam::111111111111:role/dev.*']],
      ['Deny', ['arn:aws:iam::111111111111:role/dev-ack-iam-controller']],
    ]);
    const [manage, , noRemoval, attachOnly, tenantBoundary] = bootstrap.statements;
    expect(manage!.actions).not.toContain('iam:DeleteRolePermissionsBoundary');
    expect(noRemoval).toMatchObject({ sid: 'NeverRemoveBoundaries', actions: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'] });
    expect(attachOnly!.conditions).toEqual({
      ArnNotLike: {
        'iam:PolicyARN': [
          'arn:aws:iam::111111111111:policy/dev-*',
          'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
          'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
          'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
          'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
          'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        ],
      },
    });
    expect(tenantBoundary).toMatchObject({
      sid: 'TenantRolesOnlyWithTheBoundary',
      actions: ['iam:CreateRole', 'iam:PutRolePermissionsBoundary', 'iam:AttachRolePolicy', 'iam:PutRolePolicy'],
      conditions: { StringNotEquals: { 'iam:PermissionsBoundary': 'arn:aws:iam::111111111111:policy/dev-tenant-boundary' } },
    });
  });

  it('fails if the bootstrap role is in another account', () => {
    const wrong = fixtureCluster('dev', [], { account: '111111111111', bootstrap: { ackIamControllerRoleArn: 'arn:aws:iam::999999999999:role/x' } });
    expect(() => render({}, wrong)).toThrow(/bootstrap\.ackIamControllerRoleArn 'arn:aws:iam::999999999999:role\/x' must be a role in the cluster's account/);
  });

  it('fails if a service is not a workload controller', () => {
    expect(() => ack({ services: ['iam' as never] })).toThrow(/ack services entry 'iam' is not a workload controller/);
  });
});
