import { describe, expect, it } from 'vitest';
import { findObject, fixtureCluster, renderUnits } from '@flotilla/core/testing';
import { externalSecrets, type ExternalSecretsProps, type ExternalSecretsValues } from './external-secrets';

interface ReleaseSpec {
  readonly chart: { readonly spec: { readonly chart: string; readonly version: string } };
  readonly install: { readonly crds: string };
  readonly upgrade: { readonly crds: string; readonly remediation: unknown };
  readonly values: ExternalSecretsValues;
}
interface RoleSpec {
  readonly name: string;
  readonly inlinePolicies: Record<string, string>;
}

const cluster = fixtureCluster('dev', [], { account: '111111111111', region: 'eu-north-1' });

function render(props: ExternalSecretsProps = {}) {
  const units = externalSecrets({ assumableRoleSuffixes: ['tenant-secrets'], ...props });
  const objects = renderUnits(units, cluster);
  return { units, objects };
}

describe('externalSecrets', () => {
  it('renders the identity before the controller, after the ACK IAM/EKS controllers', () => {
    const { units } = render();
    expect(units.map((unit) => [unit.name, unit.layer, unit.dependsOn])).toEqual([
      ['external-secrets.identity', 'infra-controllers', ['ack.iam', 'ack.eks']],
      ['external-secrets', 'infra-controllers', ['external-secrets.identity']],
    ]);
  });

  it('installs chart external-secrets 2.9.0 from its signed OCI artifact, verified, with the CRD groups it owns', () => {
    const release = findObject(render().objects.get('external-secrets'), 'HelmRelease');
    expect(release.metadata.annotations).toEqual({ 'flotilla.dev/installs-crds': 'external-secrets.io,generators.external-secrets.io' });
    const spec = release.spec as unknown as ReleaseSpec & { chartRef: unknown };
    expect(spec.chartRef).toEqual({ kind: 'OCIRepository', name: 'external-secrets', namespace: 'external-secrets' });
    expect(spec.install.crds).toBe('Create');
    expect(spec.upgrade.crds).toBe('CreateReplace');
    expect(spec.upgrade.remediation).toEqual({ retries: 3, remediateLastFailure: true, strategy: 'rollback' });
    expect(findObject(render().objects.get('external-secrets'), 'OCIRepository').spec).toMatchObject({
      url: 'oci://ghcr.io/external-secrets/charts/external-secrets',
      ref: { tag: '2.9.0' },
      verify: {
        provider: 'cosign',
        matchOIDCIdentity: [{ issuer: '^https://token\\.actions\\.githubusercontent\\.com$', subject: '^https://github\\.com/external-secrets/external-secrets/\\.github/workflows/helm\\.yml@.+$' }],
      },
    });
  });

  it('sets the typed values from props', () => {
    const spec = findObject(render({ replicas: 2, logLevel: 'debug', concurrent: 4 }).objects.get('external-secrets'), 'HelmRelease').spec as unknown as ReleaseSpec;
    expect(spec.values).toEqual({
      installCRDs: true,
      crds: { annotations: { 'helm.sh/resource-policy': 'keep' } },
      replicaCount: 2,
      leaderElect: true,
      concurrent: 4,
      log: { level: 'debug', timeEncoding: 'iso8601' },
      serviceAccount: { create: true, name: 'external-secrets' },
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
      webhook: { replicaCount: 2 },
      certController: { replicaCount: 1 },
    });
  });

  it('reads no secret with its own credentials by default: it only assumes the store roles (issue 15: the unused <cluster>/* read)', () => {
    const role = findObject(render().objects.get('external-secrets.identity'), 'Role').spec as unknown as RoleSpec;
    expect(role.name).toBe('dev-external-secrets');
    const statements = JSON.parse(role.inlinePolicies['external-secrets']).Statement;
    expect(statements.map((statement: { Sid: string }) => statement.Sid)).toEqual(['AssumeStoreRoles']);
    expect(JSON.stringify(statements)).not.toContain('secretsmanager:');
    const association = findObject(render().objects.get('external-secrets.identity'), 'PodIdentityAssociation').spec;
    expect(association).toMatchObject({ namespace: 'external-secrets', serviceAccount: 'external-secrets' });
  });

  it('fails if the controller would be granted nothing', () => {
    expect(() => externalSecrets({})).toThrow(/externalSecrets grants the controller nothing: set 'assumableRoleSuffixes'/);
  });

  it('adds find permissions and extra statements only when asked', () => {
    const role = findObject(
      render({ allowFind: true, secretNamePrefixes: ['shared/'], assumableRoleSuffixes: [], additionalStatements: [{ sid: 'AssumeStoreRoles', actions: ['sts:AssumeRole', 'sts:TagSession'], resources: ['arn:aws:iam::111111111111:role/dev-eso-*'] }] }).objects.get(
        'external-secrets.identity',
      ),
      'Role',
    ).spec as unknown as RoleSpec;
    const statements = JSON.parse(role.inlinePolicies['external-secrets']).Statement;
    expect(statements.map((statement: { Sid: string }) => statement.Sid)).toEqual(['ReadSecretsUnderPrefix', 'FindSecrets', 'AssumeStoreRoles']);
    expect(statements[0].Resource).toBe('arn:aws:secretsmanager:eu-north-1:111111111111:secret:shared/*');
  });

  it('may assume the listed cluster roles and drops Pod Identity session tags so they do not ride into chained sessions', () => {
    const objects = render({ assumableRoleSuffixes: ['tenant-secrets'] }).objects.get('external-secrets.identity');
    const role = findObject(objects, 'Role').spec as unknown as RoleSpec;
    expect(JSON.parse(role.inlinePolicies['external-secrets']).Statement[0]).toEqual({
      Sid: 'AssumeStoreRoles',
      Effect: 'Allow',
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Resource: 'arn:aws:iam::111111111111:role/dev-tenant-secrets',
    });
    expect(findObject(objects, 'PodIdentityAssociation').spec).toMatchObject({ disableSessionTags: true });
    expect(findObject(render({ podIdentitySessionTags: true }).objects.get('external-secrets.identity'), 'PodIdentityAssociation').spec).not.toHaveProperty('disableSessionTags');
  });

  it('fails if a prefix is a wildcard', () => {
    expect(() => render({ secretNamePrefixes: ['*'] })).toThrow(/secretNamePrefixes entry '\*' must be a non-empty name prefix/);
  });

  it('fails if replicas is not a positive whole number', () => {
    expect(() => render({ replicas: 0 })).toThrow(/externalSecrets replicas is 0/);
  });
});
