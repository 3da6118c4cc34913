import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { renderUnit } from '@flotilla/core';
import { findObject, fixtureCluster } from '@flotilla/core/testing';
import { SchemaValidator } from '@flotilla/validate';
import { tenantSecretsRoleArn, TenantSecretStore } from '@flotilla/workloads';
import { secretStores } from './secret-stores-unit';

const cluster = fixtureCluster('dev', []);

describe('TenantSecretStore', () => {
  it('chains to the access role with the tenant session tag and no auth block', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new TenantSecretStore(chart, 'store', { namespace: 'team-a', roleArn: tenantSecretsRoleArn(cluster), region: 'eu-north-1' });
    // THEN
    const [store] = Testing.synth(chart);
    expect(store).toEqual({
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: 'aws-secrets-manager', namespace: 'team-a' },
      spec: {
        provider: {
          aws: {
            service: 'SecretsManager',
            region: 'eu-north-1',
            role: 'arn:aws:iam::123456789012:role/dev-tenant-secrets',
            sessionTags: [{ key: 'tenant', value: 'team-a' }],
          },
        },
      },
    });
  });

  it('uses an explicit tenant value when the namespace differs from the team', () => {
    const chart = Testing.chart();
    new TenantSecretStore(chart, 'store', { namespace: 'team-a-prod', tenant: 'team-a', roleArn: tenantSecretsRoleArn(cluster), region: 'eu-north-1', name: 'secrets' });
    const [store] = Testing.synth(chart);
    expect(store.metadata).toEqual({ name: 'secrets', namespace: 'team-a-prod' });
    expect(store.spec.provider.aws.sessionTags).toEqual([{ key: 'tenant', value: 'team-a' }]);
  });

  it('fails if the role is not an ARN or the namespace is not a DNS label', () => {
    const chart = Testing.chart();
    expect(() => new TenantSecretStore(chart, 'a', { namespace: 'team-a', roleArn: 'dev-tenant-secrets', region: 'eu-north-1' })).toThrow(/roleArn "dev-tenant-secrets" is not an IAM role ARN; pass tenantSecretsRoleArn\(cluster\)/);
    expect(() => new TenantSecretStore(chart, 'b', { namespace: 'Team_A', roleArn: tenantSecretsRoleArn(cluster), region: 'eu-north-1' })).toThrow(/namespace "Team_A" is not a DNS label/);
    expect(() => new TenantSecretStore(chart, 'c', { namespace: 'team-a', roleArn: tenantSecretsRoleArn(cluster), region: 'north' })).toThrow(/region "north" is not an AWS region/);
  });
});

describe('secret-stores unit', () => {
  const unit = secretStores({ tenantNamespaces: ['sandbox'], platformNamespaces: ['kong', 'monitoring'], allowedTenants: ['team-a', 'sandbox'] });

  it('is an infra-configs unit of the secret-stores project', () => {
    expect([unit.name, unit.project, unit.layer]).toEqual(['secret-stores', 'secret-stores', 'infra-configs']);
  });

  it('renders the ABAC access role trusted by the ESO controller role, retained on delete', () => {
    const objects = renderUnit(unit, cluster);
    const role = findObject(objects, 'Role', 'tenant-secrets');
    expect(role.metadata).toEqual({ name: 'tenant-secrets', namespace: 'external-secrets', annotations: { 'services.k8s.aws/deletion-policy': 'retain' } });
    const spec = role.spec as any;
    expect(spec.name).toBe('dev-tenant-secrets');
    expect(JSON.parse(spec.assumeRolePolicyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/dev-external-secrets' }, Action: 'sts:AssumeRole' },
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::123456789012:role/dev-external-secrets' },
          Action: 'sts:TagSession',
          Condition: {
            StringEquals: { 'aws:RequestTag/tenant': ['team-a', 'sandbox', 'platform'] },
            'ForAllValues:StringEquals': {
              'aws:TagKeys': ['tenant', 'eks-cluster-arn', 'eks-cluster-name', 'kubernetes-namespace', 'kubernetes-service-account', 'kubernetes-pod-name', 'kubernetes-pod-uid'],
            },
          },
        },
      ],
    });
    expect(JSON.parse(spec.inlinePolicies['tenant-secrets'])).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ReadSecretsOfTheSessionTenant',
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Resource: 'arn:aws:secretsmanager:eu-north-1:123456789012:secret:*',
          Condition: { StringEquals: { 'secretsmanager:ResourceTag/tenant': '${aws:PrincipalTag/tenant}' }, Null: { 'aws:PrincipalTag/tenant': 'false' } },
        },
        {
          // Secrets under a customer-managed key decrypt, only through Secrets Manager and for the account's secrets.
          Sid: 'DecryptTenantSecretsThroughSecretsManager',
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: 'arn:aws:kms:eu-north-1:123456789012:key/*',
          Condition: {
            StringEquals: { 'kms:ViaService': 'secretsmanager.eu-north-1.amazonaws.com' },
            StringLike: { 'kms:EncryptionContext:SecretARN': 'arn:aws:secretsmanager:eu-north-1:123456789012:secret:*' },
          },
        },
      ],
    });
  });

  it('renders listed tenant stores and the platform ClusterSecretStore limited to platform namespaces', () => {
    const objects = renderUnit(unit, cluster);
    expect((findObject(objects, 'SecretStore', 'aws-secrets-manager').spec as any).provider.aws.sessionTags).toEqual([{ key: 'tenant', value: 'sandbox' }]);
    const platform = findObject(objects, 'ClusterSecretStore', 'platform-secrets').spec as any;
    expect(platform.conditions).toEqual([{ namespaces: ['kong', 'monitoring'] }]);
    expect(platform.provider.aws).toEqual({
      service: 'SecretsManager',
      region: 'eu-north-1',
      role: 'arn:aws:iam::123456789012:role/dev-tenant-secrets',
      sessionTags: [{ key: 'tenant', value: 'platform' }],
    });
  });

  it('allows the tenant key alone when inherited keys are turned off', () => {
    const role = renderUnit(secretStores({ inheritedTagKeys: [] }), cluster)[0]!;
    const trust = JSON.parse((role.spec as any).assumeRolePolicyDocument);
    expect(trust.Statement[1].Condition).toEqual({ StringLike: { 'aws:RequestTag/tenant': '?*' }, 'ForAllValues:StringEquals': { 'aws:TagKeys': ['tenant'] } });
  });

  it('renders only the access role by default', () => {
    expect(renderUnit(secretStores(), cluster).map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual(['Role/tenant-secrets']);
  });

  it('renders objects that validate against the pinned CRDs with zero errors', () => {
    const rendered = renderUnit(unit, cluster).map((object, index) => ({ file: `secret-stores/${index}`, index, object }));
    expect(SchemaValidator.load().validate(rendered).filter((f) => f.severity === 'error')).toEqual([]);
  });
});
