import { describe, expect, it } from 'vitest';
import type { RenderedObject } from '@flotilla/model';
import { checkBucketOwners } from './bucket-owners';

describe('checkBucketOwners', () => {
  const bucket = (namespace: string, name: string, bucketName: string, cluster = 'dev'): RenderedObject => ({
    file: `clusters/${cluster}/x/Bucket_${namespace}_${name}.yaml`,
    index: 0,
    cluster,
    object: { apiVersion: 's3.services.k8s.aws/v1alpha1', kind: 'Bucket', metadata: { name, namespace }, spec: { name: bucketName } },
  });

  it("fails a second Bucket object naming a bucket another manages (a tenant naming the platform's artifacts bucket)", () => {
    const findings = checkBucketOwners([bucket('ack-system', 'artifacts', 'flotilla-artifacts-1'), bucket('imagegen', 'outputs', 'flotilla-artifacts-1')]);
    expect(findings).toEqual([
      expect.objectContaining({
        code: 'ref/duplicate-bucket',
        file: 'clusters/dev/x/Bucket_imagegen_outputs.yaml',
        path: 'spec.name',
        message: "S3 bucket 'flotilla-artifacts-1' is already managed by Bucket ack-system/artifacts (clusters/dev/x/Bucket_ack-system_artifacts.yaml); two ACK objects would both reconfigure it",
      }),
    ]);
  });

  it('passes distinct buckets, and the same name in two clusters (each in its own account)', () => {
    expect(checkBucketOwners([bucket('a', 'x', 'one'), bucket('b', 'y', 'two'), bucket('a', 'x', 'one', 'prod')])).toEqual([]);
  });
});
