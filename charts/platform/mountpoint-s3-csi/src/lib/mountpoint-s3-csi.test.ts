import { describe, expect, it } from 'vitest';
import { findObject, fixtureCluster, renderUnits } from '@flotilla/core/testing';
import { GPU_TAINT_TOLERATION } from '@flotilla/constructs';
import { mountpointS3Csi, type MountpointS3CsiProps } from './mountpoint-s3-csi';

const cluster = fixtureCluster('dev', [], { account: '111111111111', identity: { oidcIssuerUrl: 'https://oidc.eks.eu-north-1.amazonaws.com/id/ABC' } });
const buckets: MountpointS3CsiProps['buckets'] = [
  { name: 'dev-models', access: 'read' },
  { name: 'dev-scratch', access: 'read-write' },
];
const render = (props: MountpointS3CsiProps = { buckets }) => renderUnits(mountpointS3Csi(props), cluster);

describe('mountpointS3Csi', () => {
  it('renders an IRSA identity unit before the driver', () => {
    expect(mountpointS3Csi({ buckets }).map((unit) => [unit.name, unit.dependsOn])).toEqual([
      ['mountpoint-s3-csi.identity', ['ack.iam']],
      ['mountpoint-s3-csi', ['mountpoint-s3-csi.identity']],
    ]);
  });

  it('trusts exactly kube-system/s3-csi-driver-sa and grants access to the listed buckets only', () => {
    const role = findObject(render().get('mountpoint-s3-csi.identity'), 'Role').spec as { name: string; assumeRolePolicyDocument: string; inlinePolicies: Record<string, string> };
    expect(role.name).toBe('dev-mountpoint-s3-csi');
    expect(JSON.parse(role.assumeRolePolicyDocument).Statement[0].Condition.StringEquals).toEqual({
      'oidc.eks.eu-north-1.amazonaws.com/id/ABC:sub': 'system:serviceaccount:kube-system:s3-csi-driver-sa',
      'oidc.eks.eu-north-1.amazonaws.com/id/ABC:aud': 'sts.amazonaws.com',
    });
    expect(JSON.parse(role.inlinePolicies['mountpoint-s3-csi']).Statement).toEqual([
      { Sid: 'MountBuckets', Effect: 'Allow', Action: 's3:ListBucket', Resource: ['arn:aws:s3:::dev-models', 'arn:aws:s3:::dev-scratch'] },
      { Sid: 'ReadObjects', Effect: 'Allow', Action: 's3:GetObject', Resource: ['arn:aws:s3:::dev-models/*', 'arn:aws:s3:::dev-scratch/*'] },
      { Sid: 'WriteObjects', Effect: 'Allow', Action: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'], Resource: 'arn:aws:s3:::dev-scratch/*' },
    ]);
  });

  it('installs the driver chart into kube-system with the role on its ServiceAccount', () => {
    const release = findObject(render().get('mountpoint-s3-csi'), 'HelmRelease');
    expect(release.metadata).toMatchObject({ name: 'aws-mountpoint-s3-csi-driver', namespace: 'kube-system' });
    expect(release.spec).toMatchObject({
      chart: { spec: { chart: 'aws-mountpoint-s3-csi-driver', version: '2.1.0' } },
      values: {
        node: {
          serviceAccount: { create: true, name: 's3-csi-driver-sa', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111111111111:role/dev-mountpoint-s3-csi' } },
          tolerateAllTaints: false,
        },
      },
    });
    expect(render().get('mountpoint-s3-csi')!.some((object) => object.kind === 'Namespace')).toBe(false);
    // Mount pods go to mount-s3, set explicitly and declared, so the constraints' controller-pod exemption and its test see it.
    expect((release.spec as { values: { mountpointPod: unknown } }).values.mountpointPod).toEqual({ namespace: 'mount-s3' });
    expect(release.metadata.annotations).toMatchObject({ 'flotilla.dev/runtime-pod-namespaces': 'mount-s3' });
  });

  it('lets the node plugin tolerate listed taints (e.g. the GPU pool taint), typed', () => {
    const values = (findObject(render({ buckets, tolerations: [GPU_TAINT_TOLERATION] }).get('mountpoint-s3-csi'), 'HelmRelease').spec as { values: { node: unknown } }).values.node;
    expect(values).toMatchObject({ tolerateAllTaints: false, tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] });
    expect(() => mountpointS3Csi({ buckets, tolerations: [{ operator: 'Equal', value: 'x' }] })).toThrow(/mountpointS3Csi tolerations\[0\] has operator Equal without a key/);
  });

  it('fails if no bucket is listed', () => {
    expect(() => mountpointS3Csi({ buckets: [] })).toThrow(/buckets is empty/);
  });

  it('fails if a bucket name is invalid', () => {
    expect(() => mountpointS3Csi({ buckets: [{ name: 'Dev_Bucket', access: 'read' }] })).toThrow(/bucket 'Dev_Bucket' is not a valid S3 bucket name/);
  });
});
