import { Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { sizeQuantity } from './quantities';
import { tenantLabels, type TeamRef } from './tenant-labels';
import { assertDnsLabel, assertIntegerInRange, WorkloadValidationError } from './validation-error';

const { k8s } = kplus;

/** The Mountpoint for Amazon S3 CSI driver. */
export const S3_CSI_DRIVER = 's3.csi.aws.com';

/** A bucket (or prefix) a team mounts through Mountpoint for S3, declared in the team's config. */
export interface S3VolumeSpec {
  /** Name of the PersistentVolumeClaim the team's app creates. A DNS label. */
  readonly claimName: string;
  readonly bucketName: string;
  /** Key prefix the mount is limited to, ending in '/'. @default - the whole bucket */
  readonly prefix?: string;
  readonly region: string;
  /** Whether the app may write (and delete) objects. @default true */
  readonly writable?: boolean;
  /** UID/GID owning the files in the mount (Mountpoint is not POSIX). @default 10001 */
  readonly ownerId?: number;
  /**
   * Whose IAM identity Mountpoint uses: the pod's ServiceAccount (least privilege per app) or the
   * CSI driver's node identity.
   *
   * @default 'pod'
   */
  readonly authenticationSource?: 'pod' | 'driver';
}

/** Capacity is ignored by S3 but required by the API; claim and volume must agree. */
const NOMINAL_CAPACITY = Size.gibibytes(1024);

/** Name of the PersistentVolume backing a team's S3 claim (cluster-scoped, so namespaced by prefix). */
export function s3VolumeName(team: TeamRef, claimName: string): string {
  return `${team.namespace}-${claimName}`;
}

function validate(spec: S3VolumeSpec): void {
  assertDnsLabel('s3Volumes.claimName', spec.claimName);
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(spec.bucketName)) {
    throw new WorkloadValidationError('workloads/s3-volume', `'s3Volumes.bucketName' ('${spec.bucketName}') must be an S3 bucket name (3-63 lowercase letters, digits, '.', '-')`);
  }
  if (spec.prefix !== undefined && !/^[^/].*\/$/.test(spec.prefix)) {
    throw new WorkloadValidationError('workloads/s3-volume', `'s3Volumes.prefix' ('${spec.prefix}') must not start with '/' and must end with '/', e.g. 'outputs/'`);
  }
  assertIntegerInRange('s3Volumes.ownerId', spec.ownerId ?? 10001, 1, 2_147_483_647);
}

export interface S3PersistentVolumeProps {
  readonly team: TeamRef;
  readonly spec: S3VolumeSpec;
}

/**
 * The cluster-scoped side of a Mountpoint for S3 static volume: a PersistentVolume pre-bound by
 * `claimRef` to the team's claim, so no other namespace can bind it. Rendered by the tenants unit
 * (platform-owned) because team units cannot create cluster-scoped objects.
 */
export class S3PersistentVolume extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: S3PersistentVolumeProps) {
    super(scope, id);
    const { team, spec } = props;
    validate(spec);
    this.name = s3VolumeName(team, spec.claimName);
    assertDnsLabel('PersistentVolume name', this.name, 253);
    const owner = spec.ownerId ?? 10001;
    const writable = spec.writable ?? true;
    new k8s.KubePersistentVolume(this, 'Resource', {
      metadata: { name: this.name, labels: { ...tenantLabels(team) } },
      spec: {
        capacity: { storage: k8s.Quantity.fromString(sizeQuantity(NOMINAL_CAPACITY)) },
        accessModes: ['ReadWriteMany'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: '',
        claimRef: { namespace: team.namespace, name: spec.claimName },
        mountOptions: [
          `region ${spec.region}`,
          ...(spec.prefix ? [`prefix ${spec.prefix}`] : []),
          `uid=${owner}`,
          `gid=${owner}`,
          ...(writable ? ['allow-delete', 'allow-overwrite'] : ['read-only']),
        ],
        csi: {
          driver: S3_CSI_DRIVER,
          volumeHandle: `s3-csi-${this.name}`,
          volumeAttributes: { bucketName: spec.bucketName, authenticationSource: spec.authenticationSource ?? 'pod' },
        },
      },
    });
  }
}

export interface S3VolumeClaimProps {
  readonly team: TeamRef;
  readonly spec: S3VolumeSpec;
}

/** The team's side of a Mountpoint for S3 static volume: the claim bound to the platform's volume. */
export class S3VolumeClaim extends Construct {
  readonly claimName: string;

  constructor(scope: Construct, id: string, props: S3VolumeClaimProps) {
    super(scope, id);
    const { team, spec } = props;
    validate(spec);
    this.claimName = spec.claimName;
    new k8s.KubePersistentVolumeClaim(this, 'Resource', {
      metadata: { name: spec.claimName, namespace: team.namespace, labels: { ...tenantLabels(team) } },
      spec: {
        accessModes: ['ReadWriteMany'],
        storageClassName: '',
        volumeName: s3VolumeName(team, spec.claimName),
        resources: { requests: { storage: k8s.Quantity.fromString(sizeQuantity(NOMINAL_CAPACITY)) } },
      },
    });
  }

  /** The pod volume for this claim. */
  volume(scope: Construct, id: string, name = 's3'): kplus.Volume {
    return kplus.Volume.fromPersistentVolumeClaim(scope, id, kplus.PersistentVolumeClaim.fromClaimName(scope, `${id}Claim`, this.claimName), { name });
  }
}
