import { Duration } from '@flotilla/config';
import type { PolicyStatement } from '@flotilla/model';

/**
 * Where nodeadm mounts the instance-store RAID0 array on AL2023 nodes whose EC2NodeClass sets
 * `instanceStorePolicy: RAID0` (it formats the NVMe disks as one md array and bind-mounts kubelet,
 * containerd and pod logs onto it).
 */
export const INSTANCE_STORE_MOUNT = '/mnt/k8s-disks/0';

/** The MIME boundary of the user data (fixed, so two renders are byte-identical). */
export const USER_DATA_BOUNDARY = 'FLOTILLA-USER-DATA';

/**
 * Models a node pool copies from S3 onto its instance store at boot, then keeps in step.
 *
 * The first sync runs from the node's user data, before nodeadm starts the kubelet, so no pod
 * sees a half-filled directory on a fresh node. A systemd timer then re-syncs every `interval`:
 * `aws s3 sync --delete` transfers only what changed (size or modification time), so an uploaded
 * or deleted model reaches every running node within one interval, with no controller, queue or
 * event rule to run. (An S3 event → SQS → node agent chain reacts in seconds but needs a daemon on
 * every node reading the queue; model updates are rare and a GPU job does not reload them
 * mid-run, so minutes are enough.) The bucket is versioned, so a bad upload is undone by restoring
 * the previous version; the next sync brings it back.
 */
