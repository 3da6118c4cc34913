export * from './lib/mountpoint-s3-csi';
