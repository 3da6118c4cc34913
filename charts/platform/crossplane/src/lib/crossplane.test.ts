import { describe, expect, it } from 'vitest';
import { findObject, fixtureCluster, renderUnits } from '@flotilla/core/testing';
import { crossplane, type CrossplaneProps } from './crossplane';

const cluster = fixtureCluster('dev', [], { account: '111111111111' });
const render = (props: CrossplaneProps = {}) => renderUnits(crossplane(props), cluster);

describe('crossplane', () => {
  it('splits core, identity, provider and provider config into ordered units', () => {
    expect(crossplane().map((unit) => [unit.name, unit.layer, unit.dependsOn ?? []])).toEqual([
      ['crossplane', 'infra-controllers', []],
      ['crossplane.identity', 'infra-controllers', ['ack.iam', 'ack.eks']],
      ['crossplane.provider-aws-iam', 'infra-controllers', ['crossplane', 'crossplane.identity']],
      ['crossplane.provider-config', 'infra-configs', ['crossplane.provider-aws-iam']],
    ]);
  });

  it('installs chart crossplane 2.3.4 declaring the core CRD groups', () => {
    const release = findObject(render().get('crossplane'), 'HelmRelease');
    expect(release.metadata.annotations).toEqual({
      'flotilla.dev/installs-crds': 'apiextensions.crossplane.io,ops.crossplane.io,pkg.crossplane.io,protection.crossplane.io',
    });
    expect(release.spec).toMatchObject({
      chart: { spec: { chart: 'crossplane', version: '2.3.4' } },
      values: { replicas: 1, args: [] },
    });
    expect(findObject(render().get('crossplane'), 'HelmRepository').spec).toMatchObject({ url: 'https://charts.crossplane.io/stable' });
  });

  it('pins provider-aws-iam v2.6.0 with a runtime config that fixes its ServiceAccount name', () => {
    const objects = render().get('crossplane.provider-aws-iam')!;
    const provider = findObject(objects, 'Provider');
    expect(provider.apiVersion).toBe('pkg.crossplane.io/v1');
    expect(provider.metadata).toEqual({ name: 'provider-aws-iam', annotations: { 'flotilla.dev/installs-crds': 'aws.upbound.io,iam.aws.upbound.io' } });
    expect(provider.spec).toEqual({
      package: 'xpkg.upbound.io/upbound/provider-aws-iam:v2.6.0',
      packagePullPolicy: 'IfNotPresent',
      revisionActivationPolicy: 'Automatic',
      revisionHistoryLimit: 1,
      runtimeConfigRef: { apiVersion: 'pkg.crossplane.io/v1beta1', kind: 'DeploymentRuntimeConfig', name: 'provider-aws-iam' },
    });
    const runtime = findObject(objects, 'DeploymentRuntimeConfig');
    expect(runtime.apiVersion).toBe('pkg.crossplane.io/v1beta1');
    expect(runtime.spec).toEqual({ serviceAccountTemplate: { metadata: { name: 'provider-aws-iam' } } });
  });

  it('gives the provider a Pod Identity role that may manage IAM only under its own path, and attach only its own policies to cluster roles', () => {
    const objects = render().get('crossplane.identity')!;
    const role = findObject(objects, 'Role').spec as { name: string; inlinePolicies: Record<string, string> };
    expect(role.name).toBe('dev-crossplane-provider-aws-iam');
    const statements = JSON.parse(role.inlinePolicies['crossplane-provider-aws-iam']).Statement;
    expect(statements.map((statement: { Resource: string }) => statement.Resource)).toEqual([
      'arn:aws:iam::111111111111:role/crossplane/dev/*',
      'arn:aws:iam::111111111111:policy/crossplane/dev/*',
      '*',
      '*',
      'arn:aws:iam::111111111111:role/dev-*',
      'arn:aws:iam::111111111111:role/dev-*',
    ]);
    // it can never remove a boundary, nor attach anything but its own policies
    expect(statements[2]).toEqual({
      Sid: 'NeverRemoveBoundaries',
      Effect: 'Deny',
      Action: ['iam:DeleteRolePermissionsBoundary', 'iam:DeleteUserPermissionsBoundary'],
      Resource: '*',
    });
    expect(statements[3]).toMatchObject({ Effect: 'Deny', Condition: { ArnNotLike: { 'iam:PolicyARN': ['arn:aws:iam::111111111111:policy/crossplane/dev/*'] } } });
    expect(statements[4]).toMatchObject({
      Sid: 'AttachOwnPoliciesToClusterRoles',
      Action: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
      Condition: { ArnLike: { 'iam:PolicyARN': ['arn:aws:iam::111111111111:policy/crossplane/dev/*'] } },
    });
    expect(findObject(objects, 'PodIdentityAssociation').spec).toMatchObject({ namespace: 'crossplane-system', serviceAccount: 'provider-aws-iam' });
  });

  it('renders the ProviderConfig with Pod Identity credentials in the configs layer', () => {
    const config = findObject(render({ providerConfigName: 'aws' }).get('crossplane.provider-config'), 'ProviderConfig');
    expect(config.apiVersion).toBe('aws.upbound.io/v1beta1');
    expect(config.metadata).toEqual({ name: 'aws' });
    expect(config.spec).toEqual({ credentials: { source: 'PodIdentity' } });
  });

  it('passes --debug to core and provider when asked', () => {
    const rendered = render({ debug: true });
    expect((findObject(rendered.get('crossplane'), 'HelmRelease').spec as { values: { args: string[] } }).values.args).toEqual(['--debug']);
    expect(findObject(rendered.get('crossplane.provider-aws-iam'), 'DeploymentRuntimeConfig').spec).toMatchObject({
      deploymentTemplate: { spec: { selector: {}, template: { spec: { containers: [{ name: 'package-runtime', args: ['--debug'] }] } } } },
    });
  });

  it('fails if the IAM path is not a path', () => {
    expect(() => render({ iamPath: 'crossplane' })).toThrow(/crossplane iamPath 'crossplane' must start and end with '\/'/);
  });
});
