import { type Unit, unitCallSite } from '@flotilla/config';
import {
  HelmAddon,
  IRSA_ROLE_ANNOTATION,
  IrsaRole,
  MOUNTPOINT_POD_NAMESPACE,
  VERSIONS,
  checkTolerations,
  clusterRoleArn,
  identityUnit,
  identityUnitName,
  partitionOf,
  type NodeToleration,
} from '@flotilla/constructs';
import type { PolicyStatement } from '@flotilla/model';

export const MOUNTPOINT_PROJECT = 'mountpoint-s3-csi';
export const MOUNTPOINT_NAMESPACE = 'kube-system';
/** The node plugin's ServiceAccount (chart default name, set explicitly so the trust policy matches). */
export const MOUNTPOINT_SERVICE_ACCOUNT = 's3-csi-driver-sa';

export const MOUNTPOINT_ROLE_SUFFIX = 'mountpoint-s3-csi';

/** A bucket volumes may mount. */
export interface MountpointBucket {
  readonly name: string;
  /** `read-write` also allows PutObject, DeleteObject and multipart uploads. */
  readonly access: 'read' | 'read-write';
}

export interface MountpointS3CsiProps {
  /** Buckets the driver may mount; the driver's role gets access to these only. */
  readonly buckets: readonly MountpointBucket[];
  /** Run the node plugin on every tainted node (the chart's own default). @default false */
  readonly tolerateAllTaints?: boolean;
  /**
   * Taints the node plugin tolerates, besides the chart's defaults (CriticalAddonsOnly, NoExecute for
   * 5 minutes). A pod mounting a volume can only run where the node plugin runs, so list the taints
   * of every pool such pods use, e.g. `[GPU_TAINT_TOLERATION]`; the scheduling check fails a pod
   * whose pool taints the plugin does not tolerate.
   *
   * @default - none
   */
  readonly tolerations?: readonly NodeToleration[];
}

/** The values this project sets (chart `aws-mountpoint-s3-csi-driver`). */
export interface MountpointValues {
  readonly node: {
    readonly serviceAccount: { readonly create: boolean; readonly name: string; readonly annotations: Readonly<Record<string, string>> };
    readonly tolerateAllTaints: boolean;
    readonly tolerations?: readonly NodeToleration[];
  };
  readonly mountpointPod: { readonly namespace: string };
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function mountpointStatements(partition: string, buckets: readonly MountpointBucket[]): PolicyStatement[] {
  const arn = (bucket: MountpointBucket) => `arn:${partition}:s3:::${bucket.name}`;
  const writable = buckets.filter((bucket) => bucket.access === 'read-write');
  return [
    { sid: 'MountBuckets', actions: ['s3:ListBucket'], resources: buckets.map(arn) },
    { sid: 'ReadObjects', actions: ['s3:GetObject'], resources: buckets.map((bucket) => `${arn(bucket)}/*`) },
    ...(writable.length > 0
      ? [{ sid: 'WriteObjects', actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'], resources: writable.map((bucket) => `${arn(bucket)}/*`) }]
      : []),
  ];
}

/**
 * Mountpoint for Amazon S3 CSI driver: `mountpoint-s3-csi.identity` (IRSA role for the node
 * plugin, limited to the listed buckets) and `mountpoint-s3-csi` (the release in kube-system).
 * IRSA rather than Pod Identity: it is the driver's documented credential path for its own
 * ServiceAccount.
 */
export function mountpointS3Csi(props: MountpointS3CsiProps): Unit[] {
  if (props.buckets.length === 0) throw new Error('mountpointS3Csi buckets is empty; list the buckets volumes may mount (the driver gets access to those only)');
  checkTolerations('mountpointS3Csi tolerations', props.tolerations ?? []);
  const seen = new Set<string>();
  for (const bucket of props.buckets) {
    if (!BUCKET_NAME.test(bucket.name) || bucket.name.includes('..')) {
      throw new Error(`mountpointS3Csi bucket '${bucket.name}' is not a valid S3 bucket name (3-63 lowercase letters, digits, '.' and '-')`);
    }
    if (seen.has(bucket.name)) throw new Error(`mountpointS3Csi bucket '${bucket.name}' is listed twice; list each bucket once with its widest access`);
    seen.add(bucket.name);
  }

  const identity = identityUnit({
    project: MOUNTPOINT_PROJECT,
    mechanism: 'irsa',
    render(scope, { cluster }) {
      new IrsaRole(scope, 'DriverIdentity', {
        cluster,
        roleSuffix: MOUNTPOINT_ROLE_SUFFIX,
        serviceAccountNamespace: MOUNTPOINT_NAMESPACE,
        serviceAccountName: MOUNTPOINT_SERVICE_ACCOUNT,
        statements: mountpointStatements(partitionOf(cluster.region), props.buckets),
      });
    },
  });

  const driver: Unit = {
    name: MOUNTPOINT_PROJECT,
    project: MOUNTPOINT_PROJECT,
    createdAt: unitCallSite(),
    layer: 'infra-controllers',
    dependsOn: [identityUnitName(MOUNTPOINT_PROJECT)],
    render(scope, { cluster }) {
      new HelmAddon<MountpointValues>(scope, 'Driver', {
        name: 'aws-mountpoint-s3-csi-driver',
        namespace: MOUNTPOINT_NAMESPACE,
        createNamespace: false,
        chart: VERSIONS.mountpointS3Csi,
        // v2 tracks mounts in its own internal CRD (MountpointS3PodAttachment); no Flotilla unit renders it.
        installsCrds: ['s3.csi.aws.com'],
        runtimePodNamespaces: [MOUNTPOINT_POD_NAMESPACE],
        values: {
          node: {
            serviceAccount: {
              create: true,
              name: MOUNTPOINT_SERVICE_ACCOUNT,
              annotations: { [IRSA_ROLE_ANNOTATION]: clusterRoleArn(cluster, MOUNTPOINT_ROLE_SUFFIX) },
            },
            tolerateAllTaints: props.tolerateAllTaints ?? false,
            tolerations: props.tolerations && props.tolerations.length > 0 ? [...props.tolerations] : undefined,
          },
          // Set explicitly: the Gatekeeper constraints' controller-pod exemption (CONTROLLER_POD_NAMESPACES) names it.
          mountpointPod: { namespace: MOUNTPOINT_POD_NAMESPACE },
        },
      });
    },
  };
  return [identity, driver];
}
