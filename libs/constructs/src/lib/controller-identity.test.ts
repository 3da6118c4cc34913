import { describe, expect, it } from 'vitest';
import type { ClusterConfig, Unit } from '@flotilla/config';
import { renderUnit } from '@flotilla/core';
import { fixtureCluster } from '@flotilla/core/testing';
import type { KubeObject } from '@flotilla/model';
import { clusterRoleArn } from './aws-facts';
import { IrsaRole, PodIdentityRole, type PodIdentityRoleProps } from './controller-identity';
import { RemovalPolicy } from './removal-policy';

const cluster = fixtureCluster('dev', [], {
  account: '111111111111',
  region: 'eu-north-1',
  eksClusterName: 'dev-eks',
  identity: { oidcIssuerUrl: 'https://oidc.eks.eu-north-1.amazonaws.com/id/ABC123' },
});

const readSecrets = {
  sid: 'ReadSecrets',
  actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
  resources: ['arn:aws:secretsmanager:eu-north-1:111111111111:secret:dev/*'],
};

function render(kind: 'pod-identity' | 'irsa', props: Partial<PodIdentityRoleProps> = {}, on: ClusterConfig = cluster): KubeObject[] {
  const unit: Unit = {
    name: 'identity',
    project: 'identity',
    layer: 'infra-controllers',
    render: (scope, { cluster: target }) => {
      const full: PodIdentityRoleProps = {
        cluster: target,
        roleSuffix: 'external-secrets',
        serviceAccountNamespace: 'external-secrets',
        serviceAccountName: 'external-secrets',
        statements: [readSecrets],
        ...props,
      };
      if (kind === 'pod-identity') new PodIdentityRole(scope, 'Identity', full);
      else new IrsaRole(scope, 'Identity', full);
    },
  };
  return renderUnit(unit, on);
}

const roleOf = (objects: KubeObject[]) => objects.find((object) => object.kind === 'Role')!;
interface RoleSpecJson {
  readonly name: string;
  readonly assumeRolePolicyDocument: string;
  readonly inlinePolicies: Record<string, string>;
  readonly policies?: string[];
}
const roleSpec = (objects: KubeObject[]) => roleOf(objects).spec as unknown as RoleSpecJson;