export interface NodeModelSyncOptions {
  /** The bucket the models are uploaded to; the node role may read it and nothing else of S3. */
  readonly bucketName: string;
  /** The bucket's region (the CLI's `--region`). */
  readonly region: string;
  /** Key prefix to copy, ending in `/`, e.g. `models/`. @default - the whole bucket */
  readonly prefix?: string;
  /** Directory on the node, below the instance store ({@link INSTANCE_STORE_MOUNT}), that pods mount read-only. */
  readonly hostPath: string;
  /** uid and gid that own the directory and its files: the pods' `runAsUser`. @default 10001 */
  readonly ownerUid?: number;
  /** How often running nodes re-sync. @default Duration.minutes(10) */
  readonly interval?: Duration;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const PREFIX = /^([A-Za-z0-9_.-]+\/)*$/;
const HOST_PATH = new RegExp(`^${INSTANCE_STORE_MOUNT.replace(/\//g, '\\/')}(\\/[A-Za-z0-9_.-]+)+$`);
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The options with defaults applied, after checking every value that ends up in the node's shell script. */
export function resolveModelSync(where: string, options: NodeModelSyncOptions): Required<NodeModelSyncOptions> {
  const resolved = { prefix: '', ownerUid: 10001, interval: Duration.minutes(10), ...options };
  if (!BUCKET.test(resolved.bucketName) || resolved.bucketName.includes('..')) {
    throw new Error(`${where}.bucketName '${resolved.bucketName}' is not a valid S3 bucket name (3-63 lowercase letters, digits, '.' and '-')`);
  }
  if (!REGION.test(resolved.region)) throw new Error(`${where}.region '${resolved.region}' is not an AWS region such as 'eu-north-1'`);
  if (!PREFIX.test(resolved.prefix)) {
    throw new Error(`${where}.prefix '${resolved.prefix}' must be empty or path segments of letters, digits, '_', '.' and '-', each ending in '/', e.g. 'models/'`);
  }
  if (!HOST_PATH.test(resolved.hostPath) || resolved.hostPath.split('/').some((part) => part === '..' || part === '.')) {
    throw new Error(
      `${where}.hostPath '${resolved.hostPath}' must be a directory below the instance store ${INSTANCE_STORE_MOUNT} (e.g. '${INSTANCE_STORE_MOUNT}/models'): only there is it formatted and mounted at boot`,
    );
  }
  if (!Number.isInteger(resolved.ownerUid) || resolved.ownerUid < 1 || resolved.ownerUid > 2_147_483_647) {
    throw new Error(`${where}.ownerUid ${resolved.ownerUid} must be a non-root uid (1 to 2147483647): the pods' runAsUser`);
  }
  const seconds = resolved.interval.toSeconds();
  if (seconds < 60 || seconds > 86_400) throw new Error(`${where}.interval is ${seconds}s; use 1 minute to 24 hours`);
  return resolved;
}

/** Read-only access for the node role to exactly the synced objects: list under the prefix, get its objects. */
export function modelSyncStatements(partition: string, options: NodeModelSyncOptions): PolicyStatement[] {
  const o = resolveModelSync('modelSync', options);
  const bucket = `arn:${partition}:s3:::${o.bucketName}`;
  return [
    { sid: 'ListModels', actions: ['s3:ListBucket'], resources: [bucket], ...(o.prefix ? { conditions: { StringLike: { 's3:prefix': [`${o.prefix}*`] } } } : {}) },
    { sid: 'ReadModels', actions: ['s3:GetObject'], resources: [`${bucket}/${o.prefix}*`] },
  ];
}

/** The node's shell script: wait for the instance store, create the directory, first sync, re-sync timer. */
export function modelSyncScript(options: NodeModelSyncOptions): string {
  const o = resolveModelSync('modelSync', options);
  const owner = `${o.ownerUid}:${o.ownerUid}`;
  const source = `s3://${o.bucketName}/${o.prefix}`;
  return `#!/bin/bash
# Flotilla model sync: ${source} -> ${o.hostPath}, owned by ${owner}, re-synced every ${o.interval.toSeconds()}s.
set -euo pipefail
# nodeadm formats and mounts the instance-store RAID0 (instanceStorePolicy: RAID0) before user scripts run; wait for it anyway.
for _ in $(seq 1 60); do mountpoint -q ${INSTANCE_STORE_MOUNT} && break; sleep 5; done
if ! mountpoint -q ${INSTANCE_STORE_MOUNT}; then echo "flotilla-model-sync: ${INSTANCE_STORE_MOUNT} is not mounted; the EC2NodeClass needs instanceStorePolicy RAID0" >&2; exit 1; fi
install -d -m 0755 -o ${o.ownerUid} -g ${o.ownerUid} ${o.hostPath}
cat > /usr/local/bin/flotilla-model-sync <<'SCRIPT'
#!/bin/bash
set -euo pipefail
exec 9>/run/flotilla-model-sync.lock
flock -n 9 || exit 0
aws s3 sync --region ${o.region} --no-progress --only-show-errors --delete ${source} ${o.hostPath}
chown -R ${owner} ${o.hostPath}
SCRIPT
chmod 0755 /usr/local/bin/flotilla-model-sync
cat > /etc/systemd/system/flotilla-model-sync.service <<'UNIT'
[Unit]
Description=Sync models from ${source} to ${o.hostPath}
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
ExecStart=/usr/local/bin/flotilla-model-sync
UNIT
cat > /etc/systemd/system/flotilla-model-sync.timer <<'UNIT'
[Unit]
Description=Re-sync models from ${source} every ${o.interval.toSeconds()}s

[Timer]
OnActiveSec=${o.interval.toSeconds()}s
OnUnitActiveSec=${o.interval.toSeconds()}s
RandomizedDelaySec=60s

[Install]
WantedBy=timers.target
UNIT
systemctl daemon-reload
# The first copy, before the kubelet starts: a pod never sees the directory half filled on a new node.
/usr/local/bin/flotilla-model-sync
systemctl enable --now flotilla-model-sync.timer
`;
}

/**
 * AL2023 user data for Karpenter: a MIME multi-part document (nodeadm's format) whose one part is
 * the model-sync shell script. Karpenter adds its own NodeConfig part (cluster endpoint, CA, max
 * pods) when it launches the node; cloud-init runs the script after nodeadm's config phase and
 * before the kubelet starts.
 *
 * @see https://karpenter.sh/docs/concepts/nodeclasses/#al2023-1
 * @see https://awslabs.github.io/amazon-eks-ami/nodeadm/
 */
export function modelSyncUserData(options: NodeModelSyncOptions): string {
  return [
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${USER_DATA_BOUNDARY}"`,
    '',
    `--${USER_DATA_BOUNDARY}`,
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    '',
    modelSyncScript(options),
    `--${USER_DATA_BOUNDARY}--`,
    '',
  ].join('\n');
}
