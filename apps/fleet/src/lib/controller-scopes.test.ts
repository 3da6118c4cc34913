import { describe, expect, test } from 'vitest';
import { fleet } from '../index';
import { renderFleet } from '../testing';

/**
 * Controller permissions the issue 15 review found too wide (low findings): the ESO role kept an
 * unused read of `<cluster>/*` secrets, and the S3 controller could set the bucket policy of every
 * bucket of the account (the artifacts bucket included).
 */
interface Statement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
}
const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

describe.each(fleet.clusters.map((cluster) => [cluster.name, cluster] as const))('controller scopes on cluster %s', (name, cluster) => {
  const { objects: all } = renderFleet(fleet, { clusters: [name] })[0]!;
  const statements = (roleName: string): Statement[] => {
    const role = all.find((o) => o.object.kind === 'Role' && o.object.apiVersion.startsWith('iam.services.k8s.aws/') && (o.object as any).spec.name === roleName)!.object as any;
    return Object.values(role.spec.inlinePolicies as Record<string, string>).flatMap((json) => JSON.parse(json).Statement as Statement[]);
  };

  test('the ESO controller reads no secret with its own credentials; it only assumes the tenant secrets role', () => {
    const eso = statements(`${name}-external-secrets`);
    expect(eso.flatMap((s) => list(s.Action)).filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
    expect(eso.map((s) => s.Sid)).toEqual(['AssumeStoreRoles']);
  });

  test("the S3 controller sets bucket policies only on the teams' buckets and the artifacts bucket (unit ci-artifacts), never on '*'", () => {
    const s3 = statements(`${name}-ack-s3-controller`);
    const allowPolicy = s3.filter((s) => s.Effect === 'Allow' && list(s.Action).some((a) => a === 's3:PutBucketPolicy' || a === 's3:*'));
    expect(allowPolicy.map((s) => s.Sid)).toEqual(['ManageBucketPolicies']);
    expect(list(allowPolicy[0]!.Resource)).toEqual(['arn:aws:s3:::team-a-*', 'arn:aws:s3:::imagegen-*', 'arn:aws:s3:::dj-*', `arn:aws:s3:::${cluster.artifacts!.bucket}`]);
    for (const s of s3.filter((s) => s.Effect === 'Allow')) expect(list(s.Resource)).not.toContain('arn:aws:s3:::*');
    const deny = s3.find((s) => s.Sid === 'DenyArtifactsBucket')!;
    expect(deny.Effect).toBe('Deny');
    expect(list(deny.Action)).toEqual(['s3:DeleteBucket', 's3:DeleteBucketPolicy', 's3:PutBucketAcl', 's3:DeleteBucketOwnershipControls']);
    expect(deny.Resource).toBe(`arn:aws:s3:::${cluster.artifacts!.bucket}`);
  });
});