describe('PodIdentityRole', () => {
  it('renders an ACK Role named after the cluster, trusted by EKS Pod Identity for exactly this service account', () => {
    // GIVEN the dev cluster and the ESO controller's service account
    // WHEN
    const objects = render('pod-identity');
    // THEN
    const role = roleOf(objects);
    expect(role.apiVersion).toBe('iam.services.k8s.aws/v1alpha1');
    expect(role.metadata).toEqual({
      name: 'external-secrets',
      namespace: 'ack-system',
      annotations: { 'services.k8s.aws/deletion-policy': 'retain' },
    });
    expect(roleSpec(objects).name).toBe('dev-eks-external-secrets');
    expect(JSON.parse(roleSpec(objects).assumeRolePolicyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: {
            StringEquals: {
              'aws:SourceAccount': '111111111111',
              'aws:RequestTag/kubernetes-namespace': 'external-secrets',
              'aws:RequestTag/kubernetes-service-account': 'external-secrets',
            },
            ArnEquals: { 'aws:SourceArn': 'arn:aws:eks:eu-north-1:111111111111:cluster/dev-eks' },
          },
        },
      ],
    });
  });

  it('renders the permissions as one inline policy named after the identity', () => {
    const spec = roleSpec(render('pod-identity'));
    expect(Object.keys(spec.inlinePolicies)).toEqual(['external-secrets']);
    expect(JSON.parse(spec.inlinePolicies['external-secrets'])).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadSecrets',
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Resource: 'arn:aws:secretsmanager:eu-north-1:111111111111:secret:dev/*',
        },
      ],
    });
    expect(spec.policies).toBeUndefined();
  });

  it('binds the role to the service account with a PodIdentityAssociation that references the Role object', () => {
    const association = render('pod-identity').find((object) => object.kind === 'PodIdentityAssociation')!;
    expect(association.apiVersion).toBe('eks.services.k8s.aws/v1alpha1');
    expect(association.metadata).toEqual({ name: 'external-secrets', namespace: 'ack-system' });
    expect(association.spec).toEqual({
      clusterName: 'dev-eks',
      namespace: 'external-secrets',
      serviceAccount: 'external-secrets',
      roleRef: { from: { name: 'external-secrets', namespace: 'ack-system' } },
    });
  });

  it('derives names from the cluster, so another cluster gets its own role', () => {
    const prod = fixtureCluster('prod', [], { account: '222222222222' });
    const spec = roleSpec(render('pod-identity', {}, prod));
    expect(spec.name).toBe('prod-external-secrets');
    expect(JSON.parse(spec.assumeRolePolicyDocument).Statement[0].Condition.ArnEquals['aws:SourceArn']).toBe(
      'arn:aws:eks:eu-north-1:222222222222:cluster/prod',
    );
    expect(clusterRoleArn(prod, 'external-secrets')).toBe('arn:aws:iam::222222222222:role/prod-external-secrets');
  });

  it('drops the session-tag trust conditions and disables session tags on the association when asked to', () => {
    const objects = render('pod-identity', { sessionTags: false });
    expect(JSON.parse(roleSpec(objects).assumeRolePolicyDocument).Statement[0].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '111111111111' },
      ArnEquals: { 'aws:SourceArn': 'arn:aws:eks:eu-north-1:111111111111:cluster/dev-eks' },
    });
    expect(objects.find((object) => object.kind === 'PodIdentityAssociation')!.spec).toMatchObject({ disableSessionTags: true });
  });

  it('deletes the IAM role with the object only when asked to', () => {
    expect(roleOf(render('pod-identity', { removalPolicy: RemovalPolicy.DESTROY })).metadata.annotations).toEqual({
      'services.k8s.aws/deletion-policy': 'delete',
    });
  });

  it('fails if a statement allows every action of a service', () => {
    expect(() => render('pod-identity', { statements: [{ actions: ['s3:*'], resources: ['*'] }] })).toThrow(
      /allows 's3:\*', which grants every action of the service/,
    );
  });

  it('fails if there are no statements', () => {
    expect(() => render('pod-identity', { statements: [] })).toThrow(/has no permission statements/);
  });

  it('fails if the inline policy exceeds the IAM size quota', () => {
    const resources = Array.from({ length: 400 }, (_, index) => `arn:aws:s3:::bucket-number-${index}/*`);
    expect(() => render('pod-identity', { statements: [{ actions: ['s3:GetObject'], resources }] })).toThrow(/over IAM's 10,240 for a role's inline policies/);
  });

  it('fails if the role name would exceed IAM limits', () => {
    expect(() => render('pod-identity', { roleSuffix: 'a'.repeat(60) })).toThrow(/is not a valid IAM role name/);
  });
});

describe('IrsaRole', () => {
  it('trusts the cluster OIDC provider for exactly system:serviceaccount:<ns>:<sa> with audience sts.amazonaws.com', () => {
    const objects = render('irsa', { roleSuffix: 'ack-eks-controller', serviceAccountNamespace: 'ack-system', serviceAccountName: 'ack-eks-controller' });
    expect(objects.map((object) => object.kind)).toEqual(['Role']);
    expect(JSON.parse(roleSpec(objects).assumeRolePolicyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-north-1.amazonaws.com/id/ABC123' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'oidc.eks.eu-north-1.amazonaws.com/id/ABC123:sub': 'system:serviceaccount:ack-system:ack-eks-controller',
              'oidc.eks.eu-north-1.amazonaws.com/id/ABC123:aud': 'sts.amazonaws.com',
            },
          },
        },
      ],
    });
  });

  it('fails if the OIDC issuer is not an https URL', () => {
    const broken = fixtureCluster('dev', [], { identity: { oidcIssuerUrl: 'oidc.eks.eu-north-1.amazonaws.com/id/X' } });
    expect(() => render('irsa', {}, broken)).toThrow(/must start with 'https:\/\/'/);
  });
});
