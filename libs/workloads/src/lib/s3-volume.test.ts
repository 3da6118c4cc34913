import { Testing } from 'cdk8s';
import { describe, expect, test } from 'vitest';
import { S3PersistentVolume, S3VolumeClaim, type S3VolumeSpec } from './s3-volume';

const team = { name: 'imagegen', namespace: 'imagegen', costCenter: 'cc-2001' };
const spec: S3VolumeSpec = { claimName: 'outputs', bucketName: 'imagegen-outputs', prefix: 'outputs/', region: 'eu-north-1' };

describe('S3 Mountpoint volumes', () => {
  test('the PersistentVolume is a static s3.csi.aws.com volume pre-bound to the team claim', () => {
    const chart = Testing.chart();
    new S3PersistentVolume(chart, 'Pv', { team, spec });
    const [pv] = Testing.synth(chart) as any[];
    expect(pv.metadata).toEqual({ name: 'imagegen-outputs', labels: { team: 'imagegen', 'cost-center': 'cc-2001' } });
    expect(pv.spec).toMatchObject({
      accessModes: ['ReadWriteMany'],
      storageClassName: '',
      persistentVolumeReclaimPolicy: 'Retain',
      claimRef: { namespace: 'imagegen', name: 'outputs' },
      mountOptions: ['region eu-north-1', 'prefix outputs/', 'uid=10001', 'gid=10001', 'allow-delete', 'allow-overwrite'],
      csi: { driver: 's3.csi.aws.com', volumeHandle: 's3-csi-imagegen-outputs', volumeAttributes: { bucketName: 'imagegen-outputs', authenticationSource: 'pod' } },
    });
  });

  test('a read-only volume mounts read-only', () => {
    const chart = Testing.chart();
    new S3PersistentVolume(chart, 'Pv', { team, spec: { ...spec, writable: false, authenticationSource: 'driver' } });
    const [pv] = Testing.synth(chart) as any[];
    expect(pv.spec.mountOptions).toContain('read-only');
    expect(pv.spec.mountOptions).not.toContain('allow-delete');
    expect(pv.spec.csi.volumeAttributes.authenticationSource).toBe('driver');
  });

  test('the claim binds to that volume by name', () => {
    const chart = Testing.chart();
    new S3VolumeClaim(chart, 'Pvc', { team, spec });
    const [pvc] = Testing.synth(chart) as any[];
    expect(pvc.metadata).toMatchObject({ name: 'outputs', namespace: 'imagegen' });
    expect(pvc.spec).toMatchObject({ volumeName: 'imagegen-outputs', storageClassName: '', accessModes: ['ReadWriteMany'] });
  });

  test('fails if the prefix does not end with a slash', () => {
    const chart = Testing.chart();
    expect(() => new S3PersistentVolume(chart, 'Pv', { team, spec: { ...spec, prefix: 'outputs' } })).toThrow(/'s3Volumes.prefix' \('outputs'\) must not start with '\/' and must end with '\/'/);
  });

  test('fails if the bucket name is invalid', () => {
    const chart = Testing.chart();
    expect(() => new S3VolumeClaim(chart, 'Pvc', { team, spec: { ...spec, bucketName: 'Bad_Bucket' } })).toThrow(/'s3Volumes.bucketName' \('Bad_Bucket'\)/);
  });
});
